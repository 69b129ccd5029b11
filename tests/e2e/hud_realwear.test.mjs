// RealWear and other voice layers: on every screen the WearHF directives are
// in place (no number bubbles; each button's visible label is its command,
// and our own recogniser takes that same label; numbered items are "OPEN n";
// fields are their placeholder), and every command the screen offers can be
// reached without a pointer — arrows, Enter, the command list (F1/context
// menu, paged with MORE COMMANDS), digits, PageDown. Speech recognition and
// synthesis use the technician's language, and follow a switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, pairedPage, screen, say, itemNumber, waitFor, longTask } from './hud_support.mjs';
import { CATALOGUES } from '../../web/hud/js/i18n.js';

let server;
let browser;
let mgr;
let machine;
const tasks = {};

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  [machine] = await machines(mgr);
  for (const [lang, login] of [['en', 'alice'], ['fr', 'bruno']]) tasks[lang] = await longTask(mgr, { lang, assignee: await userId(mgr, login), equipmentId: machine.id });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** In the page: WearHF problems of what is on screen (or in the sheet). */
function wearhf() {
  return import('/hud/js/commands.js').then(({ match, available, labelOf }) => import('/hud/js/i18n.js').then(({ t }) => {
    const problems = [];
    if (document.body.getAttribute('title') !== 'hf_no_number') problems.push('body: no hf_no_number');
    const root = document.getElementById('sheet').hidden ? document.getElementById('app') : document.getElementById('sheet');
    const visible = (el) => el.checkVisibility() && !el.closest('[hidden]');
    const offered = new Map(available().map((c) => [c.id, c]));
    for (const b of [...root.querySelectorAll('.cmd')].filter(visible)) {
      const label = b.textContent.trim();
      if (b.title !== 'hf_use_text|hf_no_number') problems.push(`${label}: title "${b.title}"`);
      const c = offered.get(b.dataset.cmd);
      if (!c) { problems.push(`${label}: ${b.dataset.cmd} is not offered`); continue; }
      if (labelOf(c) !== label) problems.push(`${label}: the label of ${b.dataset.cmd} is "${labelOf(c)}"`);
      if (match(label)?.cmd.id !== b.dataset.cmd) problems.push(`saying "${label}" does not run ${b.dataset.cmd}`);
    }
    for (const el of [...root.querySelectorAll('[data-cmd="SELECT"]')].filter(visible)) {
      const phrase = `${t('cmd.SELECT')} ${el.dataset.arg}`;
      if (el.title !== `hf_use_description|hf_no_number|${phrase}`) problems.push(`item ${el.dataset.arg}: title "${el.title}"`);
      if (match(phrase)?.cmd.id !== 'SELECT' || match(phrase).arg !== Number(el.dataset.arg)) problems.push(`saying "${phrase}" does not open it`);
    }
    for (const el of [...root.querySelectorAll('input[placeholder], textarea[placeholder]')].filter(visible)) {
      if (el.title !== `hf_use_description|hf_no_number|${el.placeholder}`) problems.push(`field "${el.placeholder}": title "${el.title}"`);
    }
    return problems;
  }));
}

/** The commands offered now (ids), as the dispatcher sees them. */
function offeredIds(page) {
  return page.evaluate(() => import('/hud/js/commands.js').then(({ available }) => available().map((c) => c.id)));
}

/** Presses `key` until focus stops moving; returns the data-cmd values focused on the way. */
async function walk(page, key, limit = 60) {
  const focused = () => page.evaluate(() => { const a = document.activeElement; return a ? `${a.dataset.cmd || ''}|${a.dataset.key || a.textContent.slice(0, 20)}` : ''; });
  let last = await focused();
  const seen = [last];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const now = await focused();
    if (now === last) break;
    last = now;
    seen.push(now);
  }
  return seen.map((s) => s.split('|')[0]).filter(Boolean);
}

/**
 * Every command the current screen offers is reachable by keys: on screen
 * by arrows, or in the command list (F1) by arrows and MORE COMMANDS.
 * Returns the ids that are not.
 */
async function unreachable(page) {
  const ids = new Set(await offeredIds(page));
  // F1 / the context-menu key opens the command list (used below); Escape / Back is GO BACK; Home is MY WORK.
  const reached = new Set(['COMMANDS', 'BACK', 'HOME']);
  for (const id of await walk(page, 'ArrowDown')) reached.add(id);
  for (const id of await walk(page, 'ArrowUp')) reached.add(id);
  if (ids.has('SELECT')) reached.add('SELECT'); // digits, checked in hud_steps; rows are focusable too
  await page.keyboard.press('F1');
  await page.waitForSelector('#sheet .commands');
  const pages = Number(/(\d+)\D*$/.exec((await page.textContent('#sheet .page-info')) || '')?.[1] || 1);
  for (let p = 1; p <= pages; p++) {
    for (const id of await walk(page, 'ArrowDown')) reached.add(id);
    if (p === pages) break;
    const before = await page.textContent('#sheet .page-info');
    await page.focus('#sheet .cmd[data-cmd="MORE"]');
    await page.keyboard.press('Enter'); // MORE COMMANDS, by the d-pad's select
    await waitFor(async () => (await page.textContent('#sheet .page-info')) !== before, { what: 'the next page of commands' });
  }
  reached.add('SCROLL_DOWN').add('SCROLL_UP'); // PageDown / PageUp
  await page.keyboard.press('Escape');
  await waitFor(() => page.evaluate(() => document.getElementById('sheet').hidden), { what: 'the command list to close' });
  return [...ids].filter((id) => !reached.has(id));
}

