// Console people and devices: creating an account, pairing glasses with the
// code shown as a scannable QR (decoded here) and as text, the device list
// with last use, and revoking a device (its token stops working at once).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { Api } from './harness.mjs';
import { go, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/people')));
after(() => closeConsole({ server, browser, session }));

test('a manager creates a technician account from the console', async () => {
  const { page } = session;
  await page.click('.card-head .btn-primary');
  await page.waitForSelector('dialog[open]');
  await page.fill('dialog .field:has(label:text-is("Login")) input', 'dora');
  await page.fill('dialog .field:has(label:text-is("Name")) input', 'Dora Durand');
  await page.fill('dialog input[type=password]', 'a long enough password 42');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const row = page.locator('tr[data-id]', { hasText: 'Dora Durand' });
  await row.waitFor();
  assert.match(await row.textContent(), /Technician/);
  const users = (await mgr.get('/api/v1/users')).json.items;
  const dora = users.find((u) => u.login === 'dora');
  assert.equal(dora.role, 'technician');
  const login = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'dora', password: 'a long enough password 42' }) });
  assert.equal(login.status, 200, 'the new account signs in');
});

test('pairing glasses: a scannable QR and the code; the device then appears and can be revoked', async () => {
  const { page } = session;
  const row = page.locator('tr[data-id]', { hasText: 'Alice Martin' });
  await row.locator('button:has-text("Pair glasses")').click();
  await page.waitForSelector('dialog[open]');
  await page.fill('dialog .field:has(label:text-is("Device name")) input', 'Navigator from the console');
  await page.click('dialog button[type=submit]');
  await page.waitForSelector('dialog .pair-code');
  const code = await page.getAttribute('dialog .pair-code', 'data-code');
  const scan = await page.evaluate(async () => {
    const img = document.querySelector('dialog .pair-qr img');
    await img.decode();
    const size = 400;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(img, 0, 0, size, size);
    return Array.from(ctx.getImageData(0, 0, size, size).data);
  });
  const qr = jsQR(new Uint8ClampedArray(scan), 400, 400);
  assert.ok(qr, 'the pairing QR decodes');
  assert.ok(qr.data.includes(code), `the QR carries the code (${qr.data})`);
  assert.match(await page.textContent('dialog .pair-out'), /Expires in/);
  await page.keyboard.press('Escape');

  // The glasses redeem it (as the HUD does) and use their token.
  const redeemed = await fetch(`${server.url}/api/v1/pairings/redeem`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }) });
  assert.equal(redeemed.status, 201);
  const { token, id } = await redeemed.json();
  const glasses = Api.device(server.url, token);
  assert.equal((await glasses.get('/api/v1/me')).status, 200);

  await go(page, '/people');
  const device = page.locator(`tr[data-device-id="${id}"]`);
  await device.waitFor();
  assert.match(await device.textContent(), /Navigator from the console/);
  assert.match(await device.textContent(), /Alice Martin/);
  assert.doesNotMatch(await device.textContent(), /Never/, 'last use is shown');

  await device.locator('button:has-text("Revoke")').click();
  await page.click('dialog[open] .btn-danger');
  await page.waitForSelector(`tr[data-device-id="${id}"].is-inactive`);
  await waitFor(async () => (await glasses.get('/api/v1/me')).status === 401, { what: 'the revoked token to be refused' });
  assert.deepEqual(page.errors, []);
});
