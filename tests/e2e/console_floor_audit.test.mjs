// Console live floor and audit log (issue 13, findings 6 and 7): the
// floor's late count is the dashboard's; work running far past its planned
// duration is flagged; "What just happened" is in view at 1366 × 768 and
// already holds the recent work when the page opens; the audit log says who
// by name, what in words and what changed, in English and in French.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { techApi, userId, createTask, go, ready, signedInPage, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

const isoAgo = (minutes) => new Date(Date.now() - minutes * 60e3).toISOString().replace(/\.\d+Z$/, 'Z');

test('the floor counts late work as the dashboard does, and flags work far past its plan', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  // Late work beyond the floor's list (12 shown), some of it under way.
  for (let i = 0; i < 3; i++) await createTask(mgr, { title: `Late probe ${i}`, schedule_start: isoAgo(300 + i), schedule_end: isoAgo(240) });
  // Planned for one hour, started 2 h 19 min ago.
  const long = await createTask(mgr, { title: 'Overrun probe', assignee_id: aliceId, schedule_start: isoAgo(140), schedule_end: isoAgo(80) });
  const started = await alice.post(`/api/v1/tasks/${long.id}/start`, { at: isoAgo(139) });
  assert.equal(started.status, 200, started.text);

  await go(page, '/');
  await page.waitForSelector('[data-kpi-ready]');
  const dashboard = await page.$eval('[data-kpi="overdue"] .kpi-value', (el) => el.dataset.value);
  await go(page, '/floor');
  const floor = await page.$eval('.floor-summary [data-late]', (el) => ({ n: el.dataset.late, text: el.textContent }));
  assert.equal(floor.n, dashboard.replace(/\D/g, ''), `floor "${floor.text}" and dashboard (${dashboard}) agree`);
  assert.ok(Number(floor.n) > 12, 'more late work than the list shows');
  assert.match(await page.textContent('.late-more'), new RegExp(`and ${Number(floor.n) - 12} more late tasks`));

  const block = page.locator(`.lane-task[data-task-id="${long.id}"]`);
  await block.waitFor();
  await page.waitForSelector(`.lane-task[data-task-id="${long.id}"].is-overrun`);
  assert.match(await block.locator('.overrun-tag').textContent(), /Over plan \(1 h 00 min planned\)/);
  assert.match(await block.textContent(), /Working for\s*2 h 1\d min/);
  assert.deepEqual(page.errors, []);
});

test('"What just happened" is in view at 1366 × 768 and holds the recent work as the page opens', async () => {
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, { title: 'Feed history probe', assignee_id: aliceId, schedule_start: isoAgo(10),
    instructions: '<ol><li>Measure the gap (mm)</li></ol>' });
  await alice.post(`/api/v1/tasks/${t.id}/start`);
  await alice.post(`/api/v1/tasks/${t.id}/steps/1`, { done: true, value: '0.05' });
  // A fresh page: nothing of the above was seen live.
  const { context, page } = await signedInPage(browser, server, 'manager', { path: '/floor', viewport: { width: 1366, height: 768 } });
  try {
    await ready(page, '/floor');
    const feed = await page.$eval('.floor-feed', (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
    assert.ok(feed.top < 768 - 150, `the feed starts at ${Math.round(feed.top)} px, above the fold`);
    const items = await page.$$eval('.feed-history', (els) => els.map((e) => ({ task: e.dataset.taskId, kind: e.dataset.kind, text: e.textContent })));
    const mine = items.filter((i) => i.task === String(t.id));
    assert.deepEqual(mine.map((i) => i.kind), ['step_done', 'started'], 'the newest first');
    assert.match(mine[0].text, /Alice Martin finished step 1 of Feed history probe/);
    assert.match(mine[0].text, /0\.05 mm/, 'the value with its unit');
    const firstVisible = await page.$eval('.feed-history', (el) => el.getBoundingClientRect().bottom);
    assert.ok(firstVisible <= 768, 'the latest entry is in view');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the audit log says who by name, what in words and what changed — in English and in French', async () => {
  const aliceId = await userId(mgr, 'alice');
  const brunoId = await userId(mgr, 'bruno');
  const t = await createTask(mgr, { title: 'Audit words probe', assignee_id: aliceId, priority: 1 });
  const res = await mgr.patch(`/api/v1/tasks/${t.id}`, { assignee_id: brunoId, priority: 3 });
  assert.equal(res.status, 200);

  const read = async (page) => page.$$eval('.audit-table tbody tr[data-id]', (trs) => trs.map((tr) => ({
    action: tr.dataset.action, who: tr.querySelector('.audit-who').textContent, what: tr.querySelector('.audit-what').textContent,
    target: tr.querySelector('.audit-target').textContent, detail: tr.querySelector('.detail').textContent })));
  const { page } = session;
  await go(page, '/audit');
  let rows = await read(page);
  const update = rows.find((r) => r.action === 'task.update' && r.target === 'Audit words probe');
  assert.ok(update, 'the change names its task by title');
  assert.equal(update.who, 'Maria Manager');
  assert.equal(update.what, 'Changed a task');
  assert.match(update.detail, /Assigned to: Alice Martin → Bruno Lefèvre/);
  assert.match(update.detail, /Priority: Low → High/);
  const login = rows.find((r) => r.action === 'auth.login');
  assert.equal(login.what, 'Signed in');
  assert.doesNotMatch(login.detail, /rehashed|password/);
  for (const r of rows) {
    assert.doesNotMatch(r.what, /^[a-z_]+\.[a-z_]+$/, `"${r.action}" is said in words`);
    assert.doesNotMatch(r.who, /^user #|^#/, 'people are named');
  }

  const fr = await signedInPage(browser, server, 'manager', { path: '/audit', locale: 'fr-FR' });
  try {
    await fr.page.evaluate(async () => { await fetch('/api/v1/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': (await (await fetch('/api/v1/me')).json()).csrf_token }, body: '{"locale":"fr"}' }); });
    await fr.page.reload();
    await ready(fr.page, '/audit');
    rows = await read(fr.page);
    const frUpdate = rows.find((r) => r.action === 'task.update' && r.target === 'Audit words probe');
    assert.equal(frUpdate.what, 'A modifié une tâche');
    assert.match(frUpdate.detail, /Assignée à\s:\sAlice Martin → Bruno Lefèvre/);
    assert.match(frUpdate.detail, /Priorité\s:\sBasse → Haute/);
    assert.equal(rows.find((r) => r.action === 'auth.login').what, 'S’est connecté');
    assert.deepEqual(fr.page.errors, []);
  } finally {
    await fr.context.close();
    await mgr.patch('/api/v1/me', { locale: 'en' });
  }
});
