// Console lists and the task (issue 13, findings 3, 4, 8 and 10): board
// counts are the server's totals and every card can be reached; stage and
// floor status are two named things; the description is shown; the task
// list is dense, counts "N of TOTAL", sorts by its headers and offers to
// clear filters; the new-task form shows the team it will save.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stages, task, createTask, go, dragTo, waitFor, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

async function apiTotal(stageId) {
  return (await mgr.get(`/api/v1/tasks?stage=${stageId}&include_done=true&limit=1&total=true`)).json.total;
}

const columnCount = (page, stageId) => page.$eval(`.column[data-stage="${stageId}"] .column-count`, (el) => el.textContent);

test('board counts are the real totals, they follow a move, and "show more" reaches every card', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  const [first, second] = await stages(mgr);
  await go(page, '/board');
  const total = await apiTotal(first.id);
  assert.ok(total > 100, `the demo's first stage holds more than a page (${total})`);
  assert.equal(await columnCount(page, first.id), String(total), 'the count is the total, not "100+"');
  assert.equal(await columnCount(page, second.id), String(await apiTotal(second.id)));

  // A move: both counts follow, and agree with the server.
  const card = page.locator(`.column[data-stage="${first.id}"] .card-task`).first();
  const id = Number(await card.getAttribute('data-id'));
  const head = await page.locator(`.column[data-stage="${second.id}"] .column-head`).boundingBox();
  await dragTo(page, card, head.x + head.width / 2, head.y + head.height + 40);
  await waitFor(async () => (await task(mgr, id)).stage.id === second.id, { what: 'the move in the store' });
  await waitFor(async () => await columnCount(page, first.id) === String(total - 1), { what: 'the source count' });
  assert.equal(await columnCount(page, first.id), String(await apiTotal(first.id)));
  assert.equal(await columnCount(page, second.id), String(await apiTotal(second.id)));

  // One vocabulary: the moved card names no floor status it does not have,
  // and the task names its stage and its floor status as two things.
  const moved = page.locator(`.column[data-stage="${second.id}"] .card-task[data-id="${id}"]`);
  await moved.waitFor();
  assert.doesNotMatch(await moved.textContent(), /Not started/);
  const execWords = await page.evaluate(async () => {
    const en = (await import('/js/i18n/en.js')).default;
    return ['not_started', 'in_progress', 'paused', 'completed'].map((e) => en[`execution.${e}`].toLowerCase());
  });
  for (const s of await stages(mgr)) assert.ok(!execWords.includes(s.name.toLowerCase()), `"${s.name}" is a stage, not a floor status`);

  // Every card can be reached.
  await go(page, '/board');
  const remaining = await apiTotal(first.id);
  const more = page.locator(`.column[data-stage="${first.id}"] .column-more`);
  while (await more.isVisible()) {
    const before = await page.locator(`.column[data-stage="${first.id}"] .card-task`).count();
    await more.click();
    await waitFor(async () => (await page.locator(`.column[data-stage="${first.id}"] .card-task`).count()) > before, { what: 'the next page of cards' });
  }
  const shown = await page.$$eval(`.column[data-stage="${first.id}"] .card-task`, (els) => els.map((e) => Number(e.dataset.id)));
  assert.equal(shown.length, remaining, 'every card of the column is on the board');
  assert.equal(new Set(shown).size, shown.length, 'each once');
  assert.deepEqual(page.errors, []);
});

test('the task view names stage and floor status apart, and shows the description of a report from a QR label', async () => {
  const { page } = session;
  const res = await fetch(`${server.url}/api/v1/public/equipment/M-1001/report`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Puddle under the press', description: 'Puddle under the press, about 20 cm wide.', contact: 'Jo, line 2' }),
  });
  assert.equal(res.status, 201);
  const { id } = await res.json();
  await go(page, `/tasks/${id}`);
  assert.equal(await page.textContent('.description'), 'Puddle under the press, about 20 cm wide.');
  const facts = await page.$$eval('.facts dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
  assert.equal(facts.Stage, 'New Request');
  assert.equal(facts['On the floor'], 'Not started');
  assert.match(facts['Reported by'], /Jo, line 2/);
});

