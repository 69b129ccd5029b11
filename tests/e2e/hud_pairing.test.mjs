// Pairing with no typing beyond a 6-character code — typed, spoken, or
// scanned from the QR code the console shows; a password sign-in instead
// (on a phone); the fleet's display profile given to the next device; and
// the camera at work:
// a machine's QR label opens the machine, a photo is downscaled on the
// device and stored with the task. Chromium's fake camera plays a Y4M frame
// rendered from Visor's own QR SVGs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVisor, waitFor } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, createTask, pairingCode, screen, taskCard, say, itemNumber } from './hud_support.mjs';

let server;
let browser;
let mgr;
let alice;
const tmp = mkdtempSync(join(tmpdir(), 'visor-hud-cam-'));

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  alice = await userId(mgr, 'alice');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Renders an SVG (a QR code) into a one-frame 640×480 Y4M file for Chromium's fake camera. */
async function y4mOf(svg, name) {
  const page = await browser.newPage();
  const [w, h] = [640, 480];
  const luma = await page.evaluate(async ({ src, w, h }) => {
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(src)}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.drawImage(img, (w - 400) / 2, (h - 400) / 2, 400, 400);
    const d = g.getImageData(0, 0, w, h).data;
    const y = new Array(w * h);
    for (let i = 0; i < w * h; i++) y[i] = Math.round(0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]);
    return y;
  }, { src: svg, w, h });
  await page.close();
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F15:1 Ip A1:1 C420jpeg\nFRAME\n`);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const file = join(tmp, `${name}.y4m`);
  writeFileSync(file, Buffer.concat([header, Buffer.from(luma), chroma]));
  return file;
}

function cameraBrowser(file) {
  return launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`]);
}

test('pairing by a typed code; a wrong code is refused in plain words; the pairing survives a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 854, height: 480 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/hud/`);
  await screen(page, 'pair');
  await page.fill('.code-input', 'ZZZZ22');
  await page.keyboard.press('Enter');
  assert.match(await (await page.waitForSelector('.notice')).textContent(), /unknown, used or expired/);
  const { code } = await pairingCode(mgr, alice, 'Navigator typed', 'opaque');
  await page.fill('.code-input', `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
  await page.keyboard.press('Enter');
  await screen(page, 'work', 10000);
  assert.match(await page.textContent('#title'), /MY WORK · ALICE MARTIN/);
  assert.equal(await page.getAttribute('html', 'data-profile'), 'opaque', 'the profile chosen at pairing');
  const devices = (await mgr.get(`/api/v1/devices?user=${alice}`)).json.items;
  assert.ok(devices.some((d) => d.name === 'Navigator typed' && !d.revoked_at));
  await page.reload();
  await screen(page, 'work', 10000);
  const reused = await pairingCode(mgr, alice, 'again');
  assert.ok(reused.code !== code);
  await context.close();
});

test('UNPAIR DEVICE (confirmed) revokes the token on the server and returns to pairing', async () => {
  const context = await browser.newContext({ viewport: { width: 854, height: 480 } });
  const page = await context.newPage();
  const { code } = await pairingCode(mgr, alice, 'Navigator leaving');
  await page.goto(`${server.url}/hud/#pair=${code}`);
  await screen(page, 'work', 10000);
  assert.equal(await say(page, 'settings'), 'SETTINGS');
  await screen(page, 'settings');
  assert.equal(await say(page, 'unpair device'), 'UNPAIR');
  await page.waitForSelector('#bar .cmd[data-cmd="UNPAIR"] >> text=UNPAIR NOW');
  assert.equal(await say(page, 'unpair now'), 'UNPAIR');
  await screen(page, 'pair');
  const devices = (await mgr.get(`/api/v1/devices?user=${alice}`)).json.items;
  const gone = devices.find((d) => d.name === 'Navigator leaving');
  assert.ok(gone?.revoked_at, JSON.stringify(gone));
  await context.close();
});

