// The live floor: who works on what right now, on which step and for how
// long (work running far past its planned duration flagged); each task's
// timeline; late work — counted as the dashboard counts it — and a feed of
// what just happened, filled from the recent work log on load and kept up by
// the event stream (no polling): an event about a task refetches that one
// task. The clocks tick locally.
import { h, clear, throttle } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t, duration } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { iso, startOfDay } from '../core/tz.js';
import { users as loadUsers, byId } from '../core/store.js';
import { empty, whenTime } from '../ui/common.js';
import { techCard, lateList, feedItem, historyItem, overrunCheck } from './floor_cards.js';

const FEED_MAX = 40;
const LATE_SHOWN = 12;

export async function render(root, ctx) {
  const people = await byId(loadUsers);
  const techs = [...people.values()].filter((u) => u.role === 'technician' && u.active).sort((a, b) => a.name.localeCompare(b.name));
  const active = new Map();  // task id → detail (in progress or paused)
  const nextUp = new Map();  // user id → task row
  let late = [];
  let lateTotal = 0;

  const summary = h('div', { class: 'floor-summary' });
  const lanes = h('div', { class: 'floor-lanes' });
  const lateHost = h('div', {});
  const feed = h('ol', { class: 'feed', 'aria-live': 'polite' });
  // The feed first in the side column: it is what a planner glances at.
  root.append(summary, h('div', { class: 'floor-layout' },
    lanes,
    h('aside', { class: 'floor-side' },
      h('section', { class: 'card floor-feed' }, h('header', { class: 'card-head' }, h('h2', {}, t('floor.feed'))), feed),
      h('section', { class: 'card floor-late' }, h('header', { class: 'card-head' }, h('h2', {}, t('floor.late'))), lateHost))));

  const current = (userId) => [...active.values()]
    .filter((d) => d.assignee && d.assignee.id === userId)
    .sort((a, b) => (a.execution === 'in_progress' ? 0 : 1) - (b.execution === 'in_progress' ? 0 : 1) || Date.parse(b.updated_at) - Date.parse(a.updated_at));

  function draw() {
    // Technicians by what they do now; late = late work under way or waiting.
    const states = techs.map((u) => {
      const mine = current(u.id);
      return mine.some((d) => d.execution === 'in_progress') ? 'working' : mine.length ? 'paused' : 'idle';
    });
    const working = states.filter((x) => x === 'working').length;
    const paused = states.filter((x) => x === 'paused').length;
    clear(summary).append(
      h('span', { class: 'pill pill-ok' }, t('floor.working', { n: working })),
      h('span', { class: 'pill pill-warn' }, t('floor.paused', { n: paused })),
      h('a', { class: ['pill', lateTotal ? 'pill-danger' : 'pill-muted'], href: '/tasks?overdue=1', dataset: { late: lateTotal } },
        t('floor.late_n', { n: lateTotal })));
    clear(lanes).append(...techs.map((u) => techCard(u, current(u.id), nextUp.get(u.id), people)));
    if (!techs.length) lanes.append(empty('floor.no_technicians'));
    clear(lateHost).append(lateList(late, lateTotal));
    tick();
  }

  // The running clocks: time in the current session and on tool.
  function tick() {
    const now = Date.now();
    for (const el of root.querySelectorAll('[data-since]')) el.textContent = duration((now - Number(el.dataset.since)) / 1000);
    for (const el of root.querySelectorAll('[data-tool]')) {
      const running = el.dataset.running === '1';
      el.textContent = duration(Number(el.dataset.tool) + (running ? (now - Number(el.dataset.fetched)) / 1000 : 0));
    }
    for (const el of root.querySelectorAll('[data-late-since]')) el.textContent = t('floor.late_by', { d: duration((now - Number(el.dataset.lateSince)) / 1000) });
    for (const el of root.querySelectorAll('[data-planned]')) overrunCheck(el, now);
  }
  const timer = setInterval(tick, 1000);
  ctx.cleanup(() => clearInterval(timer));

  async function fetchDetail(id) {
    const d = await get(`/tasks/${id}`);
    d.fetched = Date.now();
    return d;
  }

  async function loadActive() {
    const [working, paused] = await Promise.all([
      get(`/tasks${query({ execution: 'in_progress', sort: 'updated', limit: 200 })}`),
      get(`/tasks${query({ execution: 'paused', sort: 'updated', limit: 200 })}`)]);
    // Details for each technician's most recent tasks only (a few per person).
    const perUser = new Map();
    for (const row of [...working.items, ...paused.items]) {
      if (!row.assignee) continue;
      const list = perUser.get(row.assignee.id) || [];
      if (list.length < 3) list.push(row.id);
      perUser.set(row.assignee.id, list);
    }
    const details = await Promise.all([...perUser.values()].flat().map(fetchDetail));
    active.clear();
    for (const d of details) active.set(d.id, d);
  }

  // Late work as the dashboard counts it: every open task whose planned end
  // (or start) has passed, under way or not; the list shows the latest first.
  async function loadPlan() {
    const now = Date.now();
    const [upcoming, overdue] = await Promise.all([
      get(`/tasks${query({ from: iso(now), to: iso(startOfDay(now, 1)), sort: 'schedule', limit: 200 })}`),
      get(`/tasks${query({ late: 'true', sort: 'schedule', limit: LATE_SHOWN, total: 'true' })}`)]);
    nextUp.clear();
    for (const row of upcoming.items) if (row.assignee && !nextUp.has(row.assignee.id)) nextUp.set(row.assignee.id, row);
    late = overdue.items;
    lateTotal = overdue.total;
  }
  const refreshPlan = throttle(() => loadPlan().then(() => { if (!ctx.stale) draw(); }).catch(() => {}), 1000);
  ctx.cleanup(() => refreshPlan.cancel());

  async function loadHistory() {
    const page = await get('/activity?limit=30');
    for (const entry of page.items) feed.append(historyItem(entry));
  }

  function pushFeed(type, data) {
    feed.prepend(feedItem(type, data, people));
    while (feed.children.length > FEED_MAX) feed.lastChild.remove();
  }

  ctx.cleanup(on(TASK_EVENTS, async (data, type) => {
    if (!data || !data.id) return;
    pushFeed(type, data);
    if (data.execution === 'in_progress' || data.execution === 'paused') {
      try {
        active.set(data.id, await fetchDetail(data.id));
      } catch {
        active.delete(data.id);
      }
    } else {
      active.delete(data.id);
    }
    if (type !== 'step.done' && type !== 'task.note') refreshPlan();
    if (!ctx.stale) draw();
  }));
  ctx.cleanup(on('task.deleted', (d) => { active.delete(d.id); refreshPlan(); draw(); }));
  ctx.cleanup(on('resync', async () => { await Promise.all([loadActive(), loadPlan()]); draw(); }));
  await Promise.all([loadActive(), loadPlan(), loadHistory()]);
  draw();
  feed.prepend(h('li', { class: 'feed-item feed-mark muted' }, t('floor.feed_start'), ' ', whenTime(Date.now())));
}
