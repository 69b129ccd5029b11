// The week calendar: one row per technician (and one for unassigned work),
// days across, 06:00–20:00 each. A block's width is the task's duration.
// Dragging a block to another time or row reschedules and/or reassigns it
// (duration kept); dragging an unscheduled task from the tray schedules it.
import { h, clear, raw, toast } from '../core/dom.js';
import { patch, allTasks, get, query } from '../core/api.js';
import { t, weekday, time as clock, dayMonth } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { startOfWeek, startOfDay, parts, zoned, iso, fromInput, toDateInput } from '../core/tz.js';
import { technicians as loadTechs, teams as loadTeams } from '../core/store.js';
import { select, priorityBadge } from '../ui/common.js';
import { draggable } from '../ui/drag.js';

const FIRST_HOUR = 6;
const HOURS = 14;
const SNAP_MIN = 30;
const HOUR = 3600e3;

export async function render(root, ctx) {
  const [techs, teams] = await Promise.all([loadTechs(), loadTeams()]);
  let week = startOfWeek(ctx.query.week ? fromInput(ctx.query.week) ?? Date.now() : Date.now());
  let team = ctx.query.team || '';
  let zoom = [12, 24, 40, 64].includes(Number(ctx.query.zoom)) ? Number(ctx.query.zoom) : 24;  // pixels per hour
  const tasks = new Map();

  const label = h('strong', { class: 'week-label' });
  const teamSel = select([{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))],
    team, { 'aria-label': t('field.team'), on: { change: (e) => { team = e.target.value; load(); } } });
  const nav = (weeks) => () => { week = weeks === 0 ? startOfWeek(Date.now()) : startOfWeek(week, weeks); load(); };
  const grid = h('div', { class: 'cal', role: 'grid' });
  const tray = h('div', { class: 'cal-tray' });
  root.append(
    h('div', { class: 'toolbar' },
      h('button', { class: 'btn', type: 'button', on: { click: nav(-1) }, 'aria-label': t('calendar.prev') }, '‹'),
      h('button', { class: 'btn', type: 'button', on: { click: nav(0) } }, t('calendar.today')),
      h('button', { class: 'btn', type: 'button', on: { click: nav(1) }, 'aria-label': t('calendar.next') }, '›'),
      label, teamSel,
      h('span', { class: 'zoom' },
        h('button', { class: 'btn btn-small', type: 'button', 'aria-label': t('calendar.zoom_out'), title: t('calendar.zoom_out'), on: { click: () => setZoom(-1) } }, '−'),
        h('button', { class: 'btn btn-small', type: 'button', 'aria-label': t('calendar.zoom_in'), title: t('calendar.zoom_in'), on: { click: () => setZoom(1) } }, '+')),
      h('span', { class: 'muted small' }, t('calendar.hint'))),
    h('div', { class: 'cal-layout' }, h('div', { class: 'cal-scroll' }, grid), tray));

  function setZoom(dir) {
    const steps = [12, 24, 40, 64];
    zoom = steps[Math.min(steps.length - 1, Math.max(0, steps.indexOf(zoom) + dir))];
    draw();
    scrollToToday();
  }
  function scrollToToday() {
    const today = grid.querySelector('.cal-day.is-today');
    const scroller = grid.parentElement;
    const name = grid.querySelector('.cal-head .cal-name');
    if (today && name) scroller.scrollLeft += today.getBoundingClientRect().left - name.getBoundingClientRect().right;
  }

  const rowsOf = () => [...techs.filter((u) => !team || String(u.team_id) === String(team)).map((u) => ({ id: u.id, name: u.name })),
    { id: null, name: null }];
  const dayStarts = () => Array.from({ length: 7 }, (_, i) => startOfDay(week, i));

  // Where a block goes: x offset within the row, from its start instant.
  function geometry(startMs, endMs, days, hourPx) {
    const dayW = HOURS * hourPx;
    const i = days.findIndex((d, k) => startMs >= d && (k === 6 || startMs < days[k + 1]));
    if (i < 0) return null;
    const p = parts(startMs);
    const hourIn = Math.min(Math.max(p.h + p.mi / 60 - FIRST_HOUR, 0), HOURS - 0.5);
    const dur = Math.max(0.5, Math.min((endMs - startMs) / HOUR, HOURS - hourIn));
    return { left: i * dayW + hourIn * hourPx, width: dur * hourPx - 2 };
  }

  function block(task, hourPx, days) {
    const start = Date.parse(task.schedule_start);
    const end = task.schedule_end ? Date.parse(task.schedule_end) : start + HOUR;
    const g = geometry(start, end, days, hourPx);
    if (!g) return null;
    const el = h('div', { class: ['cal-block', `prio-edge-${task.priority}`, task.overdue && 'is-overdue', task.stage?.done && 'is-done'], translate: 'no',
      dataset: { id: task.id }, title: `${task.title} · ${clock(start)}–${clock(end)}` },
    h('a', { href: `/tasks/${task.id}`, class: 'cal-title' }, raw(task.title)));
    el.style.left = `${g.left}px`;
    el.style.width = `${g.width}px`;
    draggable(el, { targetSelector: '.cal-row', onDrop: (d) => drop(task, d, hourPx, days) });
    return el;
  }

  function layoutRow(track, items, hourPx, days) {
    // Greedy lanes so that overlapping blocks stack.
    const lanes = [];
    items.sort((a, b) => Date.parse(a.schedule_start) - Date.parse(b.schedule_start));
    for (const task of items) {
      const el = block(task, hourPx, days);
      if (!el) continue;
      const left = parseFloat(el.style.left);
      const right = left + parseFloat(el.style.width);
      let lane = lanes.findIndex((end) => end <= left);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = right + 2;
      el.style.top = `${lane * 30 + 4}px`;
      track.append(el);
    }
    track.style.height = `${Math.max(1, lanes.length) * 30 + 8}px`;
  }

  function draw() {
    const days = dayStarts();
    const fit = Math.floor((grid.parentElement.clientWidth - 164) / (7 * HOURS));
    const hourPx = Math.max(zoom, fit);
    const dayW = HOURS * hourPx;
    label.textContent = t('calendar.week_of', { from: dayMonth(days[0]), to: dayMonth(days[6]) });
    const head = h('div', { class: 'cal-head' }, h('div', { class: 'cal-name' }),
      h('div', { class: 'cal-days' }, days.map((d) => {
        const ticks = h('div', { class: 'cal-hours', 'aria-hidden': 'true' });
        for (let hour = FIRST_HOUR; hour < FIRST_HOUR + HOURS; hour += hourPx >= 30 ? 1 : 3) {
          const tick = h('span', {}, String(hour).padStart(2, '0'));
          tick.style.left = `${(hour - FIRST_HOUR) * hourPx}px`;
          ticks.append(tick);
        }
        const cell = h('div', { class: ['cal-day', startOfDay(Date.now()) === d && 'is-today'] }, h('time', { datetime: iso(d) }, weekday(d)), ticks);
        cell.style.width = `${dayW}px`;
        return cell;
      })));
    const body = rowsOf().map((row) => {
      const track = h('div', { class: 'cal-track' });
      track.style.width = `${7 * dayW}px`;
      track.style.backgroundSize = `${dayW}px 100%, ${hourPx}px 100%`;
      const mine = [...tasks.values()].filter((x) => x.schedule_start && (x.assignee ? x.assignee.id : null) === row.id);
      layoutRow(track, mine, hourPx, days);
      const hours = mine.reduce((a, x) => a + ((x.schedule_end ? Date.parse(x.schedule_end) : Date.parse(x.schedule_start) + HOUR) - Date.parse(x.schedule_start)) / HOUR, 0);
      return h('div', { class: 'cal-row', role: 'row', dataset: { user: row.id ?? '' } },
        h('div', { class: 'cal-name' }, row.name ? raw(row.name) : h('em', {}, t('task.unassigned')),
          h('span', { class: 'muted small' }, t('unit.hours', { h: Math.round(hours * 10) / 10 }))),
        track);
    });
    clear(grid).append(head, ...body);
    grid.dataset.hourPx = hourPx;
  }

  function drawTray(items) {
    clear(tray).append(h('h2', {}, t('calendar.unscheduled')), h('p', { class: 'muted small' }, t('calendar.tray_hint')));
    if (!items.length) tray.append(h('p', { class: 'muted' }, t('common.none')));
    for (const task of items) {
      const el = h('div', { class: 'tray-item', dataset: { id: task.id } }, priorityBadge(task.priority), ' ', raw(task.title));
      draggable(el, { targetSelector: '.cal-row', onDrop: (d) => drop(task, d, Number(grid.dataset.hourPx), dayStarts()) });
      tray.append(el);
    }
  }

  async function drop(task, { left, target }, hourPx, days) {
    if (!target) return;
    const track = target.querySelector('.cal-track');
    const x = left - track.getBoundingClientRect().left;
    const dayW = HOURS * hourPx;
    const day = Math.min(6, Math.max(0, Math.floor(x / dayW)));
    let minutes = Math.round((((x - day * dayW) / hourPx) * 60) / SNAP_MIN) * SNAP_MIN;
    minutes = Math.min(Math.max(minutes, 0), HOURS * 60 - SNAP_MIN);
    const d = parts(days[day]);
    const start = zoned(d.y, d.m, d.d, FIRST_HOUR, minutes);
    const oldStart = task.schedule_start ? Date.parse(task.schedule_start) : null;
    const oldEnd = task.schedule_end ? Date.parse(task.schedule_end) : null;
    const duration = oldStart !== null && oldEnd !== null && oldEnd > oldStart ? oldEnd - oldStart : HOUR;
    const user = target.dataset.user ? Number(target.dataset.user) : null;
    const changes = { schedule_start: iso(start), schedule_end: iso(start + duration) };
    if ((task.assignee ? task.assignee.id : null) !== user) changes.assignee_id = user;
    try {
      const updated = await patch(`/tasks/${task.id}`, changes, { ifMatch: `v${task.version}` });
      const { step_list: _s, work_log: _w, ...row } = updated;
      tasks.set(row.id, row);
      draw();
      loadTray();
      toast(t('calendar.moved', { when: `${weekday(start)} ${clock(start)}` }), 'ok', 2000);
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
      load();
    }
  }

  async function loadTray() {
    const page = await get(`/tasks${query({ sort: 'newest', limit: 200, team })}`);
    drawTray(page.items.filter((x) => !x.schedule_start).slice(0, 40));
  }

  async function load() {
    setQuery({ week: toDateInput(week) === toDateInput(startOfWeek(Date.now())) ? '' : toDateInput(week), team, zoom: zoom === 24 ? '' : zoom });
    const items = await allTasks({ from: iso(week), to: iso(startOfWeek(week, 1)), include_done: 'true', team });
    tasks.clear();
    for (const x of items) tasks.set(x.id, x);
    draw();
    scrollToToday();
    await loadTray();
  }

  ctx.cleanup(on(TASK_EVENTS, (task) => {
    if (!task || !task.id) return;
    const s = task.schedule_start ? Date.parse(task.schedule_start) : null;
    if (s !== null && s >= week && s < startOfWeek(week, 1) && !task.archived) tasks.set(task.id, task);
    else tasks.delete(task.id);
    draw();
  }));
  ctx.cleanup(on('task.deleted', (d) => { tasks.delete(d.id); draw(); }));
  const resize = () => draw();
  window.addEventListener('resize', resize);
  ctx.cleanup(() => window.removeEventListener('resize', resize));
  await load();
}