test('a technician signing in with a password (on a phone) lands on their work, acts, and signs out', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const [m] = await machines(mgr);
  const task = await createTask(mgr, { title: `Password ${Date.now() % 100000}`, assignee: alice, equipmentId: m.id, steps: ['Look.', 'Listen.'] });
  // The console's own sign-in page, as a technician uses it; it sends technicians to /hud/.
  await page.goto(`${server.url}/`);
  await page.fill('input[name=login]', 'alice');
  await page.fill('input[name=password]', server.logins.alice.password);
  await page.click('button[type=submit]');
  await screen(page, 'work', 10000);
  assert.match(await page.textContent('#title'), /MY WORK · ALICE MARTIN/);
  assert.ok(!(await page.$('#screen[data-screen="pair"]')), 'not asked to pair');
  const n = await waitFor(() => itemNumber(page, task.id), { what: 'the task in the list' });
  await page.tap(`#screen .item[data-key="task-${task.id}"]`);
  await taskCard(page);
  await page.tap('#bar .cmd[data-cmd="START"]');
  await screen(page, 'step');
  const started = await waitFor(async () => {
    const d = (await mgr.get(`/api/v1/tasks/${task.id}`)).json;
    return d.execution === 'in_progress' ? d : null;
  }, { what: 'the start on the server (a POST with the session and its CSRF token)' });
  assert.equal(started.work_log.find((e) => e.kind === 'started').user_id, alice);
  assert.ok(n > 0);
  assert.equal(await say(page, 'settings'), 'SETTINGS');
  await page.waitForSelector('#bar .cmd[data-cmd="UNPAIR"] >> text=SIGN OUT');
  assert.equal(await say(page, 'sign out'), 'UNPAIR');
  assert.equal(await say(page, 'sign out now'), 'UNPAIR');
  await screen(page, 'pair');
  const me = await page.evaluate(() => fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.status));
  assert.equal(me, 401, 'the session is ended on the server');
  await page.reload();
  await screen(page, 'pair');
  assert.ok(await page.isVisible('.pair .link[href="/"]'), 'the pairing screen on a phone offers the password sign-in');
  assert.deepEqual(errors, []);
  await context.close();
});

