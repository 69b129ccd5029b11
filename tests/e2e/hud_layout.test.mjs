// Every HUD screen at the head-worn sizes (854×480 with RealWear's safe area,
// 640×360, 1280×720) in both display profiles, plus a phone: screenshots in
// tests/e2e/out/, and checks computed from the live page — nothing outside
// the safe area, no scrolling page, text ≥ 20 px in the opaque profile,
// contrast ≥ 4.5:1 for every piece of text (from computed colours).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startVisor, outDir } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, createTask, pairedPage, screen, say, itemNumber, waitFor } from './hud_support.mjs';

const SIZES = [[854, 480], [640, 360], [1280, 720]];
const SAFE = { t: 25, x: 20, b: 15 };

let server;
let browser;
let mgr;
let task;
let machine;

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  const alice = await userId(mgr, 'alice');
  [machine] = await machines(mgr);
  task = await createTask(mgr, {
    title: 'Quarterly service of the main hydraulic unit — check, measure and record everything',
    assignee: alice, equipmentId: machine.id, priority: 3,
    steps: [
      'Lock out and tag out the main power at the cabinet and verify zero energy with the tester before touching anything inside the unit.',
      'Measure the pump pressure at idle and record it (bar).',
      'Replace the return filter cartridge.',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs in the page: returns a list of layout problems (empty when all is well). */
function audit({ safe, minFont, minContrast }) {
  const problems = [];
  const W = innerWidth;
  const H = innerHeight;
  const root = document.documentElement;
  if (root.scrollWidth > W || root.scrollHeight > H) problems.push(`page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${W}×${H}`);
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lin = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  const contrast = (fg, bg) => { const a = lum(fg) + 0.05; const b = lum(bg) + 0.05; return a > b ? a / b : b / a; };
  const clipOf = (el) => {
    let r = { l: 0, t: 0, r: W, b: H };
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const b = e.getBoundingClientRect();
        r = { l: Math.max(r.l, b.left), t: Math.max(r.t, b.top), r: Math.min(r.r, b.right), b: Math.min(r.b, b.bottom) };
      }
    }
    return r;
  };
  const skip = new Set([document.documentElement, document.body, document.getElementById('app'), document.getElementById('sheet')]);
  const covered = !document.getElementById('sheet').hidden; // the sheet hides the screen behind it
  for (const el of document.body.querySelectorAll('*')) {
    if (skip.has(el) || el.closest('[hidden], #xr, noscript') || (covered && el.closest('#app'))) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
    const b = el.getBoundingClientRect();
    if (b.width < 1 || b.height < 1) continue;
    const c = clipOf(el);
    const box = { l: Math.max(b.left, c.l), t: Math.max(b.top, c.t), r: Math.min(b.right, c.r), b: Math.min(b.bottom, c.b) };
    if (box.r - box.l < 1 || box.b - box.t < 1) continue; // scrolled out of view
    const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    if (box.l < safe.x - 0.5 || box.t < safe.t - 0.5 || box.r > W - safe.x + 0.5 || box.b > H - safe.b + 0.5) {
      problems.push(`${name} outside the safe area: ${Math.round(box.l)},${Math.round(box.t)}–${Math.round(box.r)},${Math.round(box.b)}`);
    }
    const texts = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
    const field = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.type !== 'file';
    if (!texts.length && !field) continue;
    const size = parseFloat(cs.fontSize);
    if (size < minFont) problems.push(`${name} "${(el.textContent || el.placeholder).trim().slice(0, 30)}" is ${size}px`);
    const bg = background(el);
    const fgs = [parse(cs.color)];
    if (field && !el.value && el.placeholder) fgs.push(parse(getComputedStyle(el, '::placeholder').color));
    for (const fg of fgs) {
      if (!fg) continue;
      const ratio = contrast(over(fg, bg), bg);
      if (ratio < minContrast) problems.push(`${name} "${(el.textContent || el.placeholder).trim().slice(0, 30)}" contrast ${ratio.toFixed(2)}`);
    }
  }
  return [...new Set(problems)].slice(0, 25);
}

async function check(page, label, { profile, size: [w, h] }) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: join(outDir, `hud-${label}-${profile}-${w}x${h}.png`) });
  const phone = profile === 'phone';
  const problems = await page.evaluate(audit, {
    safe: phone ? { t: 0, x: 0, b: 0 } : SAFE,
    minFont: profile === 'opaque' ? 20 : phone ? 12 : 18,
    minContrast: 4.5,
  });
  return problems.map((p) => `${label} ${profile} ${w}×${h}: ${p}`);
}

