// One word and one format for everything (issue 13, finding 9), the labels
// (finding 11) and the pairing dialog's display profiles: "Late" never
// "Overdue"; one clock per language (English 12-hour, French 24-hour); the
// locale's percent; values with their unit; chart axis labels at a readable
// size; machine names whole beside charts that fill their row; labels with
// the name and code once, the caption whole in every layout, the QR code in
// the same place whatever the name, and "scan to report a problem" printed;
// the pairing dialog offers the dark opaque profile and starts from the
// fleet's profile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outDir } from './harness.mjs';
import { techApi, userId, createTask, isoIn, go, ready, signedInPage, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

/** Visible text of the page that is not store data (names, titles). */
const uiText = (page) => page.evaluate(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('[translate="no"], script, style') || !el.checkVisibility?.()) continue;
    out.push(n.textContent);
  }
  return out.join(' ');
});
const times = (page, selector = 'time') => page.$$eval(selector, (els) => els.filter((e) => e.checkVisibility()).map((e) => e.textContent));

test('one word for late work, one clock, the locale\'s percent, values with their unit', async () => {
  const { page } = session;
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, { title: 'Units probe', assignee_id: aliceId, schedule_start: isoIn(-1),
    instructions: '<ol><li>Measure the gap (mm)</li></ol>' });
  await alice.post(`/api/v1/tasks/${t.id}/start`);
  await alice.post(`/api/v1/tasks/${t.id}/steps/1`, { value: '0.05' });

  const clock12 = /\b(1[0-2]|[1-9]):[0-5]\d\s(AM|PM)\b/;
  for (const path of ['/', '/floor', '/tasks', '/board', '/calendar', `/tasks/${t.id}`]) {
    await go(page, path);
    if (path === '/') await page.waitForSelector('[data-kpi-ready]');
    const text = await uiText(page);
    assert.doesNotMatch(text, /overdue/i, `${path}: late work is "Late", never "Overdue"`);
    for (const s of await times(page)) {
      if (!/\d:\d\d/.test(s)) continue;  // dates alone
      assert.match(s, clock12, `${path}: "${s}" is on the 12-hour clock`);
      assert.doesNotMatch(s, /\b0\d:\d\d\s(AM|PM)/, `${path}: "${s}" has no leading zero`);
    }
  }
  await go(page, `/tasks/${t.id}`);
  assert.match(await page.textContent('.step-results'), /0\.05 mm/);
  assert.match(await page.textContent('.timeline'), /0\.05 mm/);
  await go(page, '/calendar?view=day');
  const ticks = await page.$$eval('.cal-hours span', (els) => els.map((e) => e.textContent));
  assert.ok(ticks.length > 5 && ticks.every((x) => /^\d{1,2} (AM|PM)$/.test(x)), `the calendar's hours read ${ticks.slice(0, 3).join(', ')}…`);

  await go(page, '/');
  await page.waitForSelector('[data-kpi-ready]');
  const pm = await page.$eval('[data-kpi="pm_compliance"] .kpi-value', (el) => el.textContent);
  assert.match(pm, /^(\d+%|—)$/, `English percent "${pm}"`);

  // French: the 24-hour clock, its percent with a (narrow) space, "En retard".
  const fr = await signedInPage(browser, server, 'manager', { path: '/tasks', locale: 'fr-FR' });
  try {
    await ready(fr.page, '/tasks');
    await fr.page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      await fetch('/api/v1/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: '{"locale":"fr"}' });
    });
    for (const path of ['/tasks', '/', '/floor']) {
      await fr.page.goto(`${server.url}${path}`);
      await ready(fr.page, path);
      if (path === '/') await fr.page.waitForSelector('[data-kpi-ready]');
      for (const s of await times(fr.page)) {
        if (!/\d:\d\d/.test(s)) continue;
        assert.match(s, /\b([01]\d|2[0-3]):[0-5]\d\b/, `${path}: "${s}" is on the 24-hour clock`);
        assert.doesNotMatch(s, /AM|PM/);
      }
      if (path === '/') {
        const frPm = await fr.page.$eval('[data-kpi="pm_compliance"] .kpi-value', (el) => el.textContent);
        assert.match(frPm, /^(\d+\s%|—)$/u, `French percent "${frPm}"`);
        assert.equal(await fr.page.$eval('[data-kpi="overdue"] h3, [data-kpi="overdue"] a', (el) => el.textContent), 'En retard');
      }
    }
  } finally {
    await fr.context.close();
    await mgr.patch('/api/v1/me', { locale: 'en' });
  }
});

