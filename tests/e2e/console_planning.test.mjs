// Console planning: a task created with instructions shows the glasses'
// steps (the preview matches what the server stores), drags on the board and
// on the calendar change the task in the store, bulk reassign.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { userId, stages, task, createTask, ready, go, dragTo, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

async function previewSteps(page) {
  return page.$$eval('.hud-step', (els) => els.map((el) => ({
    text: el.querySelector('.hud-step-text').textContent,
    value: !!el.querySelector('.hud-value'),
  })));
}

test('creating a task with instructions: the glasses preview, then the same steps on the saved task', async () => {
  const { page } = session;
  await go(page, '/tasks/new');
  await page.fill('.task-form input[maxlength="200"]', 'Hydraulic check by the console test');
  await page.fill('input[list=machine-options]', 'Screw compressor 1');
  await page.waitForSelector('#machine-options option[value="Screw compressor 1 · M-1003"]', { state: 'attached' });
  await page.fill('input[list=machine-options]', 'Screw compressor 1 · M-1003');

  // Rich text: a numbered list typed in the editor, then a safety paragraph.
  await page.click('.editor-area');
  await page.click('.tool[aria-label="Numbered list (steps)"]');
  await page.keyboard.type('Lock out the main power');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Measure the pump pressure (bar)');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Remove the lock and run a test cycle');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Safety: wear gloves.');

  await waitFor(async () => (await previewSteps(page)).length === 3, { what: 'three steps in the preview' });
  const preview = await previewSteps(page);
  assert.deepEqual(preview.map((s) => s.text), ['Lock out the main power', 'Measure the pump pressure (bar)', 'Remove the lock and run a test cycle']);
  assert.deepEqual(preview.map((s) => s.value), [false, true, false]);
  assert.match(await page.textContent('.hud-preview .hud-value'), /bar/);
  assert.match(await page.textContent('.hud-safety'), /Safety: wear gloves\./);

  await page.click('.task-form button[type=submit]');
  await page.waitForURL(/\/tasks\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await ready(page, `/tasks/${id}`);
  assert.deepEqual(await page.$$eval('.step-result .step-text', (els) => els.map((e) => e.textContent)), preview.map((s) => s.text));
  const stored = await task(mgr, id);
  assert.equal(stored.equipment.code, 'M-1003');
  assert.deepEqual(stored.step_list.map((s) => s.text), preview.map((s) => s.text));
  assert.deepEqual(stored.step_list.map((s) => s.wants_value), preview.map((s) => s.value));
  assert.equal(stored.step_list[1].unit, 'bar');
  assert.deepEqual(stored.safety, ['Safety: wear gloves.']);
});

const SAMPLES = [
  '<p>1. Close the inlet valve<br>2) Replace the filter cartridge<br>- Record the differential pressure (bar)<br>• Open the valve</p>',
  '<p>Intro paragraph.</p><ul><li>Step 3: Grease the bearings</li><li>Read the gauge in litres.</li></ul><p>Afterwards, tidy up.</p>',
  '<p>Attention : surface chaude.</p><p>Relever la température (°C)</p><p>Nettoyer &amp; ranger</p>',
  '<h3>Title</h3><ol><li><b>Bold</b> step with <i>style</i></li><li>Note the reading</li></ol><p>⚠ Danger zone</p>',
];