/** Walks the technician's screens in the current profile and size. */
async function tour(page, opts) {
  const found = [];
  const shot = async (label) => { found.push(...(await check(page, label, opts))); };
  await say(page, 'my work');
  await screen(page, 'work');
  await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`);
  await shot('work');
  await say(page, `open ${await itemNumber(page, task.id)}`);
  await screen(page, 'task');
  await page.waitForSelector('.safety');
  await shot('task');
  await say(page, 'open steps');
  await screen(page, 'step');
  await shot('step');
  await say(page, 'next step');
  await page.waitForSelector('.step-count >> text=STEP 2 OF 3');
  await say(page, 'enter value');
  await page.waitForSelector('.entry-input');
  await shot('value');
  await say(page, 'cancel');
  await say(page, 'show commands');
  await page.waitForSelector('#sheet .commands');
  await shot('commands');
  await say(page, 'hide commands');
  await say(page, 'report problem');
  await screen(page, 'report');
  await shot('report');
  await say(page, 'go back');
  await say(page, 'open machine');
  await screen(page, 'machine');
  await page.waitForSelector('.machine-head');
  await shot('machine');
  await say(page, 'settings');
  await screen(page, 'settings');
  await shot('settings');
  return found;
}

for (const profile of ['see-through', 'opaque']) {
  test(`HUD screens in the ${profile} profile at 854×480, 640×360 and 1280×720`, async () => {
    const hud = await pairedPage(browser, server, mgr, { login: 'alice', profile });
    const { page } = hud;
    assert.equal(await page.getAttribute('html', 'data-profile'), profile, 'the profile chosen at pairing');
    const problems = [];
    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      problems.push(...(await tour(page, { profile, size })));
    }
    // The pairing screen (no device token).
    const fresh = await browser.newContext({ viewport: { width: 854, height: 480 } });
    const p2 = await fresh.newPage();
    await p2.goto(`${server.url}/hud/`);
    await screen(p2, 'pair');
    await say(p2, profile === 'opaque' ? 'opaque mode' : 'see-through mode');
    for (const size of SIZES) {
      await p2.setViewportSize({ width: size[0], height: size[1] });
      problems.push(...(await check(p2, 'pair', { profile, size })));
    }
    await fresh.close();
    assert.deepEqual(problems, []);
    assert.deepEqual(hud.errors, []);
    await hud.context.close();
  });
}

test('switching profile by voice, and the phone layout', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'alice', profile: 'see-through', viewport: { width: 390, height: 844 } });
  const { page } = hud;
  assert.equal(await say(page, 'phone mode'), 'PHONE');
  assert.equal(await page.getAttribute('html', 'data-profile'), 'phone');
  const me = await waitFor(async () => {
    const devices = (await mgr.get(`/api/v1/devices?user=${hud.uid}`)).json.items;
    return devices.find((d) => d.profile === 'phone');
  }, { what: 'the profile stored on the server' });
  assert.ok(me);
  const problems = await tour(page, { profile: 'phone', size: [390, 844] });
  assert.deepEqual(problems, []);
  assert.equal(await say(page, 'opaque mode'), 'OPAQUE');
  assert.equal(await page.getAttribute('html', 'data-profile'), 'opaque');
  await page.reload();
  await screen(page, 'settings');
  assert.equal(await page.getAttribute('html', 'data-profile'), 'opaque', 'kept across reloads');
  await hud.context.close();
});
