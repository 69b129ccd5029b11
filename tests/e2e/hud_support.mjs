// Helpers shared by the HUD suites (tests/e2e/hud_*.test.mjs): tasks and
// pairing codes made through the API as a manager, a browser page paired as
// a technician, and small page probes. Built on harness.mjs.
import { chromium } from 'playwright-core';
import { Api, waitFor } from './harness.mjs';

/** Chromium as harness.launchBrowser() starts it, plus `extraArgs` (fake camera…). */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...extraArgs],
  });
}

export async function managerApi(server) {
  return Api.session(server.url, 'manager', server.logins.manager.password);
}

export async function userId(mgr, login) {
  const res = await mgr.get('/api/v1/users');
  const u = res.json.items.find((x) => x.login === login);
  if (!u) throw new Error(`no user ${login}`);
  return u.id;
}

export async function machines(mgr) {
  const res = await mgr.get('/api/v1/equipment?limit=20');
  if (res.status !== 200) throw new Error(`equipment: ${res.status} ${res.text}`);
  return res.json.items;
}

export const isoIn = (hours) => new Date(Date.now() + hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Creates a task as the manager. steps: array of step texts (become an <ol>).
 * Returns the task detail.
 */
export async function createTask(mgr, { title, assignee = null, steps = [], equipmentId, priority = 2, start = isoIn(0.5) }) {
  const body = { title, priority, schedule_start: start };
  if (equipmentId) body.equipment_id = equipmentId;
  if (assignee) body.assignee_id = assignee;
  if (steps.length) body.instructions = `<p>Do it well.</p><ol>${steps.map((s) => `<li>${s}</li>`).join('')}</ol><p>Safety: wear gloves.</p>`;
  const res = await mgr.post('/api/v1/tasks', body);
  if (res.status !== 201) throw new Error(`create task: ${res.status} ${res.text}`);
  return res.json;
}

export async function pairingCode(mgr, uid, name, profile = 'see-through') {
  const res = await mgr.post('/api/v1/pairings', { user_id: uid, device_name: name, profile });
  if (res.status !== 201) throw new Error(`pairing: ${res.status} ${res.text}`);
  return res.json;
}

/** Waits until the HUD shows screen `name` (work, task, step, machine, report, pair, public…). */
export function screen(page, name, timeout = 5000) {
  return page.waitForSelector(`#screen[data-screen="${name}"]`, { timeout });
}

/**
 * Waits until the HUD shows the task card with the full card loaded (until
 * then only the list row is shown and the card's commands are not offered).
 */
export async function taskCard(page, timeout = 5000) {
  await screen(page, 'task', timeout);
  return page.waitForSelector('#screen .card-main[data-card="full"]', { timeout });
}

/** Feeds a phrase to the HUD's dispatcher, as speech recognition would. Returns the command id or null. */
export function say(page, text) {
  return page.evaluate((t) => window.visorCommand(t), text);
}

export function stats(page) {
  return page.evaluate(() => window.visorStats());
}

/**
 * A new browser context paired as `login` through the QR link
 * (/hud/#pair=CODE). Returns { context, page, device }.
 */
export async function pairedPage(browser, server, mgr, { login = 'alice', profile = 'see-through', viewport = { width: 854, height: 480 }, name, initScript } = {}) {
  const uid = await userId(mgr, login);
  const pairing = await pairingCode(mgr, uid, name || `HUD test ${login} ${Date.now() % 100000}`, profile);
  const context = await browser.newContext({ viewport });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Uncaught/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${server.url}/hud/#pair=${pairing.code}`);
  await screen(page, 'work', 10000);
  await page.waitForSelector('#badge.badge-live', { timeout: 10000 });
  return { context, page, errors, uid, code: pairing.code };
}

/** The number shown on the HUD for task `id` in the current list, or null. */
export function itemNumber(page, id) {
  return page.evaluate((tid) => {
    const el = document.querySelector(`#screen .item[data-key="task-${tid}"]`);
    return el ? Number(el.dataset.arg) : null;
  }, id);
}

export { waitFor };

// Long real-world texts for the layout suites: 60-character titles, a
// 400-character safety note, a reporter's description, long steps, one of
// which asks for a value with its expected range.
const pad = (s, n) => (s.length >= n ? s.slice(0, n) : pad(`${s} ${s}`, n)).trimEnd();
export const LONG = {
  en: {
    title: 'Hydraulic unit HP-250: quarterly service and pressure checks',
    description: 'Puddle under the press, about 20 cm wide. The night shift noticed it near the return line; it smells of hydraulic oil.',
    summary: 'Quarterly service of the main hydraulic unit. Read the safety notes before you start.',
    safety: 'Safety: Lock out and tag out the main electrical cabinet and verify zero energy before any work. The coolant may be hot: wait at least 30 minutes after stopping, wear heat-resistant gloves, safety glasses and safety shoes. Never open the hydraulic circuit under pressure; bleed the accumulator and check that the gauge reads zero. Keep bystanders out of the area and report any leak at once to the shift lead.',
    steps: [
      'Lock out and tag out the main power at the cabinet, then verify zero energy with the tester before touching anything inside the unit.',
      'Measure the pump pressure at idle and record it (expected 3.0–3.5 bar).',
      'Inspect every hose, fitting and seal of the pressure line from the pump to the valve block for cracks, bulges, weeping joints and chafing against the frame; tighten loose clamps to the torque on the label, replace any hose that shows wire, and wipe the fittings dry so that a new leak can be told from old oil at the next inspection. Photograph anything you replace.',
      'Replace the return filter cartridge.',
      'Check the oil level in the tank; record it in litres.',
      'Remove the lock and run a full test cycle.',
    ],
  },
  fr: {
    title: 'Centrale hydraulique HP-250 : révision trimestrielle, essais',
    description: 'Flaque sous la presse, environ 20 cm de large. L’équipe de nuit l’a vue près de la ligne de retour ; ça sent l’huile hydraulique.',
    summary: 'Entretien trimestriel de la centrale hydraulique principale. Lisez les consignes de sécurité avant de commencer.',
    safety: 'Sécurité : Consigner l’armoire électrique principale et vérifier l’absence de tension avant toute intervention. Le liquide de refroidissement peut être chaud : attendre 30 minutes après l’arrêt, porter gants anti-chaleur, lunettes et chaussures de sécurité. Ne jamais ouvrir le circuit sous pression ; purger l’accumulateur et vérifier que le manomètre indique zéro. Signaler toute fuite au chef d’équipe.',
    steps: [
      'Consigner l’alimentation principale à l’armoire, puis vérifier l’absence de tension au testeur avant de toucher l’intérieur de la centrale.',
      'Mesurer la pression de la pompe au ralenti et la noter (entre 3,0 et 3,5 bar).',
      'Inspecter chaque flexible, raccord et joint de la ligne de pression, de la pompe au bloc de distribution : fissures, gonflements, suintements et frottements contre le bâti ; resserrer les colliers au couple indiqué sur l’étiquette, remplacer tout flexible dont la tresse apparaît, et essuyer les raccords pour distinguer une nouvelle fuite de l’huile ancienne à la prochaine visite. Photographier toute pièce remplacée.',
      'Remplacer la cartouche du filtre de retour.',
      'Contrôler le niveau d’huile du réservoir ; le noter en litres.',
      'Déconsigner et lancer un cycle d’essai complet.',
    ],
  },
};

/**
 * A task with LONG[lang]'s texts (title padded to exactly 60 characters),
 * `start` hours from now. Returns the task detail.
 */
export async function longTask(mgr, { lang = 'en', assignee = null, equipmentId, start = 0.5, priority = 2 }) {
  const t = LONG[lang];
  const body = {
    title: pad(t.title, 60),
    description: `<p>${t.description}</p>`,
    instructions: `<p>${t.summary}</p><ol>${t.steps.map((s) => `<li>${s}</li>`).join('')}</ol><p>${t.safety}</p>`,
    priority,
    schedule_start: isoIn(start),
    type: 'corrective',
  };
  if (equipmentId) body.equipment_id = equipmentId;
  if (assignee) body.assignee_id = assignee;
  const res = await mgr.post('/api/v1/tasks', body);
  if (res.status !== 201) throw new Error(`create task: ${res.status} ${res.text}`);
  return res.json;
}