test('the task list: fifteen rows or more at 1366 × 768, one line each; "N of TOTAL"; headers sort; empty results offer to clear the filters', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1366, height: 768 });
  await go(page, '/tasks');
  const rows = await page.$$eval('.tasks-table tbody tr[data-id]', (trs) => trs.map((tr) => {
    const r = tr.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height };
  }));
  const inView = rows.filter((r) => r.bottom <= 768);
  assert.ok(inView.length >= 15, `${inView.length} rows in view`);
  assert.ok(Math.max(...rows.map((r) => r.height)) <= 40, 'every row is one line');
  const wraps = await page.$$eval('.tasks-table tbody tr[data-id] td', (tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1 && !td.classList.contains('col-task')).length);
  assert.equal(wraps, 0, 'no cell but the title is cut');
  const overflow = await page.$eval('.table-wrap', (el) => el.scrollWidth > el.clientWidth + 1);
  assert.equal(overflow, false, 'every column fits the width');

  const total = (await mgr.get('/api/v1/tasks?limit=1&total=true')).json.total;
  assert.equal(await page.textContent('.filters .muted.small'), `50 of ${total} tasks`);

  // Headers sort (the server's orders).
  await page.click('th[data-sort="priority"] button');
  await page.waitForSelector('th[data-sort="priority"][aria-sort="descending"]');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'priority');
  const byPriority = (await mgr.get('/api/v1/tasks?sort=priority&limit=50')).json.items.map((x) => x.id);
  await waitFor(async () => JSON.stringify(await page.$$eval('tbody tr[data-id]', (trs) => trs.map((tr) => Number(tr.dataset.id)))) === JSON.stringify(byPriority),
    { what: 'the rows in priority order' });

  // Nothing matches: one click clears the filters.
  await page.fill('input.search', 'no task is called this zzqx');
  await page.waitForSelector('button[data-clear-filters]');
  assert.match(await page.textContent('.empty-row'), /No task matches these filters/);
  await page.click('button[data-clear-filters]');
  await page.waitForSelector('tbody tr[data-id]');
  assert.equal(await page.inputValue('input.search'), '');
  assert.equal(await page.textContent('.filters .muted.small'), `50 of ${total} tasks`);
  assert.deepEqual(page.errors, []);
});

test('"Late only" lists what the dashboard counts as late, every page of it', async () => {
  const { page } = session;
  await go(page, '/tasks?overdue=1');
  const late = (await mgr.get('/api/v1/tasks?late=true&limit=1&total=true')).json.total;
  const kpi = (await mgr.get(`/api/v1/reports/kpis?from=${new Date(Date.now() - 86400e3).toISOString()}&to=${new Date(Date.now() + 86400e3).toISOString()}&parts=now`)).json.now.overdue;
  assert.equal(late, kpi, 'the list filter and the dashboard agree');
  assert.equal(await page.$eval('.filters .muted.small', (el) => el.dataset.total), String(late));
});

test('the new-task form shows the team it will save: the machine\'s, or none when "No team" is chosen', async () => {
  const { page } = session;
  const machine = (await mgr.get('/api/v1/equipment?q=Screw%20compressor%201')).json.items[0];
  assert.ok(machine.team_id, 'the machine has a team');
  const teams = (await mgr.get('/api/v1/teams')).json.items;
  const teamName = teams.find((x) => x.id === machine.team_id).name;
  const label = `${machine.name} · ${machine.code}`;

  const fill = async (title) => {
    await go(page, '/tasks/new');
    await page.fill('.task-form input[maxlength="200"]', title);
    await page.fill('input[list=machine-options]', machine.name);
    await page.waitForSelector(`#machine-options option[value="${label}"]`, { state: 'attached' });
    await page.fill('input[list=machine-options]', label);
  };
  const teamSelect = page.locator('.task-form select').nth(2);
  await fill('Team shown probe');
  await waitFor(async () => (await teamSelect.inputValue()) === String(machine.team_id), { what: 'the machine\'s team shown' });
  assert.equal(await teamSelect.evaluate((s) => s.selectedOptions[0].textContent), teamName);
  await page.click('.task-form button[type=submit]');
  await page.waitForURL(/\/tasks\/\d+$/);
  assert.equal((await task(mgr, Number(new URL(page.url()).pathname.split('/').pop()))).team_id, machine.team_id);

  await fill('No team probe');
  await waitFor(async () => (await teamSelect.inputValue()) === String(machine.team_id), { what: 'the machine\'s team shown' });
  await teamSelect.selectOption('');
  await page.click('.task-form button[type=submit]');
  await page.waitForURL(/\/tasks\/\d+$/);
  assert.equal((await task(mgr, Number(new URL(page.url()).pathname.split('/').pop()))).team_id, null, '"No team" saves no team');
  assert.deepEqual(page.errors, []);
});
