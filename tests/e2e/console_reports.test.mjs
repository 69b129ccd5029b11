// Console reports (issue 13, finding 12): the exports downloaded from the
// Reports page — JSON for tools, the store's data with ISO 8601 times at the
// plant's offset; CSV for people, the same rows with headings and values in
// the planner's language, times on the plant's clock, quoted properly and
// guarded against formula injection — and the audit log's filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVisor } from './harness.mjs';
import { techApi, userId, createTask, task, isoIn, go, ready, managerApi, signedInPage, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/reports')));
after(() => closeConsole({ server, browser, session }));

/** RFC 4180 with the given separator: quoted fields with doubled quotes, CRLF records. */
export function parseCsv(text, sep = ',') {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return { head, rows: body.map((r) => Object.fromEntries(head.map((k, i) => [k, r[i]]))) };
}

async function fetchFile(context, url, path, type) {
  const res = await context.request.get(`${url}${path}`);
  assert.equal(res.status(), 200, path);
  assert.equal(res.headers()['content-type'], type);
  return res;
}

/** The CSV the page links to for `kind`, parsed; and the JSON twin. */
async function download(page, kind, { sep = ',', url = server.url, context = session.context } = {}) {
  const href = await page.getAttribute(`a[data-export="${kind}"]`, 'href');
  const res = await fetchFile(context, url, href, 'text/csv; charset=utf-8');
  assert.match(res.headers()['content-disposition'], new RegExp(`^attachment; filename="visor-${kind}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
  const body = await res.text();
  assert.ok(body.startsWith('\uFEFF'), 'a UTF-8 BOM for spreadsheets');
  const jsonHref = await page.getAttribute(`a[data-export-json="${kind}"]`, 'href');
  const json = await (await fetchFile(context, url, jsonHref, 'application/json')).json();
  return { href, ...parseCsv(body.slice(1), sep), body, json };
}

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);
const wall = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');  // UTC wall clock (the demo plant runs on UTC)
const PRIORITY = ['Very low', 'Low', 'Normal', 'High'];
const EXECUTION = { not_started: 'Not started', in_progress: 'Working', paused: 'Paused', completed: 'Finished' };

async function period(page, from, to) {
  await go(page, '/reports');
  await page.fill('input[type=date] >> nth=0', from);
  await page.dispatchEvent('input[type=date] >> nth=0', 'change');
  await page.fill('input[type=date] >> nth=1', to);
  await page.dispatchEvent('input[type=date] >> nth=1', 'change');
}

test('tasks: the JSON export is the store\'s tasks; the CSV says the same in words, on the plant\'s clock, guarded against formulas', async () => {
  const { page } = session;
  const tricky = await createTask(mgr, { title: '=HYPERLINK("http://evil","click"), then "quotes"', schedule_start: isoIn(1), priority: 3 });
  const dash = await createTask(mgr, { title: '-minus first; @at, +plus', schedule_start: isoIn(2) });
  await period(page, day(-7), day(14));
  const { href, head, rows, json } = await download(page, 'tasks');
  const url = new URL(href, server.url);

  // Every task scheduled in the period is there; every item is the store's task.
  const scheduled = [];
  let cursor = '';
  do {
    const res = await mgr.get(`/api/v1/tasks?include_done=true&from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    scheduled.push(...res.json.items);
    cursor = res.json.next_cursor;
  } while (cursor);
  const ids = new Set(json.items.map((r) => r.id));
  for (const t of scheduled) assert.ok(ids.has(t.id), `task ${t.id} scheduled in the period is exported`);
  assert.equal(ids.size, json.items.length, 'no duplicates');
  assert.equal(json.timezone, 'UTC');
  for (const r of json.items) {
    const t = await task(mgr, r.id);
    assert.equal(r.title, t.title);
    assert.equal(r.type, t.type);
    assert.equal(r.priority, t.priority);
    assert.equal(r.stage, t.stage.name);
    assert.equal(r.stage_done, t.stage.done);
    assert.equal(r.execution, t.execution);
    assert.equal(r.equipment_code, t.equipment?.code ?? '');
    assert.equal(r.assignee, t.assignee?.name ?? '');
    assert.equal(r.schedule_start && Date.parse(r.schedule_start), t.schedule_start && Date.parse(t.schedule_start));
    assert.equal(r.schedule_end && Date.parse(r.schedule_end), t.schedule_end && Date.parse(t.schedule_end));
    assert.equal(r.overdue, t.overdue);
    assert.equal(r.steps_done, t.steps.done);
    assert.equal(r.steps_total, t.steps.total);
  }

  // The CSV: the same rows, headings and values in words.
  assert.deepEqual(head.slice(0, 5), ['Task', 'Odoo request', 'Title', 'Type', 'Priority']);
  assert.ok(head.includes('Scheduled start (UTC)'), 'time headings name the plant\'s zone');
  assert.deepEqual(rows.map((r) => Number(r.Task)), json.items.map((r) => r.id));
  rows.forEach((r, i) => {
    const j = json.items[i];
    assert.equal(r.Priority, PRIORITY[j.priority]);
    assert.equal(r.Type, j.type === 'corrective' ? 'Corrective' : 'Preventive');
    assert.equal(r['On the floor'], EXECUTION[j.execution]);
    assert.equal(r['Scheduled start (UTC)'], wall(j.schedule_start));
    assert.equal(r.Late, j.overdue ? 'Yes' : 'No');
  });
  const row = rows.find((r) => Number(r.Task) === tricky.id);
  assert.equal(row.Title, `'${tricky.title}`, 'a formula is neutralised with a leading apostrophe');
  assert.equal(rows.find((r) => Number(r.Task) === dash.id).Title, `'${dash.title}`);
});

test('work log: the JSON is the task\'s work log; the CSV names each entry and gives values with their unit', async () => {
  const { page } = session;
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, { title: 'Work log export probe', assignee_id: aliceId, schedule_start: isoIn(0),
    instructions: '<ol><li>Measure the pressure (bar)</li><li>Write "done", then leave</li></ol>' });
  await alice.post(`/api/v1/tasks/${t.id}/start`);
  await alice.post(`/api/v1/tasks/${t.id}/steps/1`, { done: true, value: '3,2' });
  await alice.post(`/api/v1/tasks/${t.id}/notes`, { text: 'Leak at the "B" flange,\nsecond line' });
  await go(page, '/reports');
  const { rows, json } = await download(page, 'worklog');
  const log = (await task(mgr, t.id)).work_log;
  const mine = json.items.filter((r) => r.task_id === t.id);
  assert.deepEqual(mine.map((r) => r.kind), log.map((e) => e.kind));
  assert.deepEqual(mine.map((r) => Date.parse(r.at)), log.map((e) => Date.parse(e.at)));
  assert.deepEqual(mine.map((r) => r.id), log.map((e) => e.id));
  const step = mine.find((r) => r.kind === 'step_done');
  assert.equal(step.value, '3,2');
  assert.equal(step.unit, 'bar');
  assert.equal(step.step_text, 'Measure the pressure (bar)');
  assert.equal(step.user_login, 'alice');
  assert.equal(mine.find((r) => r.kind === 'note').note, 'Leak at the "B" flange,\nsecond line');

  const csv = rows.filter((r) => Number(r.Task) === t.id);
  assert.deepEqual(csv.map((r) => r.What), ['Started', 'Step done', 'Note']);
  assert.equal(csv[1].Value, '3,2');
  assert.equal(csv[1].Unit, 'bar');
  assert.equal(csv[1].Who, 'Alice Martin');
  assert.equal(csv[1]['When (UTC)'], wall(log[1].at));
  assert.equal(csv[2].Note, 'Leak at the "B" flange,\nsecond line');
});

