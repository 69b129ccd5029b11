// MY WORK: what is under way, overdue and due today first (each by
// priority), then later work. Items are numbered: say "OPEN 3" or press 3.
import { h } from '../dom.js';
import * as data from '../data.js';
import { isToday, isPastDay, when, priority, status, where } from '../format.js';
import { scrollPage } from '../ui.js';

const byPriority = (a, b) => b.priority - a.priority || (a.schedule_start || '').localeCompare(b.schedule_start || '') || a.id - b.id;
const bySchedule = (a, b) => (a.schedule_start || '').localeCompare(b.schedule_start || '') || a.id - b.id;

/** Groups in display order: [heading, rows]. */
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
    ['UNDER WAY', g.running.sort(byPriority)],
    ['OVERDUE', g.overdue.sort(byPriority)],
    ['TODAY', g.today.sort(byPriority)],
    ['LATER', g.later.sort(bySchedule)],
    ['NOT SCHEDULED', g.none.sort(byPriority)],
  ].filter(([, list]) => list.length);
}

function item(row, n) {
  const tags = [
    row.priority >= 3 ? h('span', { class: 'tag tag-danger', text: priority(row.priority) }) : null,
    row.overdue ? h('span', { class: 'tag tag-warn', text: 'OVERDUE' }) : null,
    row.execution !== 'not_started' ? h('span', { class: 'tag tag-accent', text: status(row.execution) }) : null,
    row.steps?.total ? h('span', { class: 'tag', text: `${row.steps.done}/${row.steps.total}` }) : null,
    row.waiting ? h('span', { class: 'tag tag-sync', text: 'WAITING' }) : null,
  ];
  return h('button', { type: 'button', class: 'item', data: { cmd: 'SELECT', arg: String(n), key: `task-${row.id}`, nav: '', task: String(row.id) } },
    h('span', { class: 'num', text: String(n) }),
    h('span', { class: 'item-main' },
      h('span', { class: 'item-title', text: row.title }),
      h('span', { class: 'item-meta', text: `${where(row.equipment)} · ${when(row.schedule_start)}` })),
    h('span', { class: 'item-tags' }, tags));
}

export const work = {
  view(route, ctx) {
    const rows = data.myTasks();
    const numbered = [];
    let body;
    if (!rows) {
      body = h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? 'LOADING YOUR WORK…' : 'OFFLINE' }),
        ctx.online ? null : h('p', { text: 'No work is stored on this device yet. It appears once Visor is reachable.' }));
    } else if (!rows.length) {
      body = h('div', { class: 'empty panel' }, h('div', { class: 'big', text: 'NOTHING ASSIGNED' }),
        h('p', { text: 'New work appears here the moment it is assigned to you.' }));
    } else {
      const sections = groups(rows).map(([heading, list]) => h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: `${heading} · ${list.length}` }),
        list.map((row) => { numbered.push(row); return item(row, numbered.length); })));
      body = h('div', { class: 'list scroller' }, sections);
    }
    const open = (n) => {
      const row = n ? numbered[n - 1] : numbered.find((r) => `task-${r.id}` === document.activeElement?.dataset?.key) || numbered[0];
      if (row) ctx.go({ name: 'task', id: row.id });
      else ctx.toast(n ? `There is no number ${n}.` : 'Nothing to open.', 'warn');
    };
    const who = ctx.me ? ctx.me.name : '';
    return {
      title: who ? `MY WORK · ${who.toUpperCase()}` : 'MY WORK',
      body,
      nav: 'list',
      commands: [
        { id: 'SELECT', run: open },
        { id: 'SCAN', bar: true, run: () => ctx.go({ name: 'camera', mode: 'scan', back: route }) },
        { id: 'REPORT', bar: true, run: () => ctx.go({ name: 'report', code: null, back: route }) },
        { id: 'SETTINGS', bar: true, run: () => ctx.go({ name: 'settings', back: route }) },
        { id: 'SCROLL_DOWN', run: () => scrollPage(1) },
        { id: 'SCROLL_UP', run: () => scrollPage(-1) },
        { id: 'BACK', run: () => {} },
      ],
    };
  },
  enter(route, ctx) {
    ctx.refreshAll?.();
  },
};
