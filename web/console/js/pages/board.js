// The board: one column per stage (in the CMMS's order), cards dragged from
// column to column change the task's stage (PATCH with If-Match), with Undo.
// Each column's count is the server's total for its filters; cards come a
// page at a time ("Show more"), so every card can be reached. Folded stages
// start collapsed; done stages list the most recently changed work first.
// Keyboard: focus a card, Shift+←/→ moves it to the previous/next stage.
import { h, clear, raw, toast, debounce, throttle } from '../core/dom.js';
import { get, patch, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { stages as loadStages, teams as loadTeams } from '../core/store.js';
import { select, priorityBadge, typeBadge, executionBadge, stepsProgress, person, whenDate, empty } from '../ui/common.js';
import { draggable } from '../ui/drag.js';

const PAGE = 50;

export async function render(root, ctx) {
  const [stages, teams] = await Promise.all([loadStages(), loadTeams()]);
  const f = { team: ctx.query.team || '', q: ctx.query.q || '' };
  const columns = new Map();  // stage id → {el, list, count, more, stage, total, cursor}
  const tasks = new Map();    // task id → task

  const search = h('input', { type: 'search', class: 'search', placeholder: t('tasks.search'), value: f.q, 'aria-label': t('tasks.search') });
  search.addEventListener('input', debounce(() => { f.q = search.value.trim(); loadAll(); }, 150));
  const teamSel = select([{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))],
    f.team, { 'aria-label': t('field.team'), on: { change: (e) => { f.team = e.target.value; loadAll(); } } });
  const boardEl = h('div', { class: 'board' });
  root.append(h('div', { class: 'toolbar' }, search, teamSel, h('span', { class: 'muted small' }, t('board.hint'))), boardEl);

  for (const stage of stages) {
    const list = h('div', { class: 'column-list', dataset: { stage: stage.id } });
    const count = h('span', { class: 'column-count', title: t('board.count_title') });
    const more = h('button', { class: 'btn btn-small btn-ghost column-more hidden', type: 'button' });
    const el = h('section', { class: ['column', stage.folded && 'is-folded', stage.done && 'is-done'], dataset: { stage: stage.id } },
      h('header', { class: 'column-head' },
        h('button', { class: 'column-toggle', type: 'button', title: t('board.toggle'), 'aria-label': t('board.toggle'),
          on: { click: () => el.classList.toggle('is-folded') } }, '▾'),
        raw(stage.name, 'h2'), count),
      list, more);
    const col = { el, list, count, more, stage, total: 0, cursor: null };
    more.addEventListener('click', () => loadColumn(col, false));
    columns.set(stage.id, col);
    boardEl.append(el);
  }

  function card(task) {
    const el = h('article', { class: ['card-task', task.overdue && 'is-overdue', `prio-edge-${task.priority}`], tabindex: '0',
      dataset: { id: task.id } },
    h('div', { class: 'card-top' }, priorityBadge(task.priority), task.execution !== 'not_started' ? executionBadge(task.execution) : null,
      task.type === 'preventive' ? typeBadge(task.type) : null),
    h('a', { href: `/tasks/${task.id}`, class: 'card-title' }, raw(task.title)),
    task.equipment ? h('div', { class: 'card-machine' }, raw(task.equipment.name), ' ', raw(task.equipment.code, 'span', { class: 'code' })) : null,
    h('div', { class: 'card-foot' }, person(task.assignee), task.schedule_start ? whenDate(task.schedule_start) : null, stepsProgress(task.steps)));
    draggable(el, {
      targetSelector: '.column',
      onDrop: ({ target }) => { if (target) moveTo(task.id, Number(target.dataset.stage)); },
    });
    el.addEventListener('keydown', (e) => {
      if (!e.shiftKey || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
      e.preventDefault();
      const i = stages.findIndex((s) => s.id === tasks.get(task.id).stage.id);
      const next = stages[i + (e.key === 'ArrowRight' ? 1 : -1)];
      if (next) moveTo(task.id, next.id, true);
    });
    return el;
  }

  function place(task, focus = false) {
    tasks.set(task.id, task);
    root.querySelector(`.card-task[data-id="${task.id}"]`)?.remove();
    const col = columns.get(task.stage.id);
    if (!col) return;
    col.list.querySelector('.empty')?.remove();
    const el = card(task);
    col.list.prepend(el);
    if (focus) el.focus();
    counts();
  }

  // The count is the server's total; the button says how many cards are
  // not shown yet.
  function counts() {
    for (const col of columns.values()) {
      const shown = col.list.querySelectorAll('.card-task').length;
      const total = Math.max(col.total, shown);
      col.count.textContent = String(total);
      col.count.dataset.total = String(total);
      const left = total - shown;
      col.more.classList.toggle('hidden', !col.cursor || left <= 0);
      col.more.textContent = t('board.show_more', { n: Math.min(left, PAGE), left });
      if (!shown && !col.list.querySelector('.empty')) col.list.append(empty('board.empty'));
    }
  }

  async function moveTo(id, stageId, focus = false, undoable = true) {
    const task = tasks.get(id);
    if (!task || task.stage.id === stageId) return;
    const from = columns.get(task.stage.id);
    const to = columns.get(stageId);
    const stage = to.stage;
    const before = task;
    if (from) from.total -= 1;
    to.total += 1;
    place({ ...task, stage: { id: stage.id, name: stage.name, done: stage.done } }, focus);
    try {
      const updated = await patch(`/tasks/${id}`, { stage_id: stageId }, { ifMatch: `v${task.version}` });
      place(rowOf(updated), focus);
      const back = before.stage.id;
      toast(t('board.moved', { stage: stage.name }), 'ok', 8000,
        undoable ? { label: t('common.undo'), run: () => moveTo(id, back, focus, false) } : null);
    } catch (e) {
      if (from) from.total += 1;
      to.total -= 1;
      place(before, focus);
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
    }
  }

  const params = (col, extra) => ({ stage: col.stage.id, include_done: 'true', team: f.team, q: f.q,
    sort: col.stage.done ? 'updated' : 'priority', ...extra });

  async function loadColumn(col, reset = true) {
    const page = await get(`/tasks${query(params(col, { limit: PAGE, total: 'true', cursor: reset ? null : col.cursor }))}`);
    if (ctx.stale) return;
    if (reset) clear(col.list);
    for (const task of page.items) {
      if (!reset && col.list.querySelector(`.card-task[data-id="${task.id}"]`)) continue;
      tasks.set(task.id, task);
      col.list.append(card(task));
    }
    col.cursor = page.next_cursor;
    col.total = page.total;
    if (!reset) counts();
  }

  async function loadAll() {
    setQuery({ team: f.team, q: f.q });
    await Promise.all([...columns.values()].map((col) => loadColumn(col)));
    counts();
  }

  // Live changes move cards at once; the totals follow from the server.
  const refreshTotals = throttle(async () => {
    try {
      await Promise.all([...columns.values()].map(async (col) => {
        col.total = (await get(`/tasks${query(params(col, { limit: 1, total: 'true' }))}`)).total;
      }));
      if (!ctx.stale) counts();
    } catch {
      // the next event or a reload tries again
    }
  }, 1000);
  ctx.cleanup(() => refreshTotals.cancel());

  const matches = (task) => (!f.team || String(task.team_id) === String(f.team))
    && (!f.q || task.title.toLowerCase().includes(f.q.toLowerCase()));
  ctx.cleanup(on(TASK_EVENTS, (task) => {
    if (!task || !task.id || !task.stage) return;
    if (task.archived || !matches(task)) {
      root.querySelector(`.card-task[data-id="${task.id}"]`)?.remove();
      counts();
      refreshTotals();
      return;
    }
    const old = tasks.get(task.id);
    if (old && old.version > task.version) return;
    place(task);
    refreshTotals();
  }));
  ctx.cleanup(on('task.deleted', (d) => {
    root.querySelector(`.card-task[data-id="${d.id}"]`)?.remove();
    tasks.delete(d.id);
    counts();
    refreshTotals();
  }));
  ctx.cleanup(on('resync', () => loadAll()));
  await loadAll();
}

/** The list form of a task detail (what the board keeps per card). */
function rowOf(detail) {
  const { step_list: _s, work_log: _w, ...row } = detail;
  return row;
}