test("the profile chosen for the plant's glasses is remembered for the next device", async () => {
  const first = await pairingCode(mgr, alice, 'Navigator fleet 1', 'opaque');
  const context = await browser.newContext({ viewport: { width: 854, height: 480 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/hud/#pair=${first.code}`);
  await screen(page, 'work', 10000);
  assert.equal(await say(page, 'dark mode'), 'DARK');
  await waitFor(async () => (await mgr.get('/api/v1/devices')).json.fleet_profile === 'dark-opaque', { what: 'the fleet profile on the server' });
  await context.close();
  // The next pairing names no profile: the device gets the fleet's.
  const res = await mgr.post('/api/v1/pairings', { user_id: alice, device_name: 'Navigator fleet 2' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.profile, 'dark-opaque');
  const next = await browser.newContext({ viewport: { width: 854, height: 480 } });
  const p2 = await next.newPage();
  await p2.goto(`${server.url}/hud/#pair=${res.json.code}`);
  await screen(p2, 'work', 10000);
  assert.equal(await p2.getAttribute('html', 'data-profile'), 'dark-opaque');
  await next.close();
});

test('pairing by saying the code (letters, digits or the NATO alphabet)', async () => {
  const context = await browser.newContext({ viewport: { width: 854, height: 480 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/hud/`);
  await screen(page, 'pair');
  const { code } = await pairingCode(mgr, alice, 'Navigator spoken');
  const nato = { A: 'alpha', B: 'bravo', C: 'charlie', D: 'delta', E: 'echo', F: 'foxtrot', G: 'golf', H: 'hotel', J: 'juliet', K: 'kilo', M: 'mike', N: 'november', P: 'papa', Q: 'quebec', R: 'romeo', S: 'sierra', T: 'tango', U: 'uniform', V: 'victor', W: 'whiskey', X: 'x-ray', Y: 'yankee', Z: 'zulu' };
  const digits = { 2: 'two', 3: 'three', 4: 'four', 5: 'five', 6: 'six', 7: 'seven', 8: 'eight', 9: 'nine' };
  const spoken = [...code].map((c) => nato[c] || digits[c]).join(' ');
  assert.equal(await say(page, spoken), 'DICTATION');
  await screen(page, 'work', 10000);
  await context.close();
});

test('pairing by scanning the QR code shown in the console', async () => {
  const pairing = await pairingCode(mgr, alice, 'Navigator scanned');
  const cam = await cameraBrowser(await y4mOf(pairing.qr_svg, 'pairing'));
  try {
    const context = await cam.newContext({ viewport: { width: 854, height: 480 }, permissions: ['camera'] });
    const page = await context.newPage();
    await page.goto(`${server.url}/hud/`);
    await screen(page, 'pair');
    assert.equal(await say(page, 'scan code'), 'SCAN');
    await screen(page, 'camera');
    await screen(page, 'work', 15000);
    const devices = (await mgr.get(`/api/v1/devices?user=${alice}`)).json.items;
    assert.ok(devices.some((d) => d.name === 'Navigator scanned'));
  } finally {
    await cam.close();
  }
});

test("scanning a machine's label opens it; a photo is downscaled on the device and stored with the step", async () => {
  const [m] = await machines(mgr);
  const qr = await mgr.get(`/api/v1/equipment/${m.id}/qr.svg`);
  assert.equal(qr.status, 200);
  const task = await createTask(mgr, { title: `Photo ${Date.now() % 100000}`, assignee: alice, equipmentId: m.id, steps: ['Inspect the belt.', 'Close the guard.'] });
  const cam = await cameraBrowser(await y4mOf(qr.text, 'machine'));
  try {
    const { code } = await pairingCode(mgr, alice, 'Navigator camera');
    const context = await cam.newContext({ viewport: { width: 854, height: 480 }, permissions: ['camera'] });
    const page = await context.newPage();
    await page.goto(`${server.url}/hud/#pair=${code}`);
    await screen(page, 'work', 10000);
    assert.equal(await say(page, 'scan machine'), 'SCAN');
    await screen(page, 'machine', 15000);
    await page.waitForSelector(`.machine-head .task-title >> text=${m.name}`);
    const n = await waitFor(() => itemNumber(page, task.id), { what: 'the task among the machine\'s open work' });
    await say(page, `open ${n}`);
    await taskCard(page);
    await say(page, 'start task');
    await screen(page, 'step');
    assert.equal(await say(page, 'take photo'), 'PHOTO');
    await screen(page, 'camera');
    await page.waitForFunction(() => document.querySelector('.camera-video')?.videoWidth > 0);
    assert.equal(await say(page, 'take photo'), 'PHOTO');
    await screen(page, 'step');
    assert.match(await page.textContent('#toasts'), /PHOTO SAVED/);
    const photo = await waitFor(async () => {
      const d = (await mgr.get(`/api/v1/tasks/${task.id}`)).json;
      return d.work_log.find((e) => e.kind === 'photo');
    }, { what: 'the photo in the work log' });
    assert.equal(photo.step, 1);
    assert.ok(photo.media_id, JSON.stringify(photo));
    const media = await fetch(`${server.url}/api/v1/media/${photo.media_id}`, { headers: mgr.headers });
    assert.equal(media.status, 200);
    assert.equal(media.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await media.arrayBuffer());
    assert.ok(bytes.length > 1000 && bytes.length < 12 * 1024 * 1024, `${bytes.length} bytes`);
    assert.match(await page.textContent('.step-result'), /1 PHOTO/);
    // A big picture (a 12 MP phone photo) leaves the device as a JPEG of at most 1600 px.
    const out = await page.evaluate(async () => {
      const { toJpeg } = await import('/hud/js/scan.js');
      const c = document.createElement('canvas');
      c.width = 4000; c.height = 3000;
      const g = c.getContext('2d');
      g.fillStyle = '#345'; g.fillRect(0, 0, 4000, 3000);
      const blob = await toJpeg(await new Promise((r) => c.toBlob(r, 'image/png')));
      const img = await createImageBitmap(blob);
      return { type: blob.type, w: img.width, h: img.height };
    });
    assert.deepEqual(out, { type: 'image/jpeg', w: 1600, h: 1200 });
  } finally {
    await cam.close();
  }
});
