// The QR label URL /m/<code>: without a device token it is a public
// "report a problem" form (no login, rate-limited); on a paired device it
// opens the machine, from which a technician reports a problem too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor, waitFor, Api } from './harness.mjs';
import { launchChromium, managerApi, machines, pairedPage, screen, say, createTask, userId, pairingCode } from './hud_support.mjs';

let server;
let browser;
let mgr;
let equipment;

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  equipment = await machines(mgr);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('anyone can report a problem from the machine label, without an account', async () => {
  const m = equipment[3];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/m/${m.code}`);
  await screen(page, 'public');
  await page.waitForSelector(`.public .big >> text=${m.name}`);
  assert.match(await page.textContent('.public .meta'), new RegExp(m.code));
  assert.equal(await page.getAttribute('html', 'data-profile'), 'phone');
  await page.screenshot({ path: 'tests/e2e/out/hud-public-form-phone.png' });
  // Nothing typed: a clear word, nothing sent.
  await page.tap('.public-form button[type=submit]');
  await page.waitForSelector('.notice >> text=Please say what is wrong.');
  await page.fill('#p-title', 'Smoke from the motor');
  await page.fill('#p-desc', 'Smells burnt since the morning shift.');
  await page.fill('#p-contact', 'Dana, line 3, ext. 4411');
  await page.tap('.public-form button[type=submit]');
  await page.waitForSelector('.big >> text=THANK YOU');
  const id = Number((await page.textContent('.public p')).match(/#(\d+)/)[1]);
  const task = (await mgr.get(`/api/v1/tasks/${id}`)).json;
  assert.equal(task.title, 'Smoke from the motor');
  assert.equal(task.equipment.code, m.code);
  assert.equal(task.type, 'corrective');
  assert.equal(task.reporter_contact, 'Dana, line 3, ext. 4411');
  await page.screenshot({ path: 'tests/e2e/out/hud-public-thanks-phone.png' });
  await context.close();
});

test('an unknown label says so', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/m/NO-SUCH-MACHINE`);
  await page.waitForSelector('.big >> text=MACHINE NOT FOUND');
  assert.match(await page.textContent('.public p'), /NO-SUCH-MACHINE/);
  await context.close();
});

test('too many public reports from one address get a clear answer', async () => {
  const m = equipment[4];
  // Fill the per-address allowance through the API (same loopback address).
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${server.url}/api/v1/public/equipment/${m.code}/report`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: `Flood ${i}` }),
    });
    if (res.status === 429) break;
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/m/${m.code}`);
  await page.waitForSelector('#p-title');
  await page.fill('#p-title', 'One more');
  await page.click('.public-form button[type=submit]');
  const notice = await (await page.waitForSelector('.notice')).textContent();
  assert.match(notice, /Too many reports/i);
  assert.equal(await page.inputValue('#p-title'), 'One more', 'what was typed is kept');
  await context.close();
});

test('on a paired device the label opens the machine, with everyone\'s history; REPORT PROBLEM creates a corrective task', async () => {
  // A machine of another team than alice's, and work done on it by bruno (of that team): alice, at
  // the machine, sees it in the history although the task is outside what she may list.
  const users = (await mgr.get('/api/v1/users')).json.items;
  const aliceTeam = users.find((u) => u.login === 'alice').team_id;
  const m = equipment.find((e, i) => i > 5 && e.team_id !== aliceTeam);
  assert.ok(m, 'a machine of the other team');
  const bruno = await userId(mgr, 'bruno');
  const done = await createTask(mgr, { title: `Done by Bruno ${Date.now() % 100000}`, assignee: bruno, equipmentId: m.id, steps: ['Tighten.'] });
  assert.notEqual(done.team_id, aliceTeam);
  const redeemed = await fetch(`${server.url}/api/v1/pairings/redeem`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: (await pairingCode(mgr, bruno, 'Bruno history')).code }) }).then((r) => r.json());
  const brunoApi = Api.device(server.url, redeemed.token);
  assert.equal((await brunoApi.post(`/api/v1/tasks/${done.id}/start`, {})).status, 200);
  const closed = await brunoApi.post(`/api/v1/tasks/${done.id}/complete`, {});
  assert.equal(closed.status, 200, closed.text);
  const hud = await pairedPage(browser, server, mgr, { login: 'alice' });
  const { page } = hud;
  await page.goto(`${server.url}/m/${m.code}`);
  await screen(page, 'machine', 10000);
  await page.waitForSelector(`.machine-head .task-title >> text=${m.name}`);
  await page.waitForSelector(`#screen .history >> text=${done.title}`);
  assert.match(await page.textContent('.machine-head .facts'), new RegExp(`LAST DONE.*${done.title}.*BRUNO`, 's'));
  assert.ok(page.url().endsWith(`/hud/#/machine/${m.code}`), page.url());
  assert.equal(await say(page, 'report problem'), 'REPORT');
  await screen(page, 'report');
  assert.equal(await say(page, 'three'), 'SELECT'); // a common problem by number
  assert.equal(await page.inputValue('.field[data-key="report-title"]'), 'Overheating');
  assert.equal(await say(page, 'the motor housing is too hot to touch'), 'DICTATION');
  assert.equal(await page.inputValue('.field[data-key="report-title"]'), 'The motor housing is too hot to touch');
  assert.equal(await say(page, 'mark urgent'), 'URGENT');
  assert.equal(await say(page, 'send report'), 'SAVE');
  await screen(page, 'machine');
  const found = await waitFor(async () => {
    const res = await mgr.get(`/api/v1/tasks?equipment=${m.id}&sort=newest&limit=5`);
    return res.json.items.find((t) => t.title === 'The motor housing is too hot to touch');
  }, { what: 'the reported task' });
  assert.equal(found.priority, 3);
  assert.equal(found.type, 'corrective');
  await hud.context.close();
});
