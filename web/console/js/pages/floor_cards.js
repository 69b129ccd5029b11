// Pieces of the live floor: a technician's lane, the late list, feed items.
import { h, raw } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { whenTime, priorityBadge, person, empty } from '../ui/common.js';
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
      h('span', {}, t('floor.on_tool'), ' ', h('b', { dataset: { tool: task.time_on_tool_seconds, fetched: task.fetched, running: running ? '1' : '0' } })),
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

export function lateList(rows) {
  if (!rows.length) return empty('floor.nothing_late');
  return h('ul', { class: 'late-list' }, rows.map((task) => h('li', { class: 'late-item', dataset: { taskId: task.id } },
    h('a', { href: `/tasks/${task.id}` }, raw(task.title)),
    h('div', { class: 'small' }, person(task.assignee), ' · ',
      h('span', { class: 'late-tag', dataset: { lateSince: dueMs(task) } })))));
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
