// Console languages: the catalogues hold the same keys and placeholders, and
// the French UI shows no untranslated string on any page. Visible text comes
// either from the catalogue or from the store; store data is marked
// translate="no" (and dates are <time> elements), so every other visible
// text node must be a French catalogue entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startVisor, launchBrowser, repoRoot } from './harness.mjs';
import { managerApi, createTask, isoIn, signedInPage, ready, go } from './console_support.mjs';

const catalogue = async (lang) => (await import(pathToFileURL(join(repoRoot, `web/console/js/i18n/${lang}.js`)).href)).default;

let server;
let browser;
let mgr;

before(async () => {
  server = await startVisor();
  browser = await launchBrowser();
  mgr = await managerApi(server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const forms = (v) => (typeof v === 'object' ? Object.values(v) : [v]);
const placeholders = (v) => forms(v).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])).sort();

test('English and French catalogues have the same keys, plural forms and placeholders', async () => {
  const [en, fr] = await Promise.all([catalogue('en'), catalogue('fr')]);
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(typeof fr[key], typeof en[key], key);
    assert.deepEqual([...new Set(placeholders(fr[key]))], [...new Set(placeholders(en[key]))], `placeholders of ${key}`);
    for (const s of forms(fr[key])) assert.ok(s.trim().length > 0, `${key} is not empty`);
  }
});

/** Regexes matching every French catalogue text, with {placeholders} as wildcards. */
function matchers(fr) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Placeholders stand for at least one character; the literal parts keep
  // their spaces ("{h} h" matches "12 h", not "English").
  return Object.values(fr).flatMap(forms).map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /\{\w+\}/.test(s))
    .map((s) => new RegExp(`^${s.split(/\{\w+\}/).map(escape).join('.+?')}$`, 's'));
}

/** Visible text and placeholder/title attributes not marked as data, grouped by element. */
function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const isData = (el) => !el || el.closest('[translate="no"], time, script, style, noscript');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (isData(el)) continue;
      if (el.tagName !== 'OPTION' && !el.checkVisibility?.()) continue;
      out.push({ text: el.tagName === 'OPTION' ? el.textContent : n.textContent, tag: el.tagName, cls: el.className?.baseVal ?? el.className });
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (isData(el)) continue;
      for (const attr of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(attr)) out.push({ text: el.getAttribute(attr), tag: el.tagName, attr });
    }
    return out;
  });
}

test('the French UI shows no untranslated string on any page', async () => {
  const fr = await catalogue('fr');
  const known = matchers(fr);
  const frTexts = new Set(Object.values(fr).flatMap(forms).map((s) => s.replace(/\s+/g, ' ').trim()));
  const t = await createTask(mgr, { title: 'Vérifier la pompe', schedule_start: isoIn(1),
    instructions: '<p>Avant de commencer.</p><ol><li>Couper le courant</li><li>Relever la pression (bar)</li></ol><p>Attention : chaud.</p>' });

  const { context, page } = await signedInPage(browser, server, 'manager', { path: '/', locale: 'fr-FR' });
  try {
  await ready(page, '/');
  // Switch the language the way a user does: the picker saves it (PATCH /me) and reloads.
  await page.selectOption('select.lang', 'fr');
  await page.waitForFunction(() => document.documentElement.lang === 'fr' && document.querySelector('#page')?.dataset.ready === '1');
  assert.equal((await mgr.get('/api/v1/users')).json.items.find((u) => u.login === 'manager').locale, 'fr');

  // A fault reported from a QR label: the inbox and its badge have something to say.
  const reported = await fetch(`${server.url}/api/v1/public/equipment/M-1001/report`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Flaque sous la presse', description: 'Environ 20 cm.' }) });
  assert.equal(reported.status, 201);
  const pages = ['/', '/floor', '/triage', '/board', '/calendar', '/calendar?view=day', '/tasks', '/tasks/new', `/tasks/${t.id}`,
    `/tasks/${t.id}/edit`, `/tasks/${t.id}/report`, '/machines', '/machines/1', '/machines/labels', '/people', '/connector', '/reports', '/audit', '/procedures', '/procedures/new'];
  const problems = [];
  const check = async (where) => {
    for (const item of await visibleTexts(page)) {
      const text = item.text.replace(/\s+/g, ' ').trim();
      if (!text || !/\p{L}/u.test(text)) continue;  // numbers, punctuation, symbols
      if (frTexts.has(text) || known.some((re) => re.test(text))) continue;
      problems.push(`${where}: "${text}" (${item.tag}${item.attr ? ` @${item.attr}` : ''})`);
    }
  };
  for (const path of pages) {
    await go(page, path, 12000);
    if (path === '/') await page.waitForSelector('[data-kpi-ready]');
    if (path === '/triage') {
      await page.click('.triage-item button[data-action="approve"]');
      await page.waitForSelector('.triage-form');
    }
    if (path === '/tasks/new') {
      await page.evaluate(() => {
        const area = document.querySelector('.editor-area');
        area.innerHTML = '<ol><li>Mesurer la tension (V)</li></ol>';
        area.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForSelector('.hud-step');
    }
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));  // drawn
    await check(path);
  }
  // Dialogs too: a new person, and a pairing code.
  await go(page, '/people');
  await page.click('.card-head .btn-primary');
  await page.waitForSelector('dialog[open]');
  await check('/people (new person)');
  await page.keyboard.press('Escape');
  await page.click('tr[data-id]:has(.role-technician) >> nth=0 >> button:has-text("Appairer")');
  await page.click('dialog[open] button[type=submit]');
  await page.waitForSelector('dialog[open] .pair-code');
  await check('/people (pairing)');
  await page.keyboard.press('Escape');

  const missing = await page.evaluate(async () => (await import('/js/core/i18n.js')).missingKeys());
  assert.deepEqual(missing, [], 'no key was missing from the French catalogue');
  assert.deepEqual(problems, [], `untranslated text:\n${problems.join('\n')}`);
  assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await mgr.patch('/api/v1/me', { locale: 'en' });
  }
});

test('dates and numbers follow the user\'s locale, times the plant\'s timezone', async () => {
  const { context, page } = await signedInPage(browser, server, 'manager', { path: '/tasks', locale: 'en-US' });
  await ready(page, '/tasks');
  const tz = await page.evaluate(async () => (await import('/js/core/tz.js')).getZone());
  assert.equal(tz, (await mgr.get('/api/v1/me')).json.timezone);
  const en = await page.evaluate(async () => {
    const i18n = await import('/js/core/i18n.js');
    await i18n.loadLocale('en');
    return [i18n.num(1234.5), i18n.date('2026-03-01T12:00:00Z')];
  });
  await page.evaluate(async () => (await import('/js/core/i18n.js')).loadLocale('fr'));
  const fr = await page.evaluate(async () => {
    const i18n = await import('/js/core/i18n.js');
    return [i18n.num(1234.5), i18n.date('2026-03-01T12:00:00Z')];
  });
  assert.deepEqual(en, ['1,234.5', 'Mar 1, 2026']);
  assert.equal(fr[0].replace(/\s/g, ' '), '1 234,5');
  assert.equal(fr[1], '1 mars 2026');
  await context.close();
});
