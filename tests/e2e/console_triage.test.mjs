// The triage inbox (issue 13, finding 5): every fault reported from the
// floor — from glasses, the public form of a QR label, the API — waits in
// the planners' inbox, counted by a badge in the console's shell that
// follows new reports live; a planner approves (assigns, schedules, sets
// priority and stage), rejects with a reason, or merges a report into the
// task that already covers the fault.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from './harness.mjs';
import { techApi, userId, stages, task, createTask, go, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

async function glasses(login, name) {
  const pairing = await mgr.post('/api/v1/pairings', { user_id: await userId(mgr, login), device_name: name, profile: 'opaque' });
  assert.equal(pairing.status, 201, pairing.text);
  const redeemed = await new Api(server.url).post('/api/v1/pairings/redeem', { code: pairing.json.code });
  assert.equal(redeemed.status, 201, redeemed.text);
  return Api.device(server.url, redeemed.json.token);
}

async function publicReport(code, body) {
  const res = await fetch(`${server.url}/api/v1/public/equipment/${code}/report`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 201);
  return (await res.json()).id;
}

const badge = (page) => page.$eval('.nav a[data-nav="triage"] .nav-badge', (el) => (el.classList.contains('hidden') ? 0 : Number(el.dataset.count)));

test('reports from glasses, a QR label and the API wait in the inbox; the shell\'s badge counts them live', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  await go(page, '/');
  assert.equal(await badge(page), 0, 'nothing to triage in the demo plant');

  const device = await glasses('alice', 'Navigator 7');
  const fromGlasses = await device.post('/api/v1/tasks/report', { equipment_code: 'M-1003', title: 'Hissing at the outlet', description: 'Air leak, loud.', priority: 2 });
  assert.equal(fromGlasses.status, 201, fromGlasses.text);
  await waitFor(async () => (await badge(page)) === 1, { what: 'the badge to count the glasses\' report without a reload' });
  const fromQr = await publicReport('M-1001', { title: 'Puddle under the press', description: 'Puddle under the press, about 20 cm wide.', contact: 'Jo, line 2' });
  const bruno = await techApi(server, 'bruno');
  const fromApi = await bruno.post('/api/v1/tasks/report', { equipment_code: 'M-1001', title: 'Oil on the floor by the press', priority: 1 });
  assert.equal(fromApi.status, 201);
  await waitFor(async () => (await badge(page)) === 3, { what: 'three reports counted' });

  await page.click('.nav a[data-nav="triage"]');
  await page.waitForSelector('.triage-item');
  const items = await page.$$eval('.triage-item', (els) => els.map((el) => ({
    id: Number(el.dataset.id), source: el.querySelector('.pill-source').textContent, text: el.textContent })));
  assert.deepEqual(items.map((i) => i.id), [fromGlasses.json.id, fromQr, fromApi.json.id], 'oldest first');
  assert.equal(items[0].source, 'From Navigator 7');
  assert.match(items[0].text, /Alice Martin/);
  assert.equal(items[1].source, 'From a QR label');
  assert.match(items[1].text, /Puddle under the press, about 20 cm wide\./);
  assert.match(items[1].text, /Jo, line 2/);
  assert.equal(items[2].source, 'From the app or API');
  assert.equal(await page.$eval('.triage-tabs .tab-count', (el) => el.textContent), '3');
  assert.deepEqual(page.errors, []);
});

