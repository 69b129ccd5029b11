// Pieces of the live floor: a technician's lane, the late list, feed items.
import { h, raw } from '../core/dom.js';
import { t, duration, measured, time as clock, shortDateTime } from '../core/i18n.js';
import { startOfDay } from '../core/tz.js';
import { when, whenTime, priorityBadge, executionBadge, person, empty } from '../ui/common.js';
import { timeline } from '../ui/timeline.js';

function lastOf(log, kinds) {
  for (let i = log.length - 1; i >= 0; i--) if (kinds.includes(log[i].kind)) return log[i];
  return null;
}

function currentStep(task) {
  const steps = task.step_list || [];
  const next = steps.find((s) => !s.done);
  return next || null;
}

/** Planned duration in seconds (schedule end − start), or null. */
function plannedSeconds(task) {
  if (!task.schedule_start || !task.schedule_end) return null;
  const s = (Date.parse(task.schedule_end) - Date.parse(task.schedule_start)) / 1000;
  return s > 0 ? s : null;
}

// Work runs far past its plan when its time on tool is more than half as
// long again as planned, and at least a quarter of an hour over.
const OVERRUN_RATIO = 1.5;
const OVERRUN_MIN_S = 15 * 60;

/** Shows or hides the overrun flag of a task block as its time on tool grows. */
export function overrunCheck(el, now) {
  const planned = Number(el.dataset.planned);
  const tool = Number(el.dataset.tool) + (el.dataset.running === '1' ? (now - Number(el.dataset.fetched)) / 1000 : 0);
  const over = planned > 0 && tool > planned * OVERRUN_RATIO && tool - planned >= OVERRUN_MIN_S;
  const block = el.closest('.lane-task');
  block?.classList.toggle('is-overrun', over);
  const tag = block?.querySelector('.overrun-tag');
  if (tag) {
    tag.hidden = !over;
    tag.textContent = over ? t('floor.overrun', { planned: duration(planned) }) : '';
  }
}

function dueMs(task) {
  const due = task.schedule_end || task.schedule_start;
  return due ? Date.parse(due) : null;
}

function taskBlock(task, people, main) {
  const running = task.execution === 'in_progress';
  const kinds = running ? ['started', 'resumed'] : ['paused'];
  // The card carries its newest entries only; `session` is the latest start,
  // pause or resume however old.
  const session = lastOf(task.work_log || [], kinds) || (kinds.includes(task.session?.kind) ? task.session : null);
  const step = currentStep(task);
  const total = task.steps.total;
  const fill = h('span', { class: 'progress-fill' });
  fill.style.width = `${total ? Math.round((100 * task.steps.done) / total) : 0}%`;
  const stepLine = step
    ? h('div', { class: 'lane-step', dataset: { currentStep: step.number } },
      h('span', { class: 'lane-step-n' }, t('floor.step_of', { n: step.number, total })), ' ', raw(step.text, 'span', { class: 'lane-step-text' }))
    : h('div', { class: 'lane-step', dataset: { currentStep: total ? total + 1 : 0 } }, total ? t('floor.all_steps_done') : t('task.no_steps'));
  const due = dueMs(task);
  return h('div', { class: ['lane-task', task.overdue && 'is-late', !main && 'lane-task-minor'], dataset: { taskId: task.id, execution: task.execution } },
    h('div', { class: 'lane-task-head' }, priorityBadge(task.priority),
      h('a', { href: `/tasks/${task.id}`, class: 'lane-title' }, raw(task.title))),
    task.equipment ? h('div', { class: 'lane-machine' }, raw(task.equipment.name), ' · ', raw(task.equipment.location || task.equipment.code)) : null,
    stepLine,
    h('div', { class: 'progress lane-progress' }, h('span', { class: 'progress-bar' }, fill), h('span', { class: 'progress-text' }, `${task.steps.done}/${total}`)),
    h('div', { class: 'lane-clocks' },
      session ? h('span', {}, t(running ? 'floor.working_for' : 'floor.paused_for'), ' ', h('b', { dataset: { since: Date.parse(session.at) } })) : null,
      h('span', {}, t('floor.on_tool'), ' ', h('b', { dataset: { tool: task.time_on_tool_seconds, fetched: task.fetched, running: running ? '1' : '0',
        planned: plannedSeconds(task) ?? '' } })),
      h('span', { class: 'overrun-tag', hidden: true }),
      task.overdue && due ? h('span', { class: 'late-tag', dataset: { lateSince: due } }) : null),
    main ? timeline((task.work_log || []).slice(-4), task.step_list || [], people, { compact: true }) : null);
}

