// Live and offline: an assignment made in the API shows on the HUD within a
// second; cancellations are announced; actions taken offline wait in the
// outbox ("OFFLINE · N WAITING"), survive a reload, and reach the server
// exactly once, in order, with the times they were really taken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor, waitFor } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, createTask, pairedPage, screen, say, stats, itemNumber } from './hud_support.mjs';

let server;
let browser;
let mgr;
let alice;
let hud;
let equipment;

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  alice = await userId(mgr, 'alice');
  equipment = await machines(mgr);
  hud = await pairedPage(browser, server, mgr, { login: 'alice' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an assignment made through the API appears on the HUD within a second, announced', async () => {
  const { page } = hud;
  await say(page, 'my work');
  await screen(page, 'work');
  const task = await createTask(mgr, { title: `Live ${Date.now() % 100000}`, equipmentId: equipment[0].id, steps: ['Check it.'] });
  await page.waitForSelector('#badge.badge-live');
  const t0 = Date.now();
  const res = await mgr.patch(`/api/v1/tasks/${task.id}`, { assignee_id: alice });
  assert.equal(res.status, 200, res.text);
  await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`, { timeout: 1000 });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 1000, `appeared after ${elapsed} ms`);
  const toast = await page.textContent('#toasts');
  assert.match(toast, new RegExp(`NEW TASK: .*${task.title}`));
  console.log(`# assignment → visible on the HUD: ${elapsed} ms`);

  // Reassigned away and cancelled work leaves the list, with a word why.
  await mgr.patch(`/api/v1/tasks/${task.id}`, { assignee_id: await userId(mgr, 'bruno') });
  await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`, { state: 'detached', timeout: 2000 });
  assert.match(await page.textContent('#toasts'), /REASSIGNED TO BRUNO/);
  const other = await createTask(mgr, { title: `Cancelled ${Date.now() % 100000}`, assignee: alice, equipmentId: equipment[1].id });
  await page.waitForSelector(`#screen .item[data-key="task-${other.id}"]`, { timeout: 2000 });
  assert.equal((await mgr.delete(`/api/v1/tasks/${other.id}`)).status, 204);
  await page.waitForSelector(`#screen .item[data-key="task-${other.id}"]`, { state: 'detached', timeout: 2000 });
  assert.match(await page.textContent('#toasts'), /CANCELLED/);
});

test('the event stream resumes with Last-Event-ID after a drop, and catches up', async () => {
  const { page, context } = hud;
  await say(page, 'my work');
  await screen(page, 'work');
  const streams = [];
  const onRequest = async (req) => {
    if (new URL(req.url()).pathname === '/api/v1/events') streams.push(await req.allHeaders());
  };
  page.on('request', onRequest);
  await context.setOffline(true);
  await page.waitForSelector('#badge >> text=OFFLINE');
  const task = await createTask(mgr, { title: `Missed ${Date.now() % 100000}`, assignee: alice, equipmentId: equipment[0].id });
  await context.setOffline(false);
  await page.waitForSelector(`#screen .item[data-key="task-${task.id}"]`, { timeout: 5000 });
  await page.waitForSelector('#badge.badge-live');
  page.off('request', onRequest);
  const resumed = streams.find((h) => h['last-event-id']);
  assert.ok(resumed, `a reconnect sent Last-Event-ID: ${JSON.stringify(streams)}`);
  assert.match(resumed['last-event-id'], /^\d+$/);
  assert.match(resumed.authorization, /^Bearer /, 'the stream carries the device token');
});

