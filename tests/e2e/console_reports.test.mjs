// Console reports: the CSV exports downloaded from the Reports page match
// the store (tasks, work log, KPIs), are quoted properly and guarded against
// formula injection; the audit log filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { techApi, userId, createTask, task, isoIn, go, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/reports')));
after(() => closeConsole({ server, browser, session }));

/** RFC 4180: quoted fields with doubled quotes, CRLF records. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((k, i) => [k, r[i]])));
}

async function download(page, kind) {
  const href = await page.getAttribute(`a[data-export="${kind}"]`, 'href');
  const res = await session.context.request.get(`${server.url}${href}`);
  assert.equal(res.status(), 200, `${kind}.csv`);
  assert.equal(res.headers()['content-type'], 'text/csv; charset=utf-8');
  assert.match(res.headers()['content-disposition'], new RegExp(`^attachment; filename="visor-${kind}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
  const body = await res.text();
  assert.ok(body.startsWith('\uFEFF'), 'a UTF-8 BOM for spreadsheets');
  return { href, rows: parseCsv(body.slice(1)), body };
}

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

test('tasks.csv matches the store, quoted and guarded against formulas', async () => {
  const { page } = session;
  const tricky = await createTask(mgr, { title: '=HYPERLINK("http://evil","click"), then "quotes"', schedule_start: isoIn(1), priority: 3 });
  const dash = await createTask(mgr, { title: '-minus first; @at, +plus', schedule_start: isoIn(2) });
  await go(page, '/reports');
  await page.fill('input[type=date] >> nth=0', day(-7));
  await page.dispatchEvent('input[type=date] >> nth=0', 'change');
  await page.fill('input[type=date] >> nth=1', day(14));
  await page.dispatchEvent('input[type=date] >> nth=1', 'change');
  const { href, rows } = await download(page, 'tasks');
  const url = new URL(href, server.url);

  // Every task scheduled in the period is there; every row is the store's task.
  const scheduled = [];
  let cursor = '';
  do {
    const res = await mgr.get(`/api/v1/tasks?include_done=true&from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    scheduled.push(...res.json.items);
    cursor = res.json.next_cursor;
  } while (cursor);
  const ids = new Set(rows.map((r) => Number(r.id)));
  for (const t of scheduled) assert.ok(ids.has(t.id), `task ${t.id} scheduled in the period is exported`);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no duplicates');
  for (const r of rows) {
    const t = await task(mgr, Number(r.id));
    const title = r.title.startsWith("'") && /^[=+\-@]/.test(t.title) ? r.title.slice(1) : r.title;
    assert.equal(title, t.title);
    assert.equal(r.type, t.type);
    assert.equal(Number(r.priority), t.priority);
    assert.equal(r.stage, t.stage.name);
    assert.equal(r.stage_done, t.stage.done ? '1' : '0');
    assert.equal(r.execution, t.execution);
    assert.equal(r.equipment_code, t.equipment?.code ?? '');
    assert.equal(r.assignee, t.assignee?.name ?? '');
    assert.equal(r.schedule_start, t.schedule_start ?? '');
    assert.equal(r.schedule_end, t.schedule_end ?? '');
    assert.equal(r.overdue, t.overdue ? '1' : '0');
    assert.equal(Number(r.steps_done), t.steps.done);
    assert.equal(Number(r.steps_total), t.steps.total);
  }
  const row = rows.find((r) => Number(r.id) === tricky.id);
  assert.equal(row.title, `'${tricky.title}`, 'a formula is neutralised with a leading apostrophe');
  assert.equal(rows.find((r) => Number(r.id) === dash.id).title, `'${dash.title}`);
});

test('worklog.csv holds what was done on the floor, as the task\'s work log says', async () => {
  const { page } = session;
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, { title: 'Work log export probe', assignee_id: aliceId, schedule_start: isoIn(0),
    instructions: '<ol><li>Measure the pressure (bar)</li><li>Write "done", then leave</li></ol>' });
  await alice.post(`/api/v1/tasks/${t.id}/start`);
  await alice.post(`/api/v1/tasks/${t.id}/steps/1`, { done: true, value: '3,2 bar' });
  await alice.post(`/api/v1/tasks/${t.id}/notes`, { text: 'Leak at the "B" flange,\nsecond line' });
  await go(page, '/reports');
  const { rows } = await download(page, 'worklog');
  const mine = rows.filter((r) => Number(r.task_id) === t.id);
  const log = (await task(mgr, t.id)).work_log;
  assert.deepEqual(mine.map((r) => r.kind), log.map((e) => e.kind));
  assert.deepEqual(mine.map((r) => r.at), log.map((e) => e.at));
  assert.deepEqual(mine.map((r) => Number(r.id)), log.map((e) => e.id));
  const step = mine.find((r) => r.kind === 'step_done');
  assert.equal(step.value, '3,2 bar');
  assert.equal(step.step_text, 'Measure the pressure (bar)');
  assert.equal(step.user_login, 'alice');
  assert.equal(mine.find((r) => r.kind === 'note').note, 'Leak at the "B" flange,\nsecond line');
});

test('kpis.csv agrees with the KPI report of the same period', async () => {
  const { page } = session;
  await go(page, '/reports');
  const { href, rows } = await download(page, 'kpis');
  const url = new URL(href, server.url);
  const json = (await mgr.get(`/api/v1/reports/kpis${url.search}&parts=period`)).json;
  const total = rows.find((r) => r.bucket_start === 'total');
  const buckets = rows.filter((r) => r.bucket_start !== 'total');
  assert.equal(buckets.length, json.buckets.length);
  assert.equal(Number(total.reported_corrective), json.totals.reported.corrective);
  assert.equal(Number(total.completed_preventive), json.totals.completed.preventive);
  assert.equal(Number(total.pm_due), json.totals.pm_due);
  assert.equal(Number(total.repairs), json.totals.repairs);
  buckets.forEach((b, i) => {
    assert.equal(b.bucket_start, json.buckets[i].start);
    assert.equal(Number(b.open_at_end), json.buckets[i].open_at_end);
  });
  // The open count at the end of today equals the dashboard's "open".
  const now = (await mgr.get(`/api/v1/reports/kpis${url.search}&parts=now`)).json.now;
  // (the demo plant also holds tasks "created" in the coming days, which the
  // period cannot count yet)
  assert.ok(Number(buckets.at(-1).open_at_end) <= now.open);
});

test('the audit log lists changes and filters by person and action', async () => {
  const { page } = session;
  await go(page, '/audit');
  await page.waitForSelector('.audit-table tbody tr[data-id]');
  await page.selectOption('select[aria-label="Action"]', 'task.');
  await page.waitForFunction(() => [...document.querySelectorAll('.audit-table tbody tr[data-id] .code')].every((c) => c.textContent.startsWith('task.')));
  const managerId = await userId(mgr, 'manager');
  await page.selectOption('select[aria-label="Who"]', String(managerId));
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('.audit-table tbody tr[data-id]')];
    return rows.length > 0 && rows.every((r) => r.children[1].textContent === 'manager');
  });
  assert.deepEqual(page.errors, []);
});
