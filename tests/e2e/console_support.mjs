// Helpers shared by the console suites (tests/e2e/console_*.test.mjs): a
// signed-in browser context, page navigation that waits for the page to be
// drawn, API shortcuts. Built on harness.mjs; every wait has a deadline.
import { Api, waitFor, startVisor, launchBrowser } from './harness.mjs';

export const managerApi = (server) => Api.session(server.url, 'manager', server.logins.manager.password);
export const adminApi = (server) => Api.session(server.url, 'admin', server.logins.admin.password);
export const techApi = (server, login = 'alice') => Api.session(server.url, login, server.logins[login].password);

/** The user id of `login`, through the manager's API. */
export async function userId(api, login) {
  const res = await api.get('/api/v1/users');
  const u = res.json.items.find((x) => x.login === login);
  if (!u) throw new Error(`no user ${login}`);
  return u.id;
}

export async function stages(api) {
  return (await api.get('/api/v1/stages')).json.items;
}

export async function task(api, id) {
  const res = await api.get(`/api/v1/tasks/${id}`);
  if (res.status !== 200) throw new Error(`task ${id}: ${res.status} ${res.text}`);
  return res.json;
}

export const isoIn = (hours) => new Date(Date.now() + hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

export async function createTask(api, body) {
  const res = await api.post('/api/v1/tasks', { priority: 2, ...body });
  if (res.status !== 201) throw new Error(`create task: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * A browser context signed in as `login` (session cookie from the API, the
 * way the sign-in form gets it) with its page on `path`, drawn. The page
 * collects uncaught errors in page.errors. With `fakeClock` the page's timers
 * run on Playwright's clock (page.clock.runFor moves it).
 */
export async function signedInPage(browser, server, login = 'manager',
  { path = '/', locale = 'en-US', viewport = { width: 1440, height: 900 }, fakeClock = false } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'UTC' });
  const res = await context.request.post(`${server.url}/api/v1/session`, { data: { login, password: server.logins[login].password } });
  if (res.status() !== 200) throw new Error(`login ${login}: ${res.status()}`);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  if (fakeClock) await page.clock.install();
  await page.goto(`${server.url}${path}`);
  return { context, page };
}

/**
 * What most console suites start with: a demo server, a browser, the
 * manager's API and a signed-in manager page drawn at `path`. Close it with
 * closeConsole() (every part that was opened, even after a failed start).
 */
export async function openConsole(path) {
  const suite = {};
  try {
    suite.server = await startVisor();
    suite.browser = await launchBrowser();
    suite.mgr = await managerApi(suite.server);
    suite.session = await signedInPage(suite.browser, suite.server, 'manager', { path });
    await ready(suite.session.page, path.split('?')[0]);
    return suite;
  } catch (e) {
    await closeConsole(suite);
    throw e;
  }
}

/** Closes what openConsole() opened, in reverse order. */
export async function closeConsole({ server, browser, session } = {}) {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
}

/** Waits until the console has drawn the page at `path` (#page[data-ready]). */
export async function ready(page, path, timeout = 8000) {
  await page.waitForFunction((p) => location.pathname === p && document.querySelector('#page')?.dataset.ready === '1', path, { timeout });
}

/** Client-side navigation (no reload), then waits for the page. */
export async function go(page, path, timeout = 8000) {
  const pathname = path.split('?')[0];
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await ready(page, pathname, timeout);
}

/** Drags `from` (a locator) to the point (x, y) with real pointer events. */
export async function dragTo(page, from, x, y) {
  await from.scrollIntoViewIfNeeded();
  const box = await from.boundingBox();
  const sx = box.x + Math.min(20, box.width / 2);
  const sy = box.y + box.height / 2;
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  await page.mouse.move(sx + 8, sy + 8, { steps: 2 });
  await page.mouse.move(x, y, { steps: 8 });
  await page.mouse.up();
}

export { waitFor };