test('the preview shows exactly the steps the server stores, for tricky instructions', async () => {
  const { page } = session;
  for (const [i, html] of SAMPLES.entries()) {
    await go(page, '/tasks/new');
    await page.fill('.task-form input[maxlength="200"]', `Preview sample ${i}`);
    await page.evaluate((markup) => {
      const area = document.querySelector('.editor-area');
      area.innerHTML = markup;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, html);
    await page.waitForSelector('.hud-preview:not([data-pending])');  // the preview of this very text
    const preview = await previewSteps(page);
    await page.click('.task-form button[type=submit]');
    await page.waitForURL(/\/tasks\/\d+$/);
    const stored = await task(mgr, Number(new URL(page.url()).pathname.split('/').pop()));
    assert.deepEqual(preview.map((s) => s.text), stored.step_list.map((s) => s.text), `sample ${i}`);
    assert.deepEqual(preview.map((s) => s.value), stored.step_list.map((s) => s.wants_value), `sample ${i}`);
    assert.ok(stored.step_list.length > 0, `sample ${i} has steps`);
  }
});

test('dragging a card to another column changes the task\'s stage in the store', async () => {
  const { page } = session;
  const [first, second] = await stages(mgr);
  const t = await createTask(mgr, { title: 'Board drag probe', priority: 3 });
  await go(page, '/board');
  const card = page.locator(`.card-task[data-id="${t.id}"]`);
  await card.waitFor();
  assert.equal(await card.evaluate((el) => el.closest('.column').dataset.stage), String(first.id));
  const target = page.locator(`.column[data-stage="${second.id}"] .column-head`);
  const box = await target.boundingBox();
  await dragTo(page, card, box.x + box.width / 2, box.y + box.height + 40);
  await waitFor(async () => (await task(mgr, t.id)).stage.id === second.id, { what: 'the stage to change in the store' });
  await page.locator(`.column[data-stage="${second.id}"] .card-task[data-id="${t.id}"]`).waitFor();
  const stored = await task(mgr, t.id);
  assert.equal(stored.version, t.version + 1);

  // Keyboard: Shift+← moves it back.
  await page.focus(`.card-task[data-id="${t.id}"]`);
  await page.keyboard.press('Shift+ArrowLeft');
  await waitFor(async () => (await task(mgr, t.id)).stage.id === first.id, { what: 'the keyboard move' });
});

test('dragging a block on the calendar\'s day view reschedules it to the half hour and reassigns it, keeping its duration', async () => {
  const { page } = session;
  const alice = await userId(mgr, 'alice');
  const bruno = await userId(mgr, 'bruno');
  const me = (await mgr.get('/api/v1/me')).json;
  assert.equal(me.timezone, 'UTC', 'the demo plant runs on UTC (the test computes plant times with it)');
  const today = new Date();
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const start = new Date(day + 9 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const end = new Date(day + 11 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const t = await createTask(mgr, { title: 'Calendar drag probe', assignee_id: alice, schedule_start: start, schedule_end: end });
  await go(page, '/calendar?view=day');
  const block = page.locator(`.cal-block[data-id="${t.id}"]`);
  await block.waitFor();
  await block.scrollIntoViewIfNeeded();
  const geo = await page.evaluate(({ bruno }) => {
    const grid = document.querySelector('.cal');
    const row = document.querySelector(`.cal-row[data-user="${bruno}"]`);
    const track = row.querySelector('.cal-track');
    const r = track.getBoundingClientRect();
    return { hourPx: Number(grid.dataset.hourPx), left: r.left, top: r.top, height: r.height };
  }, { bruno });
  const bbox = await block.boundingBox();
  const offX = Math.min(20, bbox.width / 2);
  // 13:30 plant time on the same day, in Bruno's row.
  const x = geo.left + (13.5 - 6) * geo.hourPx + offX;
  await dragTo(page, block, x, geo.top + geo.height / 2);
  await waitFor(async () => (await task(mgr, t.id)).assignee?.id === bruno, { what: 'the reassignment in the store' });
  const stored = await task(mgr, t.id);
  assert.equal(stored.schedule_start, new Date(day + 13.5 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'));
  assert.equal(Date.parse(stored.schedule_end) - Date.parse(stored.schedule_start), 2 * 3600e3, 'the duration is kept');
  await page.locator(`.cal-row[data-user="${bruno}"] .cal-block[data-id="${t.id}"]`).waitFor();
});

test('bulk reassign: select tasks in the list, assign them to a technician in one go', async () => {
  const { page } = session;
  const chen = await userId(mgr, 'chen');
  const made = [];
  for (let i = 0; i < 3; i++) made.push(await createTask(mgr, { title: `Bulk probe ${i} zq`, priority: 1 }));
  await go(page, '/tasks?q=zq');
  for (const t of made) await page.check(`tr[data-id="${t.id}"] input[type=checkbox]`);
  assert.match(await page.textContent('.bulk-bar strong'), /3 selected/);
  await page.selectOption('.bulk-bar select[aria-label="Assign to"]', String(chen));
  await page.click('.bulk-bar button:has-text("Assign")');
  await waitFor(async () => {
    const all = await Promise.all(made.map((t) => task(mgr, t.id)));
    return all.every((x) => x.assignee?.id === chen);
  }, { what: 'all three assigned in the store' });
  await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`tr[data-id="${id}"]`)?.textContent.includes('Chen Wei')), made.map((t) => t.id));

  // Bulk reschedule keeps each task's time of day and duration.
  for (const t of made) await page.check(`tr[data-id="${t.id}"] input[type=checkbox]`);
  const day = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
  await page.fill('.bulk-bar input[type=date]', day);
  await page.click('.bulk-bar button:has-text("Reschedule")');
  await waitFor(async () => (await Promise.all(made.map((t) => task(mgr, t.id)))).every((x) => x.schedule_start?.startsWith(day)), { what: 'rescheduled' });
  assert.deepEqual(page.errors, []);
});
