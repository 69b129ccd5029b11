// Console, issue 14: a procedure template authored beside the glasses
// preview and versioned (tasks not started follow the new version, a started
// one keeps its snapshot); an inspection's typed results on the task page —
// flags, the follow-up it raised, the sign-off — and a supervisor's approval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { task, createTask, ready, go, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;
let machine;

before(async () => {
  ({ server, browser, mgr, session } = await openConsole('/'));
  machine = (await mgr.get('/api/v1/equipment?limit=5')).json.items[0];
});
after(() => closeConsole({ server, browser, session }));

async function previewSteps(page) {
  return page.$$eval('.hud-step', (els) => els.map((el) => ({
    text: el.querySelector('.hud-step-text').textContent,
    kind: el.querySelector('.hud-value')?.dataset.kind ?? 'instruction',
    says: el.querySelector('.hud-value')?.textContent ?? '',
  })));
}

test('a procedure is written beside the glasses preview, versioned, and followed by tasks not started', async () => {
  const { page } = session;
  const waiting = await createTask(mgr, { title: `Waits for the procedure ${Date.now() % 100000}`, equipment_id: machine.id });
  await go(page, '/procedures/new');
  await page.fill('input[name=name]', 'Monthly compressor inspection');
  await page.selectOption('select[name=scope]', `m${machine.id}`);
  await page.fill('textarea[name=text]', '[check] Hoses free of leaks\n[number 3.0–3.5 bar] Pump pressure\n[choice OK / worn / replaced] Drive belt\n[sign-off supervisor]');
  await waitFor(async () => (await previewSteps(page)).length === 3, { what: 'three typed steps in the preview' });
  const preview = await previewSteps(page);
  assert.deepEqual(preview.map((s) => s.kind), ['check', 'number', 'choice']);
  assert.match(preview[1].says, /3–3\.5 bar/);
  assert.match(preview[2].says, /OK \/ worn \/ replaced/);
  assert.match(await page.textContent('.hud-preview [data-signoff]'), /supervisor/);

  await page.click('.procedure-form button[type=submit]');
  await page.waitForURL(/\/procedures\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await ready(page, `/procedures/${id}`);
  const v1 = (await mgr.get(`/api/v1/procedures/${id}`)).json;
  assert.equal(v1.version, 1);
  assert.equal(v1.equipment_id, machine.id);
  let w = await task(mgr, waiting.id);
  assert.deepEqual(w.step_list.map((s) => s.kind), ['check', 'number', 'choice'], 'the waiting task follows version 1');
  assert.equal(w.procedure.signoff, 'supervisor');

  // A task that has started keeps its snapshot; the waiting one follows version 2.
  const running = await createTask(mgr, { title: `Started before the edit ${Date.now() % 100000}`, equipment_id: machine.id });
  assert.equal((await mgr.post(`/api/v1/tasks/${running.id}/start`, {})).status, 200);
  await page.fill('textarea[name=text]', '[check] Hoses free of leaks\n[number 3.0–4.0 bar] Pump pressure\n[photo] Guard after cleaning');
  await page.click('.procedure-form button[type=submit]');
  await waitFor(async () => (await page.$$('.versions li')).length === 2, { what: 'two versions listed' });
  assert.match(await page.textContent('.toast:last-child'), /version 2/);
  w = await task(mgr, waiting.id);
  assert.deepEqual(w.step_list.map((s) => s.kind), ['check', 'number', 'photo']);
  assert.equal(w.procedure.version, 2);
  const r = await task(mgr, running.id);
  assert.deepEqual(r.step_list.map((s) => s.kind), ['check', 'number', 'choice'], 'the started task keeps version 1');
  assert.equal(r.procedure.version, 1);

  await go(page, '/procedures');
  assert.match(await page.textContent(`tr[data-id="${id}"]`), /Monthly compressor inspection[\s\S]*2/);
  // Retire it so the next test's machine tasks are free of it.
  const cur = (await mgr.get(`/api/v1/procedures/${id}`)).json;
  const off = await mgr.call('PUT', `/api/v1/procedures/${id}`, { name: cur.name, equipment_id: machine.id, text: cur.text, active: false });
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(session.page.errors, []);
});

test('the task page shows typed results, the follow-up and the sign-off, and a supervisor approves', async () => {
  const { page } = session;
  const t = await createTask(mgr, {
    title: `Inspection results ${Date.now() % 100000}`,
    equipment_id: machine.id,
    instructions: '<ol><li>[check] Guard fitted</li><li>[number 3.0–3.5 bar] Pump pressure</li></ol><p>[sign-off supervisor]</p>',
  });
  const step = async (n, body) => {
    const res = await mgr.post(`/api/v1/tasks/${t.id}/steps/${n}`, body);
    assert.equal(res.status, 200, res.text);
  };
  assert.equal((await mgr.post(`/api/v1/tasks/${t.id}/start`, {})).status, 200);
  await step(1, { value: 'fail', note: 'Guard cracked', done: true });
  await step(2, { value: '3.9', done: true });
  const fu = await mgr.post(`/api/v1/tasks/${t.id}/steps/1/follow-up`, {});
  assert.equal(fu.status, 201, fu.text);
  const followUp = fu.json.step_list[0].follow_up;
  assert.ok(followUp, fu.text);
  const refused = await mgr.post(`/api/v1/tasks/${t.id}/complete`, {});
  assert.equal(refused.status, 400, 'the sign-off is asked for');
  assert.match(refused.text, /sign/i);
  const done = await mgr.post(`/api/v1/tasks/${t.id}/complete`, { signature: 'Marc Manager' });
  assert.equal(done.status, 200, done.text);

  await go(page, `/tasks/${t.id}`);
  const answers = await page.$$eval('.step-answer', (els) => els.map((e) => ({ flag: e.dataset.flag, text: e.textContent })));
  assert.deepEqual(answers.map((a) => a.flag), ['fail', 'out_of_range']);
  assert.match(answers[0].text, /FAIL/);
  assert.match(answers[1].text, /3\.9 bar[\s\S]*Out of range/);
  assert.equal(await page.getAttribute('.step-follow-up', 'href'), `/tasks/${followUp}`);
  assert.match(await page.textContent('.procedure-signed'), /Marc Manager/);
  await page.click('button[data-action=approve]');
  await waitFor(async () => (await page.$('.procedure-approved')) !== null, { what: 'the approval shown' });
  const approved = await task(mgr, t.id);
  assert.ok(approved.procedure.approved_at);
  assert.ok(!(await page.$('button[data-action=approve]')), 'approved once');
  assert.deepEqual(session.page.errors, []);
});

test('a meter rule creates preventive work, and the machine page charts the meter with its rule', async () => {
  const { page } = session;
  const name = `hours${Date.now() % 100000}`;
  const m = await mgr.post(`/api/v1/equipment/${machine.id}/meters`, { name, unit: 'h' });
  assert.equal(m.status, 201, m.text);
  const read = async (value) => {
    const r = await mgr.post(`/api/v1/meters/${m.json.id}/readings`, { value });
    assert.equal(r.status, 201, r.text);
    return r.json.created_task_ids;
  };
  assert.deepEqual(await read(120), []);
  const rule = await mgr.post(`/api/v1/meters/${m.json.id}/rules`, { kind: 'every', value: 500, title: '500 h service' });
  assert.equal(rule.status, 201, rule.text);
  assert.equal(rule.json.next_due, 500);
  assert.deepEqual(await read(480), []);
  const created = await read(515);
  assert.equal(created.length, 1, 'crossing 500 h creates one task');
  const made = await task(mgr, created[0]);
  assert.equal(made.type, 'preventive');
  assert.equal(made.title, '500 h service');
  assert.equal(made.equipment.id, machine.id);

  await go(page, `/machines/${machine.id}`);
  const block = page.locator(`.meter[data-meter="${name}"]`);
  await block.waitFor();
  assert.match(await block.locator('.meter-last').textContent(), /515 h/);
  assert.equal(await block.locator('svg circle.dot').count(), 3, 'every reading on the chart');
  assert.match(await block.locator('.meter-rules li[data-kind=every]').textContent(), /every 500 h \(next at 1,000 h\)/);
  assert.equal(await block.locator(`.meter-rules a[href="/tasks/${created[0]}"]`).count(), 1);
  assert.deepEqual(session.page.errors, []);
});