test('offline: actions wait with their real times, survive a reload, and replay exactly once, in order', async () => {
  const { page, context } = hud;
  const task = await createTask(mgr, { title: `Offline ${Date.now() % 100000}`, assignee: alice, equipmentId: equipment[2].id, steps: ['Open the guard.', 'Measure the belt tension (N).', 'Close the guard.'] });
  await say(page, 'refresh list');
  await say(page, 'my work');
  const n = await waitFor(() => itemNumber(page, task.id), { what: 'the task in the list' });
  await say(page, `open ${n}`);
  await screen(page, 'task');
  await page.waitForSelector('#bar .primary >> text=START TASK'); // the card is on the device

  await context.setOffline(true);
  await page.waitForSelector('#badge >> text=OFFLINE');
  const before = Date.now();
  await say(page, 'start task');
  await screen(page, 'step');
  await say(page, 'step done');
  await page.waitForSelector('.step-count >> text=STEP 2 OF 3');
  await say(page, 'value 350');
  await say(page, 'step done');
  await page.waitForSelector('.step-count >> text=STEP 3 OF 3');
  await page.waitForSelector('#badge >> text=OFFLINE · 4 WAITING');

  // A reload while offline: the service worker serves the app, IndexedDB the card and the queue.
  await page.reload();
  await screen(page, 'step', 10000);
  await page.waitForSelector('#badge >> text=OFFLINE · 4 WAITING');
  assert.equal(await page.textContent('.step-count'), 'STEP 3 OF 3');
  await say(page, 'step done');
  await page.waitForSelector('.finish-head >> text=ALL 3 STEPS DONE');
  await say(page, 'add note belt replaced next month');
  await page.waitForSelector('#badge >> text=OFFLINE · 6 WAITING');
  const queued = (await stats(page)).pending;
  assert.deepEqual(queued.map((a) => a.kind), ['start', 'step', 'step', 'step', 'step', 'note']);
  // Reconnect in a later second than the last action: times are stored to
  // the second, and a delivery time must be told apart from an action's.
  const nextSecond = Math.floor(Math.max(...queued.map((a) => Date.parse(a.at))) / 1000) * 1000 + 1000;
  await waitFor(() => Date.now() >= nextSecond, { what: 'the second after the last action' });
  const reconnectAt = Math.floor(Date.now() / 1000) * 1000;  // a delivery is stamped at or after it

  await context.setOffline(false);
  await page.waitForSelector('#badge.badge-live', { timeout: 10000 });
  const detail = await waitFor(async () => {
    const d = (await mgr.get(`/api/v1/tasks/${task.id}`)).json;
    return d.work_log.length >= 6 ? d : null;
  }, { what: 'the replayed actions on the server' });
  const log = detail.work_log;
  // Exactly once: every queued action id appears once, and nothing else was recorded.
  assert.equal(log.length, queued.length, JSON.stringify(log));
  assert.deepEqual(log.map((e) => e.client_action_id), queued.map((a) => a.id), 'in the order they were taken');
  assert.deepEqual(log.map((e) => e.at), queued.map((a) => a.at), 'with the offline timestamps');
  for (const e of log) {
    const at = Date.parse(e.at);
    assert.ok(at >= before - 2000 && at < reconnectAt, `${e.kind} at ${e.at} was taken offline`);
  }
  assert.deepEqual(log.map((e) => e.kind), ['started', 'step_done', 'measurement', 'step_done', 'step_done', 'note']);
  assert.equal(detail.step_list[1].value, '350');
  assert.deepEqual(detail.step_list.map((s) => s.done), [true, true, true]);

  // Replaying one again (a lost answer) changes nothing.
  const again = await mgr.post(`/api/v1/tasks/${task.id}/steps/1`, { done: true, at: queued[1].at, client_action_id: queued[1].id });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.work_log.length, log.length);
  await page.waitForSelector('#badge >> text=LIVE');
  assert.equal((await stats(page)).waiting, 0);
});

test('a revoked device is sent back to pairing within seconds', async () => {
  const extra = await pairedPage(browser, server, mgr, { login: 'chen', name: 'Revoke me' });
  const devices = (await mgr.get(`/api/v1/devices?user=${extra.uid}`)).json.items;
  const device = devices.find((d) => d.name === 'Revoke me');
  assert.ok(device, JSON.stringify(devices));
  const t0 = Date.now();
  assert.equal((await mgr.delete(`/api/v1/devices/${device.id}`)).status, 204);
  await screen(extra.page, 'pair', 8000);
  console.log(`# revoked → pairing screen: ${Date.now() - t0} ms`);
  assert.match(await extra.page.textContent('.notice'), /unpaired/i);
  await extra.context.close();
});
