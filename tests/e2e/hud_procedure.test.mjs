// HUD, issue 14: a whole inspection in step mode with typed steps — a check
// that FAILs with a dictated comment and proposes a follow-up, a number out
// of its range, a choice, a text — by injected voice at 854×480, and the
// same answers by keys at 640×360; the server holds every answer, the
// follow-up task names its origin, and a meter step's reading is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor, waitFor } from './harness.mjs';
import { launchChromium, managerApi, userId, machines, createTask, pairedPage, screen, taskCard, say, itemNumber } from './hud_support.mjs';

let server;
let browser;
let mgr;
let alice;
let equipment;

const STEPS = ['Lock out the press.', '[check] Hoses free of leaks', '[number 3.0–3.5 bar] Pump pressure at idle',
  '[choice OK / worn / replaced] Drive belt', '[text] Serial of the new filter'];

before(async () => {
  server = await startVisor();
  browser = await launchChromium();
  mgr = await managerApi(server);
  alice = await userId(mgr, 'alice');
  equipment = await machines(mgr);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function detail(id) {
  const res = await mgr.get(`/api/v1/tasks/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function openTask(page, id) {
  await say(page, 'refresh list');
  await say(page, 'my work');
  await screen(page, 'work');
  const n = await waitFor(() => itemNumber(page, id), { what: `task ${id} in the list` });
  assert.equal(await say(page, `open ${n}`), 'SELECT');
  await taskCard(page);
}

const stepIs = (page, n) => page.waitForSelector(`.step-count >> text=STEP ${n} OF ${STEPS.length}`);

async function checkServer(task) {
  const done = await waitFor(async () => {
    const d = await detail(task.id);
    return d.execution === 'completed' ? d : null;
  }, { what: 'the inspection completed on the server', timeout: 8000 });
  const s = done.step_list;
  assert.deepEqual(s.map((x) => x.kind), ['instruction', 'check', 'number', 'choice', 'text']);
  assert.equal(s[1].value, 'fail');
  assert.match(s[1].note, /leak at the flange/i);
  assert.equal(s[1].flag, 'fail');
  assert.equal(s[2].value, '3.9');
  assert.equal(s[2].flag, 'out_of_range');
  assert.equal(s[3].value, 'worn');
  assert.match(s[4].value, /SN 4411/i);
  assert.ok(s[1].follow_up, 'the FAIL raised a follow-up');
  const f = await detail(s[1].follow_up);
  assert.equal(f.type, 'corrective');
  assert.equal(f.equipment.id, task.equipment.id);
  assert.equal(f.follow_up_of.task_id, task.id);
  assert.equal(f.follow_up_of.step, 2);
  return done;
}

test('an inspection by voice at 854×480: FAIL with a comment, a follow-up confirmed by voice, a value out of range, a choice, a text', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'alice', viewport: { width: 854, height: 480 } });
  const { page } = hud;
  const task = await createTask(mgr, { title: `Voice inspection ${Date.now() % 100000}`, assignee: alice, equipmentId: equipment[0].id, steps: STEPS });
  await openTask(page, task.id);
  assert.equal(await say(page, 'start task'), 'START');
  await screen(page, 'step');
  assert.equal(await say(page, 'step done'), 'DONE');
  await stepIs(page, 2);
  assert.equal(await say(page, 'fail leak at the flange'), 'FAIL');
  await page.waitForSelector('text=CREATE A FOLLOW-UP?');
  assert.equal(await say(page, 'create follow up'), 'FOLLOW_UP');
  await stepIs(page, 3);
  assert.equal(await say(page, 'enter value'), 'VALUE');
  await page.waitForSelector('.entry-input');
  assert.equal(await say(page, 'three point nine'), 'DICTATION');
  assert.equal(await say(page, 'save value'), 'SAVE');
  await page.waitForSelector('text=CREATE A FOLLOW-UP?');
  assert.equal(await say(page, 'not now'), 'CANCEL');
  assert.match(await page.textContent('.step-result, #screen'), /OUT OF RANGE/);
  assert.equal(await say(page, 'step done'), 'DONE');
  await stepIs(page, 4);
  assert.equal(await say(page, 'option 2'), 'OPTION');
  await stepIs(page, 5);
  assert.equal(await say(page, 'answer SN 4411'), 'ANSWER');
  await page.waitForSelector('.finish-head');
  assert.equal(await say(page, 'complete task'), 'DONE');
  // Corrective work asks for its failure codes: problem, cause, remedy.
  await page.waitForSelector('text=PROBLEM · 1 OF 3');
  assert.equal(await say(page, 'option 2'), 'OPTION');
  await page.waitForSelector('text=CAUSE · 2 OF 3');
  assert.equal(await say(page, 'option 1'), 'OPTION');
  await page.waitForSelector('text=REMEDY · 3 OF 3');
  assert.equal(await say(page, 'option 1'), 'OPTION');
  await screen(page, 'work');
  const done = await checkServer(task);
  assert.equal(done.failure.problem.code, 'BRD');
  assert.ok(done.failure.cause && done.failure.remedy, JSON.stringify(done.failure));
  assert.deepEqual(hud.errors, []);
  await hud.context.close();
});

/** Moves focus with the d-pad (↓) to the button of command `cmd` (and `arg`), then presses Enter. */
async function pressOn(page, cmd, arg) {
  for (let i = 0; i < 40; i++) {
    const here = await page.evaluate(() => ({ cmd: document.activeElement?.dataset.cmd, arg: document.activeElement?.dataset.arg }));
    if (here.cmd === cmd && (arg === undefined || here.arg === String(arg))) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no focusable ${cmd}${arg === undefined ? '' : ` ${arg}`} on screen`);
}

test('the same inspection by keys only at 640×360', async () => {
  const hud = await pairedPage(browser, server, mgr, { login: 'alice', viewport: { width: 640, height: 360 } });
  const { page } = hud;
  const task = await createTask(mgr, { title: `Keys inspection ${Date.now() % 100000}`, assignee: alice, equipmentId: equipment[1].id, steps: STEPS });
  await say(page, 'refresh list');
  await screen(page, 'work');
  const n = await waitFor(() => itemNumber(page, task.id), { what: `task ${task.id} in the list` });
  await page.keyboard.type(String(n));
  await taskCard(page);
  await page.keyboard.press('Enter'); // START TASK
  await stepIs(page, 1);
  await page.keyboard.press('Enter'); // STEP DONE
  await stepIs(page, 2);
  await pressOn(page, 'FAIL');
  await page.waitForSelector('.entry-input');
  await page.keyboard.type('Leak at the flange');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=CREATE A FOLLOW-UP?');
  await pressOn(page, 'FOLLOW_UP');
  await stepIs(page, 3);
  await page.keyboard.press('Enter'); // STEP DONE on a number opens the value sheet
  await page.waitForSelector('.entry-input');
  await page.keyboard.type('3.9');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=CREATE A FOLLOW-UP?');
  await pressOn(page, 'CANCEL'); // NOT NOW
  await stepIs(page, 4);
  await pressOn(page, 'OPTION', 2);
  await stepIs(page, 5);
  await page.keyboard.press('Enter'); // STEP DONE on a text step opens the text sheet
  await page.waitForSelector('.entry-input');
  await page.keyboard.type('SN 4411');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.finish-head');
  await page.keyboard.press('Enter'); // COMPLETE TASK
  await page.waitForSelector('text=PROBLEM · 1 OF 3');
  await pressOn(page, 'SKIP'); // corrective work may go without codes
  await screen(page, 'work');
  const done = await checkServer(task);
  assert.equal(done.failure, null);
  assert.deepEqual(hud.errors, []);
  await hud.context.close();
});
