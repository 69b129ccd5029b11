// The board: one column per stage (in the CMMS's order), cards dragged from
// column to column change the task's stage (PATCH with If-Match). Folded
// stages start collapsed; done stages show the most recent work only.
// Keyboard: focus a card, Shift+←/→ moves it to the previous/next stage.
import { h, clear, raw, toast, debounce } from '../core/dom.js';
import { get, patch, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { stages as loadStages, teams as loadTeams } from '../core/store.js';
import { select, priorityBadge, typeBadge, executionBadge, stepsProgress, person, whenDate, empty } from '../ui/common.js';
import { draggable } from '../ui/drag.js';

const OPEN_LIMIT = 100;
const DONE_LIMIT = 25;

export async function render(root, ctx) {
  const [stages, teams] = await Promise.all([loadStages(), loadTeams()]);
  const f = { team: ctx.query.team || '', q: ctx.query.q || '' };
  const columns = new Map();  // stage id → {el, list, count, stage}
  const tasks = new Map();    // task id → task

  const search = h('input', { type: 'search', class: 'search', placeholder: t('tasks.search'), value: f.q, 'aria-label': t('tasks.search') });
  search.addEventListener('input', debounce(() => { f.q = search.value.trim(); loadAll(); }, 150));
  const teamSel = select([{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))],
    f.team, { 'aria-label': t('field.team'), on: { change: (e) => { f.team = e.target.value; loadAll(); } } });
  const boardEl = h('div', { class: 'board' });
  root.append(h('div', { class: 'toolbar' }, search, teamSel, h('span', { class: 'muted small' }, t('board.hint'))), boardEl);

  for (const stage of stages) {
    const list = h('div', { class: 'column-list', dataset: { stage: stage.id } });
    const count = h('span', { class: 'column-count' });
    const el = h('section', { class: ['column', stage.folded && 'is-folded', stage.done && 'is-done'], dataset: { stage: stage.id } },
      h('header', { class: 'column-head' },
        h('button', { class: 'column-toggle', type: 'button', title: t('board.toggle'), 'aria-label': t('board.toggle'),
          on: { click: () => el.classList.toggle('is-folded') } }, '▾'),
        raw(stage.name, 'h2'), count),
      list);
    columns.set(stage.id, { el, list, count, stage });
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

  function counts() {
    for (const col of columns.values()) {
      const n = col.list.querySelectorAll('.card-task').length;
      col.count.textContent = col.more ? `${n}+` : String(n);
      if (!n && !col.list.querySelector('.empty')) col.list.append(empty('board.empty'));
    }
  }

  async function moveTo(id, stageId, focus = false) {
    const task = tasks.get(id);
    if (!task || task.stage.id === stageId) return;
    const stage = columns.get(stageId).stage;
    const before = task;
    place({ ...task, stage: { id: stage.id, name: stage.name, done: stage.done } }, focus);
    try {
      const updated = await patch(`/tasks/${id}`, { stage_id: stageId }, { ifMatch: `v${task.version}` });
      place(rowOf(updated), focus);
      toast(t('board.moved', { stage: stage.name }), 'ok', 2000);
    } catch (e) {
      place(before, focus);
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
    }
  }

  async function loadColumn(col) {
    const limit = col.stage.done ? DONE_LIMIT : OPEN_LIMIT;
    const page = await get(`/tasks${query({ stage: col.stage.id, include_done: 'true', team: f.team, q: f.q,
      sort: col.stage.done ? 'updated' : 'priority', limit })}`);
    clear(col.list);
    for (const task of page.items) {
      tasks.set(task.id, task);
      col.list.append(card(task));
    }
    col.more = !!page.next_cursor;
  }

  async function loadAll() {
    setQuery({ team: f.team, q: f.q });
    await Promise.all([...columns.values()].map(loadColumn));
    counts();
  }

  const matches = (task) => (!f.team || String(task.team_id) === String(f.team))
    && (!f.q || task.title.toLowerCase().includes(f.q.toLowerCase()));
  ctx.cleanup(on(TASK_EVENTS, (task) => {
    if (!task || !task.id || !task.stage) return;
    if (task.archived || !matches(task)) {
      root.querySelector(`.card-task[data-id="${task.id}"]`)?.remove();
      counts();
      return;
    }
    const old = tasks.get(task.id);
    if (old && old.version > task.version) return;
    place(task);
  }));
  ctx.cleanup(on('task.deleted', (d) => {
    root.querySelector(`.card-task[data-id="${d.id}"]`)?.remove();
    tasks.delete(d.id);
    counts();
  }));
  ctx.cleanup(on('resync', () => loadAll()));
  await loadAll();
}

/** The list form of a task detail (what the board keeps per card). */
function rowOf(detail) {
  const { step_list: _s, work_log: _w, ...row } = detail;
  return row;
}
