// Console calendar (issue 13, findings 1 and 2): the week view shows seven
// readable days at 1366 and 1920 pixels, a short job reads as well as a long
// one; a drag is visible all the way (the ghost stays under the pointer); a
// drop on another person's row says who the task now belongs to, and Undo
// puts it back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { userId, task, createTask, go, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

const HOUR = 3600e3;
const isoOf = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
/** Monday 00:00 UTC of this week (the demo plant runs on UTC), + `days`. */
function weekDay(days) {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const wd = (now.getUTCDay() + 6) % 7;
  return today - wd * 86400e3 + days * 86400e3;
}

/** Geometry of the week grid: the scroller, the day headers and a block. */
function weekGeometry(page, id) {
  return page.evaluate((taskId) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; };
    const scroller = document.querySelector('.cal-scroll');
    const block = document.querySelector(`.cal-block[data-id="${taskId}"]`);
    const title = block.querySelector('.cal-title');
    return {
      scroller: box(scroller),
      scrolls: scroller.scrollWidth > scroller.clientWidth + 1,
      days: [...document.querySelectorAll('.cal-head .cal-day')].map((d) => ({ ...box(d), text: d.textContent })),
      block: box(block),
      title: { ...box(title), font: parseFloat(getComputedStyle(title).fontSize), text: title.textContent,
        clipped: title.scrollHeight > title.clientHeight + 1 && title.scrollWidth > title.clientWidth + 1 },
      time: block.querySelector('.cal-time').textContent,
      viewport: { width: innerWidth, height: innerHeight },
    };
  }, id);
}

for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
  test(`the week view shows seven readable days at ${viewport.width} px, and a 1.5-hour job reads whole`, async () => {
    const { page } = session;
    await page.setViewportSize(viewport);
    const alice = await userId(mgr, 'alice');
    const start = weekDay(3) + 9 * HOUR;  // Thursday 09:00
    const t = await createTask(mgr, { title: 'Lubricate the feed rollers', assignee_id: alice,
      schedule_start: isoOf(start), schedule_end: isoOf(start + 1.5 * HOUR) });
    await go(page, '/calendar');
    await page.locator(`.cal-block[data-id="${t.id}"]`).waitFor();
    const g = await weekGeometry(page, t.id);
    assert.equal(g.days.length, 7, 'seven day columns');
    assert.equal(g.scrolls, false, 'the week fits: no sideways scrolling');
    for (const d of g.days) {
      assert.ok(d.left >= g.scroller.left - 1 && d.right <= g.scroller.right + 1, `${d.text} is in view`);
      assert.ok(d.right <= g.viewport.width, `${d.text} is inside the window`);
      assert.ok(d.width >= 100, `${d.text} is ${Math.round(d.width)} px wide`);
    }
    assert.match(g.days[3].text, /Thu/);
    assert.ok(g.block.width >= 95, `the 1.5-hour block is ${Math.round(g.block.width)} px wide`);
    assert.ok(g.title.font >= 11, `its title is set at ${g.title.font} px`);
    assert.equal(g.title.clipped, false, 'the title is not cut');
    assert.equal(g.title.text, 'Lubricate the feed rollers');
    assert.equal(g.time, '9:00 AM–10:30 AM', 'its times are written out');
  });
}

test('a drag is visible all the way: the ghost stays under the pointer, inside the window', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  const alice = await userId(mgr, 'alice');
  const start = weekDay(4) + 10 * HOUR;  // Friday, far right of the week
  const t = await createTask(mgr, { title: 'Ghost probe', assignee_id: alice, schedule_start: isoOf(start), schedule_end: isoOf(start + HOUR) });
  await go(page, '/calendar');
  const block = page.locator(`.cal-block[data-id="${t.id}"]`);
  await block.waitFor();
  const box = await block.boundingBox();
  const target = await page.locator('.cal-row[data-user=""] .cal-cell[data-day="1"]').boundingBox();
  const from = { x: box.x + 20, y: box.y + box.height / 2 };
  const to = { x: target.x + target.width / 2, y: target.y + target.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const seen = [];
  for (let i = 1; i <= 10; i++) {
    const x = from.x + ((to.x - from.x) * i) / 10;
    const y = from.y + ((to.y - from.y) * i) / 10;
    await page.mouse.move(x, y);
    const ghost = await page.evaluate(() => {
      const g = document.querySelector('.drag-ghost');
      if (!g) return null;
      const r = g.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    });
    seen.push({ x, y, ghost });
  }
  await page.keyboard.press('Escape');  // cancel: nothing changes
  for (const s of seen) {
    assert.ok(s.ghost, `a ghost at (${Math.round(s.x)}, ${Math.round(s.y)})`);
    assert.ok(s.ghost.left <= s.x && s.x <= s.ghost.right && s.ghost.top <= s.y && s.y <= s.ghost.bottom,
      `the ghost (${Math.round(s.ghost.left)}–${Math.round(s.ghost.right)}) is under the pointer at x=${Math.round(s.x)}`);
    assert.ok(s.ghost.left >= -1 && s.ghost.right <= 1366 + 1, 'and inside the window');
  }
  await page.mouse.up();
  assert.equal((await task(mgr, t.id)).assignee.id, alice, 'a cancelled drag changes nothing');
});

test('a drop on another person\'s day says who the task went to, and Undo puts it back', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  const alice = await userId(mgr, 'alice');
  const bruno = await userId(mgr, 'bruno');
  const start = weekDay(1) + 14 * HOUR;  // Tuesday 14:00
  const t = await createTask(mgr, { title: 'Reassign probe', assignee_id: alice, schedule_start: isoOf(start), schedule_end: isoOf(start + 2 * HOUR) });
  await go(page, '/calendar');
  const block = page.locator(`.cal-block[data-id="${t.id}"]`);
  await block.waitFor();
  const cell = await page.locator(`.cal-row[data-user="${bruno}"] .cal-cell[data-day="3"]`).boundingBox();
  const box = await block.boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 30, box.y + box.height / 2 + 10, { steps: 2 });
  await page.mouse.move(cell.x + cell.width / 2, cell.y + cell.height / 2, { steps: 8 });
  await page.mouse.up();
  await waitFor(async () => (await task(mgr, t.id)).assignee?.id === bruno, { what: 'the reassignment in the store' });
  const moved = await task(mgr, t.id);
  assert.equal(moved.schedule_start, isoOf(weekDay(3) + 14 * HOUR), 'Thursday, at the same time of day');
  assert.equal(Date.parse(moved.schedule_end) - Date.parse(moved.schedule_start), 2 * HOUR, 'the duration is kept');
  const toast = page.locator('.toast', { hasText: 'Reassign' }).or(page.locator('.toast', { hasText: 'reassigned' })).last();
  await toast.waitFor();
  const text = await toast.textContent();
  assert.match(text, /reassigned to Bruno Lefèvre/);
  assert.match(text, /Thu/);
  await page.locator(`.cal-row[data-user="${bruno}"] .cal-cell[data-day="3"] .cal-block[data-id="${t.id}"]`).waitFor();

  await toast.locator('button', { hasText: 'Undo' }).click();
  await waitFor(async () => (await task(mgr, t.id)).assignee?.id === alice, { what: 'the undo in the store' });
  const back = await task(mgr, t.id);
  assert.equal(back.schedule_start, isoOf(start));
  assert.equal(back.schedule_end, isoOf(start + 2 * HOUR));
  await page.locator(`.cal-row[data-user="${alice}"] .cal-cell[data-day="1"] .cal-block[data-id="${t.id}"]`).waitFor();
  assert.deepEqual(page.errors, []);
});