for (const [lang, login] of [['en', 'alice'], ['fr', 'bruno']]) {
  test(`WearHF directives on every screen, and every command reachable by keys (${lang})`, async () => {
    const cat = CATALOGUES[lang];
    const cmd = (id) => cat[`cmd.${id}`];
    const hud = await pairedPage(browser, server, mgr, { login, profile: 'dark-opaque' });
    const { page } = hud;
    const task = tasks[lang];
    const problems = [];
    const visit = async (name) => {
      problems.push(...(await page.evaluate(wearhf)).map((p) => `${name}: ${p}`));
      if (!(await page.evaluate(() => !document.getElementById('sheet').hidden))) {
        problems.push(...(await unreachable(page)).map((id) => `${name}: ${id} cannot be reached by keys`));
      }
    };
    for (const size of [[854, 480], [640, 360]]) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      await say(page, cmd('HOME'));
      await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`);
      await visit(`work ${size}`);
      await say(page, `${cmd('SELECT')} ${await itemNumber(page, task.id)}`);
      await page.waitForSelector('#screen .overview');
      await visit(`task ${size}`);
      await say(page, cmd('OPEN_STEPS'));
      await screen(page, 'step');
      await visit(`step ${size}`);
      await say(page, cmd('NEXT'));
      await say(page, cmd('VALUE'));
      await page.waitForSelector('.entry-input');
      await visit(`value ${size}`);
      await say(page, cmd('CANCEL'));
      await say(page, cmd('COMMANDS'));
      await visit(`commands ${size}`);
      await say(page, cmd('HIDE'));
      await say(page, cmd('MACHINE'));
      await page.waitForSelector('#screen .history');
      await visit(`machine ${size}`);
      await say(page, cmd('REPORT'));
      await screen(page, 'report');
      await visit(`report ${size}`);
      await say(page, cmd('BACK'));
      await say(page, cmd('SETTINGS'));
      await screen(page, 'settings');
      await visit(`settings ${size}`);
    }
    assert.deepEqual(problems, []);
    // Enter on a focused button runs it (the d-pad's select): GO BACK from the settings.
    await page.focus('#bar .cmd[data-cmd="BACK"]');
    await page.keyboard.press('Enter');
    await screen(page, 'machine');
    assert.deepEqual(hud.errors, []);
    await hud.context.close();
  });
}

test('the pairing screen: directives, and keys only', async () => {
  const context = await browser.newContext({ viewport: { width: 854, height: 480 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${server.url}/hud/`);
  await screen(page, 'pair');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr', "the browser's language before anyone is known");
  assert.deepEqual(await page.evaluate(wearhf), []);
  assert.deepEqual(await unreachable(page), []);
  await context.close();
});

/** A stand-in for the Web Speech API that records what the HUD asks of it. */
function fakeSpeech() {
  window.__speech = { recognitions: [], spoken: [] };
  class FakeRecognition {
    constructor() { window.__speech.recognitions.push(this); this.starts = 0; }
    start() { this.starts += 1; this.running = true; setTimeout(() => this.onstart?.(), 0); }
    abort() { this.running = false; setTimeout(() => this.onend?.(), 0); }
    stop() { this.abort(); }
    hear(text) {
      const alt = { transcript: text };
      const result = Object.assign([alt], { isFinal: true });
      this.onresult?.({ resultIndex: 0, results: [result] });
    }
  }
  window.SpeechRecognition = FakeRecognition;
  window.speechSynthesis.speak = (u) => { window.__speech.spoken.push({ text: u.text, lang: u.lang }); u.onend?.(); };
}

test('speech is recognised and spoken in the technician\'s language, and follows a switch', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'bruno', profile: 'dark-opaque', initScript: fakeSpeech });
  const { page } = hud;
  const rec = () => page.evaluate(() => { const r = window.__speech.recognitions.at(-1); return r && { lang: r.lang, starts: r.starts, running: r.running }; });
  await waitFor(async () => (await rec())?.running, { what: 'recognition to start' });
  assert.equal((await rec()).lang, 'fr-FR');
  const spoken = await page.evaluate(() => window.__speech.spoken);
  assert.ok(spoken.some((s) => s.lang === 'fr-FR' && /Bonjour/.test(s.text)), JSON.stringify(spoken));
  // A French phrase through the recogniser runs the command.
  await page.evaluate(() => window.__speech.recognitions.at(-1).hear('réglages'));
  await screen(page, 'settings');
  await page.evaluate(() => window.__speech.recognitions.at(-1).hear('english'));
  await waitFor(async () => (await page.getAttribute('html', 'lang')) === 'en', { what: 'English' });
  await waitFor(async () => { const r = await rec(); return r.lang === 'en-US' && r.starts >= 2 && r.running; }, { what: 'recognition restarted in English' });
  await page.evaluate(() => window.__speech.recognitions.at(-1).hear('go back'));
  await screen(page, 'work');
  const me = await waitFor(async () => { const u = (await mgr.get('/api/v1/users')).json.items.find((x) => x.login === 'bruno'); return u.locale === 'en' ? u : null; },
    { what: "the language stored in bruno's profile" });
  assert.equal(me.locale, 'en');
  await mgr.patch(`/api/v1/users/${me.id}`, { locale: 'fr' }); // leave the demo as it was
  assert.deepEqual(hud.errors, []);
  await hud.context.close();
});

test('on a phone the command list shows no keyboard hints', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'alice', profile: 'phone', viewport: { width: 390, height: 844 } });
  const { page } = hud;
  await say(page, 'show commands');
  await page.waitForSelector('#sheet .commands');
  const hint = await page.textContent('#sheet .sheet-hint');
  assert.match(hint, /TAP A COMMAND/);
  assert.doesNotMatch(hint, /ARROWS|ENTER|ESC/);
  assert.ok(await page.isVisible('#sheet .cmd[data-cmd="HIDE"]'));
  await hud.context.close();
});
