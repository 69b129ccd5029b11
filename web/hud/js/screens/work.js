// MY WORK: what is under way, overdue and due today first (each by
// priority), then later work. Items are numbered: say "OPEN 3" or press 3.
// A row is the title (whole, up to two lines), then when · tags · where:
// the date comes first so that a narrow display never loses it.
import { h } from '../dom.js';
import * as data from '../data.js';
import { isToday, isPastDay, when, priority, status, where } from '../format.js';
import { scrollPage, hfSay } from '../ui.js';
import { labelOf } from '../commands.js';
import { t } from '../i18n.js';

const byPriority = (a, b) => b.priority - a.priority || (a.schedule_start || '').localeCompare(b.schedule_start || '') || a.id - b.id;
const bySchedule = (a, b) => (a.schedule_start || '').localeCompare(b.schedule_start || '') || a.id - b.id;

/** Groups in display order: [heading key, rows]. */
export function groups(rows) {
  const g = { running: [], overdue: [], today: [], later: [], none: [] };
  for (const r of rows) {
    if (r.execution === 'in_progress' || r.execution === 'paused') g.running.push(r);
    else if (r.overdue || isPastDay(r.schedule_start)) g.overdue.push(r);
    else if (isToday(r.schedule_start)) g.today.push(r);
    else if (r.schedule_start) g.later.push(r);
    else g.none.push(r);
  }
  return [
    ['work.running', g.running.sort(byPriority)],
    ['work.overdue', g.overdue.sort(byPriority)],
    ['work.today', g.today.sort(byPriority)],
    ['work.later', g.later.sort(bySchedule)],
    ['work.none', g.none.sort(byPriority)],
  ].filter(([, list]) => list.length);
}

/** A numbered row of a task list (MY WORK, a machine's open work). `who` adds the assignee. */
export function taskRow(row, n, { who = false } = {}) {
  const tags = [
    row.priority >= 3 ? h('span', { class: 'tag tag-danger', text: priority(row.priority) }) : null,
    row.overdue ? h('span', { class: 'tag tag-warn', text: t('tag.overdue') }) : null,
    row.execution !== 'not_started' ? h('span', { class: 'tag tag-accent', text: status(row.execution) }) : null,
    row.steps?.total ? h('span', { class: 'tag', text: t('tag.steps_short', { done: row.steps.done, total: row.steps.total }) }) : null,
    row.waiting ? h('span', { class: 'tag tag-sync', text: t('tag.waiting') }) : null,
  ];
  const open = `${labelOf({ id: 'SELECT' })} ${n}`;
  const person = who ? (row.assignee ? row.assignee.name : t('task.unassigned')) : null;
  return h('button', { type: 'button', class: 'item', title: hfSay(open), data: { cmd: 'SELECT', arg: String(n), key: `task-${row.id}`, nav: '', task: String(row.id) } },
    h('span', { class: 'num', text: String(n) }),
    h('span', { class: 'item-main' },
      h('span', { class: 'item-title', translate: 'no', text: row.title }),
      h('span', { class: 'item-meta' },
        h('time', { class: 'item-when', dateTime: row.schedule_start || null, text: when(row.schedule_start) }),
        h('span', { class: 'item-tags' }, tags),
        h('span', { class: 'item-where', translate: 'no', 'data-fit': 'ellipsis', text: person ?? where(row.equipment) }))));
}

export const work = {
  view(route, ctx) {
    const rows = data.myTasks();
    const numbered = [];
    let body;
    if (!rows) {
      body = h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? t('work.loading') : t('work.offline') }),
        ctx.online ? null : h('p', { text: t('work.offline_hint') }));
    } else if (!rows.length) {
      body = h('div', { class: 'empty panel' }, h('div', { class: 'big', text: t('work.empty') }),
        h('p', { text: t('work.empty_hint') }));
    } else {
      const sections = groups(rows).map(([heading, list]) => h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: t('work.group', { name: t(heading), n: list.length }) }),
        list.map((row) => { numbered.push(row); return taskRow(row, numbered.length); })));
      body = h('div', { class: 'list scroller' }, sections);
    }
    const open = (n) => {
      const row = n ? numbered[n - 1] : numbered.find((r) => `task-${r.id}` === document.activeElement?.dataset?.key) || numbered[0];
      if (row) ctx.go({ name: 'task', id: row.id });
      else ctx.toast(n ? t('toast.no_number', { n }) : t('toast.nothing_to_open'), 'warn');
    };
    const who = ctx.me ? ctx.me.name : '';
    return {
      title: who ? t('title.work_of', { name: who.toUpperCase() }) : t('title.work'),
      body,
      nav: 'list',
      commands: [
        { id: 'SELECT', run: open },
        { id: 'SCAN', bar: true, run: () => ctx.go({ name: 'camera', mode: 'scan', back: route }) },
        { id: 'REPORT', bar: true, run: () => ctx.go({ name: 'report', code: null, back: route }) },
        { id: 'SETTINGS', bar: true, run: () => ctx.go({ name: 'settings', back: route }) },
        { id: 'SCROLL_DOWN', run: () => scrollPage(1) },
        { id: 'SCROLL_UP', run: () => scrollPage(-1) },
        { id: 'BACK', overlay: false, run: () => {} },
      ],
    };
  },
  enter(route, ctx) {
    ctx.refreshAll?.();
  },
};