export function techCard(user, tasks, next, people) {
  const running = tasks.find((x) => x.execution === 'in_progress');
  const state = running ? 'working' : tasks.length ? 'paused' : 'idle';
  return h('article', { class: ['lane', `lane-${state}`], dataset: { user: user.id, state } },
    h('header', { class: 'lane-head' }, person(user), h('span', { class: ['pill', `pill-${state}`] }, t(`floor.state.${state}`))),
    tasks.length ? tasks.map((task, i) => taskBlock(task, people, i === 0)) : h('div', { class: 'lane-idle' }, t('floor.idle')),
    next ? h('div', { class: 'lane-next' }, t('floor.next'), ' ', whenTime(next.schedule_start), ' · ',
      h('a', { href: `/tasks/${next.id}` }, raw(next.title))) : null);
}

/** The late work: the first rows of the list and how many in all. */
export function lateList(rows, total = rows.length) {
  if (!rows.length) return empty('floor.nothing_late');
  const list = h('ul', { class: 'late-list' }, rows.map((task) => h('li', { class: 'late-item', dataset: { taskId: task.id } },
    h('a', { href: `/tasks/${task.id}` }, raw(task.title)),
    h('div', { class: 'small' }, person(task.assignee), ' · ', task.execution !== 'not_started' ? [executionBadge(task.execution), ' · '] : null,
      h('span', { class: 'late-tag', dataset: { lateSince: dueMs(task) } })))));
  const more = total - rows.length;
  return h('div', {}, list, more > 0 ? h('a', { class: 'late-more', href: '/tasks?overdue=1' }, t('floor.late_more', { n: more })) : null);
}

const ACTIONS = { started: 'feed.started', paused: 'feed.paused', resumed: 'feed.resumed', completed: 'feed.completed' };

/** One line of the feed for an event. */
export function feedItem(type, data, people) {
  const by = data.by && people.get(data.by) ? people.get(data.by).name : null;
  let key = 'feed.changed';
  if (type === 'task.created') key = 'feed.created';
  else if (type === 'task.assigned') key = 'feed.assigned';
  else if (type === 'step.done') key = data.step_done ? 'feed.step_done' : 'feed.step_updated';
  else if (type === 'task.note') key = 'feed.note';
  else if (data.action && ACTIONS[data.action]) key = ACTIONS[data.action];
  const who = by ? raw(by, 'strong') : data.assignee && type === 'task.assigned' ? raw(data.assignee.name, 'strong') : null;
  return h('li', { class: ['feed-item', `feed-${type.replace('.', '-')}`], dataset: { kind: type, taskId: data.id } },
    h('span', { class: 'feed-when' }, whenTime(Date.now())),
    h('span', { class: 'feed-text' }, who, who ? ' ' : null, t(key, { n: data.step ?? '' }), ' ',
      h('a', { href: `/tasks/${data.id}` }, raw(data.title || `#${data.id}`))),
    data.note ? raw(data.note, 'div', { class: 'feed-note' }) : null);
}

const HISTORY = { started: 'feed.started', paused: 'feed.paused', resumed: 'feed.resumed', completed: 'feed.completed',
  step_done: 'feed.step_done', note: 'feed.note', measurement: 'feed.measurement', photo: 'feed.photo' };

/** One line of the feed for a work-log entry from GET /activity (the history shown on load). */
export function historyItem(e) {
  const detail = e.kind === 'note' ? e.text : e.value ? measured(e.value, e.unit) : '';
  return h('li', { class: ['feed-item', 'feed-history', `feed-${e.kind}`], dataset: { kind: e.kind, taskId: e.task_id, entry: e.id } },
    h('span', { class: 'feed-when' }, when(e.at, (v) => (startOfDay(Date.parse(v)) === startOfDay(Date.now()) ? clock(v) : shortDateTime(v)))),
    h('span', { class: 'feed-text' }, e.user ? [raw(e.user, 'strong'), ' '] : null, t(HISTORY[e.kind] || 'feed.changed', { n: e.step ?? '' }), ' ',
      h('a', { href: `/tasks/${e.task_id}` }, raw(e.task || `#${e.task_id}`))),
    detail ? raw(detail, 'div', { class: 'feed-note' }) : null);
}