test('KPIs: the CSV and the JSON agree with the KPI report of the same period', async () => {
  const { page } = session;
  await go(page, '/reports');
  const { href, rows, json: file } = await download(page, 'kpis');
  const url = new URL(href, server.url);
  const json = (await mgr.get(`/api/v1/reports/kpis${url.search.replace(/&lang=\w+/, '')}&parts=period`)).json;
  const total = rows.find((r) => r['From (UTC)'] === 'Total');
  const buckets = rows.filter((r) => r['From (UTC)'] !== 'Total');
  assert.equal(buckets.length, json.buckets.length);
  assert.equal(file.buckets.length, json.buckets.length);
  assert.equal(Number(total['Corrective requests']), json.totals.reported.corrective);
  assert.equal(Number(total['Preventive completed']), json.totals.completed.preventive);
  assert.equal(Number(total['Preventive due']), json.totals.pm_due);
  assert.equal(Number(total.Repairs), json.totals.repairs);
  assert.equal(file.total.repairs, json.totals.repairs);
  buckets.forEach((b, i) => {
    assert.equal(b['From (UTC)'], wall(json.buckets[i].start));
    assert.equal(Date.parse(file.buckets[i].start), Date.parse(json.buckets[i].start));
    assert.equal(Number(b['Open at the end']), json.buckets[i].open_at_end);
  });
  // The open count at the end of today equals the dashboard's "open".
  const now = (await mgr.get(`/api/v1/reports/kpis${url.search.replace(/&lang=\w+/, '')}&parts=now`)).json.now;
  // (the demo plant also holds tasks "created" in the coming days, which the
  // period cannot count yet)
  assert.ok(Number(buckets.at(-1)['Open at the end']) <= now.open);
});

