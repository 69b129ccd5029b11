// Console: sign-in through the form, CSRF on unsafe methods, and a
// technician who can open no console page and no planner API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor, launchBrowser, Api } from './harness.mjs';
import { managerApi, techApi, signedInPage, ready, isoIn, createTask } from './console_support.mjs';

let server;
let browser;

before(async () => {
  server = await startVisor();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a manager signs in through the form and lands on the dashboard; a wrong password is refused', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/board`);
  await page.waitForSelector('.login-form');
  assert.match(page.url(), /\/login\?next=%2Fboard$/);

  await page.fill('input[name=login]', 'manager');
  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.form-error')?.textContent.length > 0);
  assert.equal(await page.textContent('.form-error'), 'Wrong login or password.');

  await page.fill('input[name=password]', server.logins.manager.password);
  await page.click('button[type=submit]');
  await ready(page, '/board');  // back where the manager was going
  assert.equal(await page.textContent('.page-title'), 'Board');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.httpOnly);
  assert.ok(session, 'the session cookie is HttpOnly');
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the session');

  await page.click('text=Sign out');
  await page.waitForSelector('.login-form');
  const after = await context.request.get(`${server.url}/api/v1/me`);
  assert.equal(after.status(), 401, 'signing out ends the session');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unsafe request without the CSRF token is refused, with it accepted', async () => {
  const mgr = await managerApi(server);
  const cookieOnly = new Api(server.url, { Cookie: mgr.headers.Cookie });
  const refused = await cookieOnly.post('/api/v1/tasks', { title: 'No token' });
  assert.equal(refused.status, 403);
  assert.match(refused.headers.get('content-type'), /application\/problem\+json/);
  const wrong = await cookieOnly.post('/api/v1/tasks', { title: 'Wrong token' }, { 'X-CSRF-Token': 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  const list = await mgr.get('/api/v1/tasks?q=token&include_done=true');
  assert.equal(list.json.items.filter((t) => /token/i.test(t.title)).length, 0, 'nothing was written');
  const ok = await mgr.post('/api/v1/tasks', { title: 'With the token' });
  assert.equal(ok.status, 201);

  // The console itself sends the token: a change made through the UI works.
  const { context, page } = await signedInPage(browser, server, 'manager', { path: `/tasks/${ok.json.id}` });
  await ready(page, `/tasks/${ok.json.id}`);
  const status = await page.evaluate(async (id) => {
    const { patch } = await import('/js/core/api.js');
    const t = await patch(`/tasks/${id}`, { priority: 3 });
    return t.priority;
  }, ok.json.id);
  assert.equal(status, 3);
  await context.close();
});

const CONSOLE_PAGES = ['/', '/floor', '/board', '/calendar', '/tasks', '/tasks/new', '/tasks/1', '/tasks/1/edit', '/machines',
  '/machines/1', '/machines/labels', '/people', '/connector', '/reports', '/audit'];

test('a technician cannot open any console page: every one sends them to the glasses app', async () => {
  const { context, page } = await signedInPage(browser, server, 'alice', { path: '/' });
  for (const path of CONSOLE_PAGES) {
    // The redirect can land before the console page finishes loading, which
    // Playwright reports as an interrupted navigation: that is the point.
    await page.goto(`${server.url}${path}`).catch((e) => {
      if (!/interrupted by another navigation/.test(e.message)) throw e;
    });
    await page.waitForURL(/\/hud\//, { timeout: 5000 });
    assert.equal(await page.locator('#page').count(), 0, `${path} drew no console page`);
  }
  await context.close();

  // Signing in on the console form as a technician also ends on /hud/.
  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await p2.goto(`${server.url}/login`);
  await p2.fill('input[name=login]', 'bruno');
  await p2.fill('input[name=password]', server.logins.bruno.password);
  await p2.click('button[type=submit]');
  await p2.waitForURL(/\/hud\//, { timeout: 5000 });
  await ctx2.close();
});

test('a technician is refused every planner API the console uses', async () => {
  const mgr = await managerApi(server);
  const tech = await techApi(server, 'alice');
  const t = await createTask(mgr, { title: 'Access probe', schedule_start: isoIn(2) });
  const period = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
  const forbidden = [
    ['POST', '/api/v1/tasks', { title: 'Technicians cannot plan' }],
    ['PATCH', `/api/v1/tasks/${t.id}`, { priority: 0 }],
    ['DELETE', `/api/v1/tasks/${t.id}`],
    ['POST', '/api/v1/tasks/bulk', { ids: [t.id], changes: { priority: 0 } }],
    ['POST', '/api/v1/instructions/preview', { text: '<ol><li>x</li></ol>' }],
    ['GET', `/api/v1/reports/kpis?${period}`],
    ['GET', `/api/v1/reports/tasks.csv?${period}`],
    ['GET', `/api/v1/reports/worklog.csv?${period}`],
    ['GET', `/api/v1/reports/kpis.csv?${period}`],
    ['GET', '/api/v1/users'],
    ['POST', '/api/v1/users', { login: 'mallory', name: 'M', password: 'correct horse battery' }],
    ['GET', '/api/v1/devices'],
    ['GET', '/api/v1/audit'],
    ['POST', '/api/v1/pairings', { device_name: 'x' }],
    ['PATCH', '/api/v1/equipment/1', { location: 'Elsewhere' }],
    ['GET', '/api/v1/sync/status'],
    ['POST', '/api/v1/sync/run'],
  ];
  for (const [method, path, body] of forbidden) {
    const res = await tech.call(method, path, body);
    assert.equal(res.status, 403, `${method} ${path} → ${res.status} ${res.text.slice(0, 120)}`);
    assert.match(res.headers.get('content-type') || '', /problem\+json/, `${method} ${path} answers a problem`);
  }
  const still = await mgr.get(`/api/v1/tasks/${t.id}`);
  assert.equal(still.json.priority, 2, 'nothing changed');
});
