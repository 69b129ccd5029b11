// Console live views: a technician's actions through the API reach the live
// floor view within a second, by the event stream (nothing polls); the
// dashboard's numbers follow too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor, launchBrowser } from './harness.mjs';
import { managerApi, techApi, userId, createTask, isoIn, signedInPage, ready, go, waitFor } from './console_support.mjs';

let server;
let browser;
let mgr;
let alice;
let session;

before(async () => {
  server = await startVisor();
  browser = await launchBrowser();
  mgr = await managerApi(server);
  alice = await techApi(server, 'alice');
  session = await signedInPage(browser, server, 'manager', { path: '/floor' });
  await ready(session.page, '/floor');
  await session.page.waitForFunction(() => document.querySelector('.live')?.dataset.state === 'live');
});

after(async () => {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
});

/** Milliseconds from `action` resolving until `selector` is in the page. */
async function latency(page, action, selector) {
  await action();
  const t0 = Date.now();
  await page.waitForSelector(selector, { timeout: 3000 });
  return Date.now() - t0;
}

test('a step completed on the glasses appears on the live floor within a second', async () => {
  const { page } = session;
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, {
    title: 'Live floor probe', assignee_id: aliceId, schedule_start: isoIn(-1),
    instructions: '<ol><li>Open the panel</li><li>Measure the voltage (V)</li><li>Close the panel</li></ol>',
  });
  const lane = `.lane[data-user="${aliceId}"]`;

  const started = await latency(page, () => alice.post(`/api/v1/tasks/${t.id}/start`), `${lane} .lane-task[data-task-id="${t.id}"] [data-current-step="1"]`);
  assert.ok(started < 1000, `start shown after ${started} ms`);
  assert.equal(await page.getAttribute(lane, 'data-state'), 'working');

  const step1 = await latency(page, () => alice.post(`/api/v1/tasks/${t.id}/steps/1`, { done: true }),
    `${lane} .lane-task[data-task-id="${t.id}"] [data-current-step="2"]`);
  assert.ok(step1 < 1000, `step 1 shown after ${step1} ms`);
  assert.match(await page.textContent(`${lane} .lane-step`), /Step 2 of 3\s*Measure the voltage \(V\)/);
  await page.waitForSelector(`.feed-item[data-kind="step.done"][data-task-id="${t.id}"]`);

  const step2 = await latency(page, () => alice.post(`/api/v1/tasks/${t.id}/steps/2`, { done: true, value: '231 V' }),
    `${lane} .lane-task[data-task-id="${t.id}"] [data-current-step="3"]`);
  assert.ok(step2 < 1000, `step 2 shown after ${step2} ms`);
  assert.match(await page.textContent(`${lane} .timeline`), /231 V/);

  const paused = await latency(page, () => alice.post(`/api/v1/tasks/${t.id}/pause`), `${lane}[data-state="paused"]`);
  assert.ok(paused < 1000, `pause shown after ${paused} ms`);
  await alice.post(`/api/v1/tasks/${t.id}/resume`);
  await page.waitForSelector(`${lane}[data-state="working"]`, { timeout: 1000 });
  await alice.post(`/api/v1/tasks/${t.id}/complete`);
  await page.waitForSelector(`${lane} .lane-task[data-task-id="${t.id}"]`, { state: 'detached', timeout: 1000 });
  await page.waitForSelector(`.feed-item[data-task-id="${t.id}"]:has-text("completed")`, { timeout: 1000 });
  assert.deepEqual(page.errors, []);
});

test('the floor view does not poll: an idle minute costs no API requests', async () => {
  // The page's timers run on a fake clock: a whole minute passes at once.
  const { context, page } = await signedInPage(browser, server, 'manager', { path: '/floor', fakeClock: true });
  try {
    await ready(page, '/floor');
    await page.waitForFunction(() => document.querySelector('.live')?.dataset.state === 'live');
    const requests = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url()); });
    await page.clock.runFor(60_000);
    assert.deepEqual(requests, [], 'no request while nothing happens (the clocks tick locally)');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('late work is highlighted, and the dashboard counts follow the stream', async () => {
  const { page } = session;
  // The side list shows the latest work first: this one is three weeks late.
  const late = await createTask(mgr, { title: 'Late probe', schedule_start: isoIn(-21 * 24), schedule_end: isoIn(-21 * 24 + 1) });
  await page.reload();
  await ready(page, '/floor');
  await page.waitForSelector(`.late-item[data-task-id="${late.id}"] .late-tag`);
  assert.match(await page.textContent(`.late-item[data-task-id="${late.id}"] .late-tag`), /^Late by 20 d 2[23] h$/);

  await go(page, '/');
  await page.waitForSelector('[data-kpi-ready]');
  const value = () => page.$eval('.kpi[data-kpi="in_progress"] .kpi-value', (el) => el.textContent);
  const before = Number(await value());
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, { title: 'Dashboard live probe', assignee_id: aliceId, schedule_start: isoIn(0) });
  const t0 = Date.now();
  await alice.post(`/api/v1/tasks/${t.id}/start`);
  await waitFor(async () => Number(await value()) === before + 1, { timeout: 3000, what: 'the in-progress count to follow' });
  console.log(`# dashboard count updated ${Date.now() - t0} ms after the start`);
});