test('chart axis labels are readable, machine names whole, the reliability cards fill their row', async () => {
  const { page } = session;
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 1000 });
    await go(page, '/?period=90d');
    await page.waitForSelector('[data-kpi-ready]');
    await page.waitForSelector('.kpi-sections:not(.is-loading) .chart-tick');
    const ticks = await page.$$eval('.chart-tick', (els) => els.filter((e) => e.checkVisibility()).map((e) => ({
      size: parseFloat(getComputedStyle(e).fontSize), height: e.getBoundingClientRect().height, text: e.textContent })));
    assert.ok(ticks.length > 4);
    for (const x of ticks) assert.ok(x.size >= 11 && x.height >= 11, `axis label "${x.text}" at ${x.size}px (${x.height}px tall)`);
    const cut = await page.$$eval('.hbar-label', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    assert.deepEqual(cut, [], `${width} px: no name cut`);
    const rows = await page.$$eval('.kpi-section .kpi-grid', (grids) => grids.map((g) => {
      const cards = [...g.children].map((c) => c.getBoundingClientRect());
      const top = Math.min(...cards.map((c) => c.top));
      const first = cards.filter((c) => Math.abs(c.top - top) < 2);
      return { grid: g.getBoundingClientRect().width, used: first.reduce((a, c) => a + c.width, 0) + (first.length - 1) * 14 };
    }));
    for (const r of rows) assert.ok(r.used >= r.grid - 4, `${width} px: the cards use the row (${Math.round(r.used)} of ${Math.round(r.grid)} px)`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('labels: name and code once, the caption whole, the code in place whatever the name, "scan to report a problem" printed', async () => {
  const { page } = session;
  const teams = (await mgr.get('/api/v1/teams')).json.items;
  const long = await mgr.post('/api/v1/equipment', { name: 'Microcrew compressor 1 with a very long name for the north hall line two', team_id: teams[0].id });
  assert.equal(long.status, 201, long.text);
  const short = (await mgr.get('/api/v1/equipment?q=M-1003')).json.items[0];
  const svg = await (await fetch(`${server.url}/api/v1/equipment/${long.json.id}/qr.svg?caption=false`, { headers: mgr.headers })).text();
  assert.ok(svg.startsWith('<svg') && !svg.includes('Microcrew'), 'the label\'s QR code carries no caption of its own');

  for (const size of ['small', 'medium', 'large']) {
    await go(page, `/machines/labels?ids=${short.id},${long.json.id}&size=${size}`);
    await page.emulateMedia({ media: 'print' });
    await page.waitForFunction(() => [...document.querySelectorAll('.label-qr')].every((i) => i.complete && i.naturalWidth > 0));
    const labels = await page.$$eval('.label', (els) => els.map((el) => {
      const box = el.getBoundingClientRect();
      const qr = el.querySelector('.label-qr').getBoundingClientRect();
      const parts = [...el.querySelectorAll('figcaption > *')].map((c) => {
        const r = c.getBoundingClientRect();
        return { cls: c.className, top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: c.textContent,
          cut: c.classList.contains('label-hint') || c.classList.contains('label-code') ? c.scrollWidth > c.clientWidth + 1 : false };
      });
      return { text: el.textContent, box: { top: box.top, bottom: box.bottom, left: box.left, right: box.right }, qrTop: qr.top - box.top, parts,
        name: el.querySelector('.label-name').textContent };
    }));
    assert.equal(labels.length, 2);
    for (const l of labels) {
      assert.equal(l.text.split(l.name).length - 1, 1, `${size}: the name is printed once`);
      const code = l.parts.find((p) => p.cls === 'label-code').text;
      assert.equal(l.text.split(code).length - 1, 1, `${size}: the code is printed once`);
      for (const p of l.parts) {
        assert.ok(p.top >= l.box.top - 0.5 && p.bottom <= l.box.bottom + 0.5 && p.left >= l.box.left - 0.5 && p.right <= l.box.right + 0.5,
          `${size}: "${p.text}" is inside its label`);
        assert.equal(p.cut, false, `${size}: "${p.text}" is not cut`);
      }
      assert.equal(l.parts.find((p) => p.cls === 'label-hint').text, 'Scan to report a problem');
    }
    assert.ok(Math.abs(labels[0].qrTop - labels[1].qrTop) < 0.5, `${size}: a long name does not move the code`);
    await page.emulateMedia({ media: 'screen' });
  }
  await go(page, `/machines/labels?ids=${short.id},${long.json.id}&size=small`);
  await page.waitForFunction(() => [...document.querySelectorAll('.label-qr')].every((i) => i.complete && i.naturalWidth > 0));
  const file = join(outDir, 'labels-small.pdf');
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(text.split('Scan to report a problem').length - 1, 2, 'each label says what to do with it');
  assert.equal(text.split(short.code).length - 1, 1, 'the code once per label');
  assert.deepEqual(page.errors, []);
});

test('the pairing dialog offers the dark opaque profile and starts from the fleet\'s profile', async () => {
  const { page } = session;
  const aliceId = await userId(mgr, 'alice');
  const named = await mgr.post('/api/v1/pairings', { user_id: aliceId, device_name: 'Navigator dark', profile: 'dark-opaque' });
  assert.equal(named.status, 201, named.text);
  assert.equal((await mgr.get('/api/v1/devices')).json.fleet_profile, 'dark-opaque');
  await go(page, '/people');
  await page.click(`tr[data-id="${aliceId}"] button:has-text("Pair glasses")`);
  const profile = page.locator('dialog[open] select');
  await profile.waitFor();
  assert.deepEqual(await profile.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['see-through', 'opaque', 'dark-opaque', 'phone']);
  assert.equal(await profile.inputValue(), 'dark-opaque', 'the fleet\'s profile is preselected');
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});
