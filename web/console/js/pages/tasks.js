// The task list: filters, sorting (by the column headers) and text search
// (all in the URL), cursor pages with the total of the filtered list, live
// row updates, and bulk assign / reschedule / restage. One line per task, so
// that a 768-pixel screen shows fifteen or more.
import { h, clear, raw, debounce } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { stages as loadStages, teams as loadTeams, technicians as loadTechs } from '../core/store.js';
import { select, whenShort, whenRelative, priorityBadge, typeBadge, executionBadge, stageBadge, overdueBadge, stepsProgress,
  taskLink, person, loading } from '../ui/common.js';
import { bulkBar } from './tasks_bulk.js';

const SORTS = ['newest', 'schedule', 'priority', 'updated'];
// The columns, and the sort each header applies.
const COLUMNS = [['task', 'newest'], ['stage'], ['priority', 'priority'], ['assignee'], ['schedule', 'schedule'], ['steps'],
  ['status'], ['updated', 'updated']];
const EXECUTIONS = ['not_started', 'in_progress', 'paused', 'completed'];

export async function render(root, ctx) {
  const [stages, teams, techs] = await Promise.all([loadStages(), loadTeams(), loadTechs()]);
  const f = {
    q: ctx.query.q || '', stage: ctx.query.stage || '', team: ctx.query.team || '', assignee: ctx.query.assignee || '',
    execution: ctx.query.execution || '', sort: SORTS.includes(ctx.query.sort) ? ctx.query.sort : 'schedule',
    include_done: ctx.query.include_done === 'true', overdue: ctx.query.overdue === '1', equipment: ctx.query.equipment || '',
  };
  const selected = new Map();  // id → row
  const rows = new Map();      // id → row data shown
  let cursor = null;
  let total = 0;
  let seq = 0;

  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', on: { click: () => load(false) } }, t('common.load_more'));
  const count = h('span', { class: 'muted small' });
  const banner = h('div', { class: 'banner hidden' });
  const allBox = h('input', { type: 'checkbox', 'aria-label': t('tasks.select_all'), on: { change: (e) => {
    for (const [id, row] of rows) e.target.checked ? selected.set(id, row) : selected.delete(id);
    for (const box of tbody.querySelectorAll('input[type=checkbox]')) box.checked = e.target.checked;
    bar.update();
  } } });
  const bar = bulkBar({ selected, techs, stages, onDone: () => { selected.clear(); allBox.checked = false; load(true); } });

  const search = h('input', { type: 'search', class: 'search', placeholder: t('tasks.search'), value: f.q,
    'aria-label': t('tasks.search') });
  search.addEventListener('input', debounce(() => { f.q = search.value.trim(); load(true); }, 150));
  const pick = (key, options) => select(options, f[key], { 'aria-label': t(`filter.${key}`), on: { change: (e) => { f[key] = e.target.value; load(true); } } });
  const filters = h('div', { class: 'toolbar filters' },
    search,
    pick('stage', [{ value: '', label: t('filter.any_stage') }, ...stages.map((s) => ({ value: s.id, label: s.name, raw: true }))]),
    pick('team', [{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))]),
    pick('assignee', [{ value: '', label: t('filter.anyone') }, { value: 'none', label: t('task.unassigned') },
      ...techs.map((u) => ({ value: u.id, label: u.name, raw: true }))]),
    pick('execution', [{ value: '', label: t('filter.any_status') }, ...EXECUTIONS.map((e) => ({ value: e, label: t(`execution.${e}`) }))]),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', checked: f.include_done, on: { change: (e) => { f.include_done = e.target.checked; load(true); } } }), t('filter.include_done')),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', checked: f.overdue, on: { change: (e) => { f.overdue = e.target.checked; load(true); } } }), t('filter.overdue_only')),
    f.equipment ? h('button', { class: 'chip', type: 'button', title: t('filter.clear'), on: { click: (e) => { f.equipment = ''; e.currentTarget.remove(); load(true); } } },
      t('filter.machine_n', { id: f.equipment }), ' ×') : null,
    count);

  const headers = COLUMNS.map(([c, sort]) => {
    if (!sort) return h('th', {}, t(`col.${c}`));
    const btn = h('button', { class: 'sort-btn', type: 'button', on: { click: () => { f.sort = sort; load(true); } } }, t(`col.${c}`));
    return h('th', { dataset: { sort } }, btn);
  });
  const markSort = () => {
    for (const th of headers) {
      if (!th.dataset.sort) continue;
      const active = th.dataset.sort === f.sort;
      if (active) th.setAttribute('aria-sort', f.sort === 'schedule' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.querySelector('button').title = active ? t(`sort.${f.sort}`) : t('tasks.sort_by', { what: th.textContent });
    }
  };
  const table = h('table', { class: 'table tasks-table' },
    h('thead', {}, h('tr', {}, h('th', { class: 'col-check' }, allBox), headers)),
    tbody);
  root.append(filters, bar.el, banner, h('div', { class: 'table-wrap' }, table), h('div', { class: 'table-foot' }, more));

  function rowEl(task) {
    const box = h('input', { type: 'checkbox', checked: selected.has(task.id), 'aria-label': t('tasks.select_one'),
      on: { change: (e) => { e.target.checked ? selected.set(task.id, rows.get(task.id)) : selected.delete(task.id); bar.update(); } } });
    return h('tr', { dataset: { id: task.id }, class: [task.overdue && 'is-overdue'] },
      h('td', { class: 'col-check' }, box),
      h('td', { class: 'col-task' }, h('div', { class: 'task-line' }, taskLink(task),
        task.type === 'preventive' ? typeBadge(task.type) : null,
        task.equipment ? raw(task.equipment.name, 'span', { class: 'task-machine', title: task.equipment.code }) : null)),
      h('td', {}, stageBadge(task.stage)),
      h('td', {}, priorityBadge(task.priority)),
      h('td', { class: 'col-person' }, person(task.assignee)),
      h('td', {}, whenShort(task.schedule_start)),
      h('td', {}, stepsProgress(task.steps)),
      // Work not started shows nothing but its lateness: the column is what
      // happens on the floor.
      h('td', { class: 'nowrap' }, task.execution === 'not_started'
        ? h('span', { class: 'muted', title: t('execution.title', { status: t('execution.not_started') }) }, '—')
        : executionBadge(task.execution), ' ', overdueBadge(task)),
      h('td', { class: 'muted small nowrap' }, whenRelative(task.updated_at)));
  }

  function clearFilters() {
    Object.assign(f, { q: '', stage: '', team: '', assignee: '', execution: '', include_done: false, overdue: false, equipment: '' });
    search.value = '';
    for (const sel of filters.querySelectorAll('select')) sel.value = '';
    for (const box of filters.querySelectorAll('input[type=checkbox]')) box.checked = false;
    filters.querySelector('.chip')?.remove();
    load(true);
  }

  function emptyRow() {
    const filtered = f.q || f.stage || f.team || f.assignee || f.execution || f.include_done || f.overdue || f.equipment;
    return h('tr', { class: 'empty-row' }, h('td', { colspan: COLUMNS.length + 1 }, h('div', { class: 'empty' },
      h('p', {}, t(filtered ? 'tasks.none' : 'tasks.none_at_all')),
      filtered ? h('button', { class: 'btn', type: 'button', dataset: { clearFilters: '' }, on: { click: clearFilters } }, t('tasks.clear_filters')) : null)));
  }

  function params() {
    return {
      q: f.q, stage: f.stage, team: f.team, assignee: f.assignee, execution: f.execution, sort: f.sort,
      include_done: f.include_done ? 'true' : '', late: f.overdue ? 'true' : '', equipment: f.equipment, limit: 50, total: 'true',
    };
  }

  async function load(reset) {
    const mine = ++seq;
    if (reset) {
      cursor = null;
      setQuery({ q: f.q, stage: f.stage, team: f.team, assignee: f.assignee, execution: f.execution,
        sort: f.sort === 'schedule' ? '' : f.sort, include_done: f.include_done ? 'true' : '', overdue: f.overdue ? '1' : '', equipment: f.equipment });
      clear(tbody).append(h('tr', {}, h('td', { colspan: COLUMNS.length + 1 }, loading())));
    }
    const page = await get(`/tasks${query({ ...params(), cursor })}`);
    if (mine !== seq || ctx.stale) return;
    if (reset) { clear(tbody); rows.clear(); banner.classList.add('hidden'); }
    for (const task of page.items) {
      rows.set(task.id, task);
      tbody.append(rowEl(task));
    }
    if (!rows.size) tbody.append(emptyRow());
    cursor = page.next_cursor;
    total = page.total;
    more.classList.toggle('hidden', !cursor);
    more.textContent = t('tasks.load_more', { n: Math.min(50, total - rows.size) });
    showCount();
    markSort();
    bar.update();
  }

  function showCount() {
    count.textContent = t('tasks.count', { n: rows.size, total });
    count.dataset.total = String(total);
  }

  // Live: rows change in place; new tasks are announced, not inserted under
  // the planner's cursor.
  let fresh = 0;
  ctx.cleanup(on(TASK_EVENTS, (task, type) => {
    if (!task || !task.id) return;
    if (type === 'task.created') {
      fresh += 1;
      clear(banner).append(t('tasks.new_available', { n: fresh }), ' ',
        h('button', { class: 'link-btn', type: 'button', on: { click: () => { fresh = 0; load(true); } } }, t('common.show')));
      banner.classList.remove('hidden');
      return;
    }
    const old = tbody.querySelector(`tr[data-id="${task.id}"]`);
    if (!old) return;
    rows.set(task.id, task);
    if (selected.has(task.id)) selected.set(task.id, task);
    old.replaceWith(rowEl(task));
  }));
  ctx.cleanup(on('task.deleted', (d) => {
    if (tbody.querySelector(`tr[data-id="${d.id}"]`)) total -= 1;
    tbody.querySelector(`tr[data-id="${d.id}"]`)?.remove();
    rows.delete(d.id);
    showCount();
    selected.delete(d.id);
    bar.update();
  }));
  ctx.cleanup(on('resync', () => load(true)));
  await load(true);
}