test('approve: assign, schedule, set priority and stage — the report leaves the inbox', async () => {
  const { page } = session;
  const [first, second] = await stages(mgr);
  const brunoId = await userId(mgr, 'bruno');
  await go(page, '/triage');
  const item = page.locator('.triage-item[data-source="glasses"]');
  const id = Number(await item.getAttribute('data-id'));
  await item.locator('button[data-action="approve"]').click();
  const form = item.locator('form[data-form="approve"]');
  const selects = form.locator('select');
  await selects.nth(0).selectOption(String(brunoId));
  const day = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
  await form.locator('input[type=datetime-local]').fill(`${day}T09:30`);
  await form.locator('input[type=number]').fill('1.5');
  await selects.nth(1).selectOption('3');
  assert.equal(await selects.nth(2).inputValue(), String(second.id), 'the next open stage is proposed');
  await form.locator('button[type=submit]').click();
  await item.waitFor({ state: 'detached' });
  const t = await task(mgr, id);
  assert.equal(t.assignee.id, brunoId);
  assert.equal(t.priority, 3);
  assert.equal(t.stage.id, second.id);
  assert.notEqual(t.stage.id, first.id);
  assert.equal(t.schedule_start, `${day}T09:30:00Z`);
  assert.equal(Date.parse(t.schedule_end) - Date.parse(t.schedule_start), 1.5 * 3600e3);
  assert.match(await page.locator('.toast').last().textContent(), /Approved: Bruno Lefèvre/);
  await waitFor(async () => (await badge(page)) === 2, { what: 'the badge to drop' });
  const approved = (await mgr.get('/api/v1/triage?state=approved')).json.items;
  assert.equal(approved[0].triage.decided_by.name, 'Maria Manager');
  // Deciding twice is refused with who decided.
  const again = await mgr.post(`/api/v1/triage/${id}/reject`, { reason: 'late' });
  assert.equal(again.status, 409);
  assert.match(again.json.detail, /already approved by Maria Manager/);
});

test('reject with a reason: the task is archived and the reason kept', async () => {
  const { page } = session;
  await go(page, '/triage');
  const item = page.locator('.triage-item[data-source="app"]');
  const id = Number(await item.getAttribute('data-id'));
  await item.locator('button[data-action="reject"]').click();
  const form = item.locator('form[data-form="reject"]');
  await form.locator('button[type=submit]').click();
  assert.match(await form.locator('.form-error').textContent(), /Give a reason/);
  await form.locator('textarea').fill('Cleaning, not maintenance: reported to the facility team.');
  await form.locator('button[type=submit]').click();
  await item.waitFor({ state: 'detached' });
  const t = await task(mgr, id);
  assert.equal(t.archived, true);
  await page.click('.triage-tabs button[data-state="rejected"]');
  await page.waitForSelector(`.triage-item[data-id="${id}"]`);
  assert.match(await page.textContent(`.triage-item[data-id="${id}"] .triage-decision`), /Rejected by Maria Manager.*Cleaning, not maintenance/);
});

test('merge into the task that covers the fault: the report joins it as a note, and is archived', async () => {
  const { page } = session;
  const aliceId = await userId(mgr, 'alice');
  const target = await createTask(mgr, { title: 'Hydraulic leak on press 1', assignee_id: aliceId,
    equipment_id: (await mgr.get('/api/v1/equipment?q=M-1001')).json.items[0].id });
  await go(page, '/triage');
  const item = page.locator('.triage-item[data-source="qr_form"]');
  const id = Number(await item.getAttribute('data-id'));
  await item.locator('button[data-action="merge"]').click();
  const form = item.locator('form[data-form="merge"]');
  await form.locator(`.merge-option[data-id="${target.id}"] input`).check();
  await form.locator('button[type=submit]').click();
  await item.waitFor({ state: 'detached' });
  assert.equal((await task(mgr, id)).archived, true);
  const merged = await task(mgr, target.id);
  const note = merged.work_log.find((e) => e.kind === 'note');
  assert.match(note.text, /Duplicate report merged: Puddle under the press — Puddle under the press, about 20 cm wide\. \(Jo, line 2\)/);
  assert.equal(await badge(page), 0);
  assert.match(await page.textContent('.triage-list'), /Nothing to triage/);
  const audit = (await mgr.get('/api/v1/audit?action=triage.')).json.items.map((e) => e.action).sort();
  assert.deepEqual(audit, ['triage.approve', 'triage.merge', 'triage.reject']);
  assert.deepEqual(page.errors, []);
});
