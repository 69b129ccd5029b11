// Console connector page against the stand-in Odoo (tests/odoo_double):
// settings, connection test, sync now with per-model status, an expired
// API key surfacing as a clear alert for the administrator, and a mass
// deletion in Odoo held until the administrator confirms it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVisor, launchBrowser, repoRoot, waitFor } from './harness.mjs';
import { signedInPage, ready, managerApi } from './console_support.mjs';

const KEY = 'console-test-key-0123456789';
let odoo;
let odooUrl;
let server;
let browser;
let session;

async function startOdoo() {
  const dir = mkdtempSync(join(tmpdir(), 'visor-odoo-'));
  const portFile = join(dir, 'port');
  const child = spawn('python3', [join(repoRoot, 'tests/odoo_double/server.py'), '--port', '0', '--port-file', portFile,
    '--api-key', KEY, '--seed', 'demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitFor(() => existsSync(portFile), { timeout: 15000, what: 'the Odoo double to listen' });
  return { child, dir, url: `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}` };
}

const control = (path, body) => fetch(`${odooUrl}/__control/${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) });

before(async () => {
  odoo = await startOdoo();
  odooUrl = odoo.url;
  server = await startVisor();
  browser = await launchBrowser();
  session = await signedInPage(browser, server, 'admin', { path: '/connector' });
  await ready(session.page, '/connector');
});

after(async () => {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
  odoo?.child.kill('SIGTERM');
  if (odoo) rmSync(odoo.dir, { recursive: true, force: true });
});

test('an administrator connects Odoo: test, save, sync now, status per model', async () => {
  const { page } = session;
  assert.equal(await page.getAttribute('.badge[data-state]', 'data-state'), 'not_configured');
  await page.fill('input[type=url]', odooUrl);
  await page.fill('.field:has(label:text-is("Database")) input', 'odoo');
  await page.fill('.field:has(label:text-is("Odoo login")) input', 'admin');
  await page.fill('input[type=password]', 'wrong-key');
  await page.click('button:has-text("Test the connection")');
  await page.waitForSelector('.test-result.is-bad');

  await page.fill('input[type=password]', KEY);
  await page.click('button:has-text("Test the connection")');
  await page.waitForSelector('.test-result.is-ok');
  assert.match(await page.textContent('.test-result'), /^Connected to /);

  await page.click('form button[type=submit]:has-text("Save")');
  await page.waitForSelector('.toast-ok');
  await page.click('button:has-text("Sync now")');
  // Requests are pulled last: wait for their row, not just the first ones.
  const shownModels = () => page.$$eval('table.compact td:first-child .code', (els) => els.map((e) => e.textContent));
  await waitFor(async () => (await shownModels()).includes('maintenance.request') &&
      ['ok', 'starting', 'failing'].includes(await page.getAttribute('.badge[data-state]', 'data-state')),
    { timeout: 20000, what: 'per-model status after a sync, requests included' });
  const models = await shownModels();
  assert.ok(models.includes('maintenance.request'), models.join(','));
  // The key is write-only: the form never shows it back.
  await page.reload();
  await ready(page, '/connector');
  assert.equal(await page.inputValue('input[type=password]'), '');
  assert.match(await page.getAttribute('input[type=password]', 'placeholder'), /A key is stored/);
  assert.deepEqual(page.errors, []);
});

test('an expired API key shows as an alert, live', async () => {
  const { page } = session;
  const res = await control('api_key', { expired: true });
  assert.equal(res.status, 200);
  await page.click('button:has-text("Sync now")');
  await page.waitForSelector('.alert-danger', { timeout: 20000 });
  assert.match(await page.textContent('.alert-danger'), /The Odoo API key is refused/);
  assert.equal(await page.getAttribute('.badge[data-state]', 'data-state'), 'alert');

  // Managers see the status read-only, with the alert.
  const mgr = await managerApi(server);
  const status = (await mgr.get('/api/v1/sync/status')).json;
  assert.equal(status.state, 'alert');
  await control('api_key', { expired: false });
});

test('a mass deletion in Odoo waits for the administrator to confirm it', async () => {
  const { page } = session;
  const mgr = await managerApi(server);
  const linked = async () => (await mgr.get('/api/v1/sync/status')).json.models
    .find((m) => m.model === 'maintenance.request')?.records;
  await waitFor(async () => (await linked()) === 20 && (await mgr.get('/api/v1/sync/status')).json.state === 'ok',
    { timeout: 20000, what: 'the sync to be ok with 20 linked requests' });
  // 7 of 20 requests vanish in Odoo (35 %, above the 20 % guard).
  const res = await control('unlink', { model: 'maintenance.request', ids: [1, 2, 3, 4, 5, 6, 7] });
  assert.equal(res.status, 200);
  await page.click('button:has-text("Sync now")');
  const row = 'tr[data-held="maintenance.request"]';
  await page.waitForSelector(row, { timeout: 20000 });
  assert.match(await page.textContent(row), /7 of 20 linked records/);
  assert.equal(await page.getAttribute('.badge[data-state]', 'data-state'), 'alert');
  assert.match(await page.textContent('.alert-danger'), /Deletions in the CMMS wait for your confirmation/);
  assert.equal(await linked(), 20, 'nothing is removed before the confirmation');

  await page.click(`${row} button:has-text("Confirm these deletions")`);
  await page.waitForSelector('.toast-ok');
  await waitFor(async () => (await linked()) === 13, { timeout: 20000, what: 'the confirmed deletions to be applied' });
  await waitFor(async () => (await page.$(row)) === null, { timeout: 20000, what: 'the held row to go' });
  assert.deepEqual(page.errors, []);
});
