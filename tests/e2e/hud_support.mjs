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
