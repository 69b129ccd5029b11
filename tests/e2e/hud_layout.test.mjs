// Every HUD screen in every display profile at every display size, in both
// languages, with long real-world texts (60-character titles, a 400-character
// safety note, long steps, French): the rules of hud_audit.mjs — nothing
// outside the safe area (25/20/15 px at 854×480, scaled with the display),
// readable sizes, contrast ≥ 4.5:1, no text overflowing its box, safety and
// instruction text never ellipsed or silently clipped, placeholders distinct
// — and, in French, no word that is neither data nor from the catalogue.
// Screenshots of every combination go to tests/e2e/out/hud-<lang>-<screen>-<profile>-<w>x<h>.png
// (the finish view and the second page of the command list are walked too).
//
// One browser; one paired page per language; each page walks every profile
// and size, and every screen in each (the whole matrix in a few page loads).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startVisor, outDir } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, pairedPage, screen, say, itemNumber, waitFor, longTask, LONG } from './hud_support.mjs';
import { layoutAudit, untranslated } from './hud_audit.mjs';
import { CATALOGUES } from '../../web/hud/js/i18n.js';

const HEAD_WORN = [[854, 480], [640, 360], [1280, 720]];
const COMBOS = [
  ...['see-through', 'opaque', 'dark-opaque'].flatMap((profile) => HEAD_WORN.map((size) => ({ profile, size }))),
  { profile: 'phone', size: [390, 844] },
];
const PROFILE_CMD = { 'see-through': 'SEE_THROUGH', opaque: 'OPAQUE', 'dark-opaque': 'DARK', phone: 'PHONE' };

let server;
let browser;
let mgr;
let machine;
const tasks = {}; // lang → the long task

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  [machine] = await machines(mgr);
  for (const [lang, login] of [['en', 'alice'], ['fr', 'bruno']]) {
    const uid = await userId(mgr, login);
    tasks[lang] = await longTask(mgr, { lang, assignee: uid, equipmentId: machine.id });
    // More long rows for the list: overdue, high priority, under way.
    for (let i = 0; i < 3; i++) await longTask(mgr, { lang, assignee: uid, equipmentId: machine.id, start: -30 - 24 * i, priority: 3 });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The safe area for a profile and size: RealWear's 25/20/15 px at 854×480, scaled with the display. */
function safeArea(profile, [w, h]) {
  if (profile === 'phone') return { t: 10, l: 10, r: 10, b: 10 };
  return { t: (25 * h) / 480, l: (20 * w) / 854, r: (20 * w) / 854, b: (15 * h) / 480 };
}

/** French catalogue entries as the page shows them: exact texts, and templates with {placeholders} as wildcards. */
function knownFrench() {
  const fr = CATALOGUES.fr;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out = [];
  for (const v of Object.values(fr).filter((x) => typeof x === 'string')) {
    const s = v.replace(/\s+/g, ' ').trim();
    if (/\{\w+\}/.test(s)) out.push(`re:^${s.split(/\{\w+\}/).map(escape).join('.+?')}$`);
    else out.push(s, s.toUpperCase());
  }
  out.push(`re:^${escape(fr['cmd.SELECT'])} \\d+$`);
  return out;
}

async function check(page, { lang, screenName, profile, size }) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const [w, h] = size;
  await page.screenshot({ path: join(outDir, `hud-${lang}-${screenName}-${profile}-${w}x${h}.png`) });
  const phone = profile === 'phone';
  const found = await page.evaluate(layoutAudit, { safe: safeArea(profile, size), minFont: phone ? 15 : 20, minTarget: phone ? 44 : 28, minContrast: 4.5 });
  if (lang === 'fr') found.push(...(await page.evaluate(untranslated, knownFrench())).map((s) => `untranslated: ${s}`));
  return found.map((p) => `${lang} ${screenName} ${profile} ${w}×${h}: ${p}`);
}