test('a plant on Paris time, a planner in French: times on the plant\'s clock, French words and spreadsheet conventions', async () => {
  const paris = await startVisor({ args: ['--timezone', 'Europe/Paris'] });
  const parisMgr = await managerApi(paris);
  const { context, page } = await signedInPage(browser, paris, 'manager', { path: '/reports' });
  try {
    await ready(page, '/reports');
    const t = await createTask(parisMgr, { title: 'Heure de Paris', priority: 3, schedule_start: '2026-12-10T08:00:00Z', schedule_end: '2026-12-10T09:30:00Z' });
    await period(page, '2026-12-01', '2026-12-31');
    await page.getByLabel('Language of the file').selectOption('fr');
    const { head, rows, json } = await download(page, 'tasks', { sep: ';', url: paris.url, context });
    assert.equal(json.timezone, 'Europe/Paris');
    const item = json.items.find((r) => r.id === t.id);
    assert.equal(item.schedule_start, '2026-12-10T09:00:00+01:00', 'JSON: ISO 8601 with the plant\'s offset');
    assert.ok(head.includes('Début prévu (Europe/Paris)'));
    const row = rows.find((r) => Number(r['Tâche']) === t.id);
    assert.equal(row['Début prévu (Europe/Paris)'], '2026-12-10 09:00', 'the plant\'s wall clock, not UTC');
    assert.equal(row['Fin prévue (Europe/Paris)'], '2026-12-10 10:30');
    assert.equal(row['Priorité'], 'Haute');
    assert.equal(row['Sur le terrain'], 'Pas commencée');
    assert.equal(row['En retard'], 'Non');
    await period(page, day(-30), day(0));
    await page.getByLabel('Language of the file').selectOption('fr');
    const kpis = await download(page, 'kpis', { sep: ';', url: paris.url, context });
    const decimals = kpis.rows.map((r) => r['MTBF (heures)']).filter((v) => v);
    assert.ok(decimals.length > 0, 'the demo plant\'s last 30 days have an MTBF');
    for (const v of decimals) assert.match(v, /^\d+,\d{2}$/, `"${v}" has a decimal comma`);
    assert.equal(kpis.rows.at(-1)['Du (Europe/Paris)'], 'Total');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await paris.stop();
  }
});

test('the audit log lists changes and filters by person and action', async () => {
  const { page } = session;
  await go(page, '/audit');
  await page.waitForSelector('.audit-table tbody tr[data-id]');
  await page.selectOption('select[aria-label="Action"]', 'task.');
  await page.waitForFunction(() => [...document.querySelectorAll('.audit-table tbody tr[data-id]')].every((r) => r.dataset.action.startsWith('task.')));
  const managerId = await userId(mgr, 'manager');
  await page.selectOption('select[aria-label="Who"]', String(managerId));
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('.audit-table tbody tr[data-id]')];
    return rows.length > 0 && rows.every((r) => r.querySelector('.audit-who').textContent === 'Maria Manager');
  });
  assert.deepEqual(page.errors, []);
});