/** Walks the technician's screens in the current profile, size and language. */
async function tour(page, opts) {
  const cat = CATALOGUES[opts.lang];
  const cmd = (id) => cat[`cmd.${id}`];
  const task = tasks[opts.lang];
  const found = [];
  const shot = async (screenName) => { found.push(...(await check(page, { ...opts, screenName }))); };
  await say(page, cmd('HOME'));
  await screen(page, 'work');
  await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`);
  await shot('work');
  await say(page, `${cmd('SELECT')} ${await itemNumber(page, task.id)}`);
  await page.waitForSelector('#screen .card-main[data-card="full"] .overview');
  await shot('task');
  await say(page, cmd('OPEN_STEPS'));
  await page.waitForSelector('.step-count');
  await shot('step');
  await say(page, `${cmd('GO_TO_STEP')} 2`);
  await waitFor(() => page.evaluate((want) => document.querySelector('.step-count')?.textContent === want, cat['step.count'].replace('{n}', '2').replace('{total}', String(LONG[opts.lang].steps.length))), { what: 'step 2' });
  await say(page, cmd('VALUE'));
  await page.waitForSelector('.entry-input');
  await shot('value');
  await say(page, cmd('CANCEL'));
  await say(page, `${cmd('GO_TO_STEP')} ${LONG[opts.lang].steps.length + 1}`);
  await page.waitForSelector('.finish-head');
  await shot('finish');
  await say(page, cmd('BACK'));
  await page.waitForSelector('.step-text');
  await say(page, cmd('COMMANDS'));
  await page.waitForSelector('#sheet .commands');
  await shot('commands');
  if (await page.isVisible('#sheet .cmd[data-cmd="MORE"]')) {
    await say(page, cmd('MORE'));
    await shot('commands-2');
  }
  await say(page, cmd('HIDE'));
  await say(page, cmd('MACHINE'));
  await page.waitForSelector('.machine-head');
  await page.waitForSelector('#screen .history');
  await shot('machine');
  await say(page, cmd('REPORT'));
  await screen(page, 'report');
  await shot('report');
  await say(page, cmd('BACK'));
  await say(page, cmd('SETTINGS'));
  await screen(page, 'settings');
  await shot('settings');
  return found;
}

for (const [lang, login] of [['en', 'alice'], ['fr', 'bruno']]) {
  test(`every screen, profile and size in ${lang === 'en' ? 'English' : 'French'}: safe, readable, nothing cut${lang === 'fr' ? ', nothing untranslated' : ''}`, async () => {
    const hud = await pairedPage(browser, server, mgr, { login, profile: 'see-through' });
    const { page } = hud;
    assert.equal(await page.getAttribute('html', 'lang'), lang, "the profile's language");
    const problems = [];
    for (const { profile, size } of COMBOS) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      if (await page.getAttribute('html', 'data-profile') !== profile) await say(page, CATALOGUES[lang][`cmd.${PROFILE_CMD[profile]}`]);
      assert.equal(await page.getAttribute('html', 'data-profile'), profile);
      problems.push(...(await tour(page, { lang, profile, size })));
    }
    // The pairing screen (no device token) and the public form, in the browser's language.
    const fresh = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
    const p2 = await fresh.newPage();
    await p2.goto(`${server.url}/hud/`);
    await screen(p2, 'pair');
    for (const { profile, size } of COMBOS) {
      await p2.setViewportSize({ width: size[0], height: size[1] });
      await say(p2, CATALOGUES[lang][`cmd.${PROFILE_CMD[profile]}`]);
      problems.push(...(await check(p2, { lang, screenName: 'pair', profile, size })));
    }
    await p2.goto(`${server.url}/m/${machine.code}`);
    await p2.waitForSelector('#p-title');
    for (const size of [[390, 844], [854, 480], [640, 360], [1280, 720]]) {
      await p2.setViewportSize({ width: size[0], height: size[1] });
      problems.push(...(await check(p2, { lang, screenName: 'public', profile: 'phone', size })));
    }
    if (lang === 'fr') {
      // The check itself: an English word on a French screen is reported.
      await p2.evaluate(() => document.querySelector('.public').append(Object.assign(document.createElement('span'), { textContent: 'NOT STARTED' })));
      assert.deepEqual(await p2.evaluate(untranslated, knownFrench()), ['NOT STARTED']);
    }
    await fresh.close();
    assert.deepEqual(problems, []);
    assert.deepEqual(hud.errors, []);
    await hud.context.close();
  });
}

test('switching profile by voice is kept across reloads and on the server', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'alice', profile: 'see-through', viewport: { width: 390, height: 844 } });
  const { page } = hud;
  assert.equal(await say(page, 'phone mode'), 'PHONE');
  assert.equal(await page.getAttribute('html', 'data-profile'), 'phone');
  await waitFor(async () => (await mgr.get(`/api/v1/devices?user=${hud.uid}`)).json.items.some((d) => d.profile === 'phone'),
    { what: 'the profile stored on the server' });
  assert.equal(await say(page, 'dark mode'), 'DARK');
  assert.equal(await page.getAttribute('html', 'data-profile'), 'dark-opaque');
  await page.reload();
  await screen(page, 'work', 10000);
  assert.equal(await page.getAttribute('html', 'data-profile'), 'dark-opaque', 'kept across reloads');
  await hud.context.close();
});
