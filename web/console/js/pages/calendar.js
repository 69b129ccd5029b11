// The calendar: one row per technician (and one for unassigned work).
// The week view fits the seven days in the page whatever its width: each
// day is a column whose cell lists that person's tasks in time order, every
// block as wide as the day (a 30-minute job reads as well as a long one).
// The day view lays one day out on an hour scale, 06:00–20:00.
// Dragging a block onto another cell or time reschedules and/or reassigns
// it (duration kept); dragging a task from the "To schedule" strip
// schedules it. The message after a move says what changed and offers Undo.
import { h, clear, raw, toast } from '../core/dom.js';
import { patch, allTasks, get, query } from '../core/api.js';
import { t, weekday, time as clock, hourLabel, dayMonth, shortDateTime, hours as hoursText } from '../core/i18n.js';
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
const NAME_W = 150;

const startMs = (task) => Date.parse(task.schedule_start);
const endMs = (task) => (task.schedule_end ? Date.parse(task.schedule_end) : startMs(task) + HOUR);
const assigneeId = (task) => (task.assignee ? task.assignee.id : null);

export async function render(root, ctx) {
  const [techs, teams] = await Promise.all([loadTechs(), loadTeams()]);
  let view = ctx.query.view === 'day' ? 'day' : 'week';
  const asked = ctx.query.day || ctx.query.week;
  let anchor = startOfDay(asked ? fromInput(asked) ?? Date.now() : Date.now());  // a plant day
  let team = ctx.query.team || '';
  const tasks = new Map();
  let trayItems = [];

  const label = h('strong', { class: 'week-label', 'aria-live': 'polite' });
  const teamSel = select([{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))],
    team, { 'aria-label': t('field.team'), on: { change: (e) => { team = e.target.value; load(); } } });
  const step = (dir) => () => {
    anchor = dir === 0 ? startOfDay(Date.now()) : startOfDay(anchor, dir * (view === 'week' ? 7 : 1));
    load();
  };
  const viewBtn = (v) => h('button', { class: ['btn', 'btn-small', 'seg'], type: 'button', 'aria-pressed': String(view === v), dataset: { view: v },
    on: { click: () => { if (view !== v) { view = v; load(); } } } }, t(`calendar.view.${v}`));
  const views = h('span', { class: 'segmented', role: 'group', 'aria-label': t('calendar.view') }, viewBtn('week'), viewBtn('day'));
  const prev = h('button', { class: 'btn', type: 'button', on: { click: step(-1) } }, '‹');
  const next = h('button', { class: 'btn', type: 'button', on: { click: step(1) } }, '›');
  const today = h('button', { class: 'btn', type: 'button', on: { click: step(0) } });
  const grid = h('div', { class: 'cal', role: 'grid' });
  const tray = h('section', { class: 'cal-tray', 'aria-label': t('calendar.unscheduled') });
  root.append(
    h('div', { class: 'toolbar' }, prev, today, next, label, views, teamSel, h('span', { class: 'muted small' }, t('calendar.hint'))),
    tray,
    h('div', { class: 'cal-scroll' }, grid));

  const rowsOf = () => [...techs.filter((u) => !team || String(u.team_id) === String(team)).map((u) => ({ id: u.id, name: u.name })),
    { id: null, name: null }];
  const weekStart = () => startOfWeek(anchor);
  const days = () => (view === 'week' ? Array.from({ length: 7 }, (_, i) => startOfDay(weekStart(), i)) : [anchor]);
  const range = () => (view === 'week' ? [weekStart(), startOfWeek(anchor, 1)] : [anchor, startOfDay(anchor, 1)]);
  const inRange = (task) => {
    if (!task.schedule_start || task.archived) return false;
    const [a, b] = range();
    const s = startMs(task);
    return s >= a && s < b;
  };
  const dayIndex = (ms, list) => list.findIndex((d, k) => ms >= d && (k === list.length - 1 || ms < list[k + 1]));
  const todayMs = startOfDay(Date.now());

  function blockEl(task, { timeline = null } = {}) {
    const s = startMs(task);
    const e = endMs(task);
    const when = `${clock(s)}–${clock(e)}`;
    const el = h('div', {
      class: ['cal-block', `prio-edge-${task.priority}`, task.overdue && 'is-overdue', task.stage?.done && 'is-done'],
      dataset: { id: task.id }, title: `${task.title} · ${shortDateTime(s)}–${clock(e)}`, translate: 'no',
    },
    h('span', { class: 'cal-time' }, when),
    h('a', { href: `/tasks/${task.id}`, class: 'cal-title', translate: 'no' }, raw(task.title)),
    task.equipment ? raw(task.equipment.name, 'span', { class: 'cal-machine' }) : null);
    if (timeline) {
      el.classList.add('cal-block-hours');
      el.style.left = `${timeline.left}px`;
      el.style.width = `${timeline.width}px`;
    }
    draggable(el, { targetSelector: view === 'week' ? '.cal-cell' : '.cal-row', onDrop: (d) => drop(task, d) });
    return el;
  }

  function drawHead(list, hourPx) {
    const head = h('div', { class: 'cal-head', role: 'row' }, h('div', { class: 'cal-name' }));
    for (const d of list) {
      const cell = h('div', { class: ['cal-day', d === todayMs && 'is-today'], role: 'columnheader' },
        h('time', { datetime: iso(d) }, weekday(d, view === 'week' ? 'short' : 'long')));
      if (view === 'day') {
        const ticks = h('div', { class: 'cal-hours', 'aria-hidden': 'true' });
        for (let hr = FIRST_HOUR; hr < FIRST_HOUR + HOURS; hr += hourPx >= 48 ? 1 : 2) {
          const p = parts(d);
          const tick = h('span', {}, hourLabel(zoned(p.y, p.m, p.d, hr)));
          tick.style.left = `${(hr - FIRST_HOUR) * hourPx}px`;
          ticks.append(tick);
        }
        cell.append(ticks);
      }
      head.append(cell);
    }
    return head;
  }

  function personHours(items) {
    return items.reduce((a, x) => a + (endMs(x) - startMs(x)) / HOUR, 0);
  }

  function nameCell(row, items) {
    return h('div', { class: 'cal-name', role: 'rowheader' }, row.name ? raw(row.name, 'span', { class: 'cal-person' }) : h('em', {}, t('task.unassigned')),
      h('span', { class: 'muted small' }, hoursText(Math.round(personHours(items) * 10) / 10)));
  }

  function drawWeek() {
    const list = days();
    grid.className = 'cal cal-week';
    grid.style.removeProperty('--hour-px');
    const body = rowsOf().map((row) => {
      const mine = [...tasks.values()].filter((x) => inRange(x) && assigneeId(x) === row.id).sort((a, b) => startMs(a) - startMs(b));
      const cells = list.map((d, i) => {
        const cell = h('div', { class: ['cal-cell', d === todayMs && 'is-today'], role: 'gridcell', dataset: { user: row.id ?? '', day: i } });
        for (const task of mine.filter((x) => dayIndex(startMs(x), list) === i)) cell.append(blockEl(task));
        return cell;
      });
      return h('div', { class: 'cal-row', role: 'row', dataset: { user: row.id ?? '' } }, nameCell(row, mine), ...cells);
    });
    clear(grid).append(drawHead(list, 0), ...body);
  }

  function drawDay() {
    const width = grid.parentElement.clientWidth - NAME_W - 2;
    const hourPx = Math.max(40, Math.floor(width / HOURS));
    const d = anchor;
    grid.className = 'cal cal-day-view';
    grid.dataset.hourPx = hourPx;
    const body = rowsOf().map((row) => {
      const mine = [...tasks.values()].filter((x) => inRange(x) && assigneeId(x) === row.id).sort((a, b) => startMs(a) - startMs(b));
      const track = h('div', { class: 'cal-track' });
      track.style.width = `${HOURS * hourPx}px`;
      track.style.backgroundSize = `${hourPx}px 100%`;
      const lanes = [];
      for (const task of mine) {
        const p = parts(startMs(task));
        const hourIn = Math.min(Math.max(p.h + p.mi / 60 - FIRST_HOUR, 0), HOURS - 0.5);
        const dur = Math.max(0.5, Math.min((endMs(task) - startMs(task)) / HOUR, HOURS - hourIn));
        const left = hourIn * hourPx;
        const width2 = dur * hourPx - 2;
        let lane = lanes.findIndex((end) => end <= left);
        if (lane < 0) { lane = lanes.length; lanes.push(0); }
        lanes[lane] = left + width2 + 2;
        const el = blockEl(task, { timeline: { left, width: width2 } });
        el.style.top = `${lane * 40 + 4}px`;
        track.append(el);
      }
      track.style.height = `${Math.max(1, lanes.length) * 40 + 8}px`;
      return h('div', { class: 'cal-row', role: 'row', dataset: { user: row.id ?? '', day: 0 } }, nameCell(row, mine), track);
    });
    clear(grid).append(drawHead([d], hourPx), ...body);
  }

  function draw() {
    const list = days();
    if (view === 'week') label.textContent = t('calendar.week_of', { from: dayMonth(list[0]), to: dayMonth(list[6]) });
    else clear(label).append(h('time', { datetime: iso(anchor) }, weekday(anchor, 'long')));
    today.textContent = t(view === 'week' ? 'calendar.today' : 'calendar.today_day');
    prev.setAttribute('aria-label', t(view === 'week' ? 'calendar.prev' : 'calendar.prev_day'));
    next.setAttribute('aria-label', t(view === 'week' ? 'calendar.next' : 'calendar.next_day'));
    for (const b of views.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
    if (view === 'week') drawWeek();
    else drawDay();
    drawTray();
  }

  function drawTray() {
    const list = h('div', { class: 'cal-tray-list' });
    clear(tray).append(h('div', { class: 'cal-tray-head' }, h('h2', {}, t('calendar.unscheduled')),
      h('span', { class: 'muted small' }, t('calendar.tray_hint'))), list);
    if (!trayItems.length) list.append(h('span', { class: 'muted small' }, t('common.none')));
    for (const task of trayItems) {
      const el = h('div', { class: 'tray-item', dataset: { id: task.id } }, priorityBadge(task.priority), ' ',
        raw(task.title, 'span', { class: 'tray-title', title: task.title }));
      draggable(el, { targetSelector: view === 'week' ? '.cal-cell' : '.cal-row', onDrop: (d) => drop(task, d) });
      list.append(el);
    }
  }

  // The first half hour from 08:00 that this person has free on that day.
  function freeSlot(userId, dayMs, duration) {
    const p = parts(dayMs);
    const busy = [...tasks.values()].filter((x) => x.schedule_start && assigneeId(x) === userId && startOfDay(startMs(x)) === dayMs);
    for (let m = 8 * 60; m + duration / 60000 <= (FIRST_HOUR + HOURS) * 60; m += SNAP_MIN) {
      const s = zoned(p.y, p.m, p.d, 0, m);
      if (!busy.some((x) => startMs(x) < s + duration && endMs(x) > s)) return s;
    }
    return zoned(p.y, p.m, p.d, 8, 0);
  }

  /** Where a drop puts the task: the start instant, or null (no target). */
  function dropStart(task, { left, target }, duration) {
    const list = days();
    if (view === 'week') {
      const d = list[Number(target.dataset.day)];
      if (task.schedule_start) {
        const p = parts(startMs(task));
        const q = parts(d);
        return zoned(q.y, q.m, q.d, p.h, p.mi);
      }
      return freeSlot(target.dataset.user ? Number(target.dataset.user) : null, d, duration);
    }
    const track = target.querySelector('.cal-track');
    const hourPx = Number(grid.dataset.hourPx);
    const x = left - track.getBoundingClientRect().left;
    let minutes = Math.round(((x / hourPx) * 60) / SNAP_MIN) * SNAP_MIN;
    minutes = Math.min(Math.max(minutes, 0), HOURS * 60 - SNAP_MIN);
    const q = parts(anchor);
    return zoned(q.y, q.m, q.d, FIRST_HOUR, minutes);
  }

  function personName(id) {
    return techs.find((u) => u.id === id)?.name ?? `#${id}`;
  }

  async function save(task, changes, version) {
    const updated = await patch(`/tasks/${task.id}`, changes, { ifMatch: `v${version}` });
    const { step_list: _s, work_log: _w, ...row } = updated;
    tasks.set(row.id, row);
    trayItems = trayItems.filter((x) => x.id !== row.id || !row.schedule_start);
    draw();
    return row;
  }

  async function drop(task, d) {
    if (!d.target) return;
    const oldStart = task.schedule_start ? startMs(task) : null;
    const duration = oldStart !== null ? Math.max(endMs(task) - oldStart, SNAP_MIN * 60e3) : HOUR;
    const start = dropStart(task, d, duration);
    const user = d.target.dataset.user ? Number(d.target.dataset.user) : null;
    const changes = { schedule_start: iso(start), schedule_end: iso(start + duration) };
    const reassigned = assigneeId(task) !== user;
    if (reassigned) changes.assignee_id = user;
    if (!reassigned && oldStart === start) return;
    const undo = { schedule_start: task.schedule_start, schedule_end: task.schedule_end };
    if (reassigned) undo.assignee_id = assigneeId(task);
    try {
      const row = await save(task, changes, task.version);
      const when = shortDateTime(start);
      const message = !reassigned ? t('calendar.moved', { when })
        : user === null ? t('calendar.moved_unassigned', { when })
          : t('calendar.moved_to', { when, name: personName(user) });
      toast(message, 'ok', 8000, { label: t('common.undo'), run: () => undoMove(row, undo) });
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
      load();
    }
  }

  async function undoMove(row, undo) {
    try {
      const current = tasks.get(row.id) || row;
      await save(current, undo, current.version);
      if (!undo.schedule_start) loadTray();
      toast(t('calendar.undone'), 'info', 3000);
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
      load();
    }
  }

  async function loadTray() {
    const page = await get(`/tasks${query({ sort: 'newest', limit: 200, team })}`);
    trayItems = page.items.filter((x) => !x.schedule_start).slice(0, 40);
    drawTray();
  }

  async function load() {
    const isThisWeek = toDateInput(weekStart()) === toDateInput(startOfWeek(Date.now()));
    setQuery(view === 'week'
      ? { week: isThisWeek ? '' : toDateInput(weekStart()), team }
      : { view: 'day', day: toDateInput(anchor), team });
    const [a, b] = range();
    const items = await allTasks({ from: iso(a), to: iso(b), include_done: 'true', team });
    tasks.clear();
    for (const x of items) tasks.set(x.id, x);
    draw();
    await loadTray();
  }

  ctx.cleanup(on(TASK_EVENTS, (task) => {
    if (!task || !task.id) return;
    if (inRange(task) && (!team || String(task.team_id) === String(team))) tasks.set(task.id, task);
    else tasks.delete(task.id);
    if (task.schedule_start) trayItems = trayItems.filter((x) => x.id !== task.id);
    draw();
  }));
  ctx.cleanup(on('task.deleted', (d) => { tasks.delete(d.id); trayItems = trayItems.filter((x) => x.id !== d.id); draw(); }));
  const resize = () => { if (view === 'day') draw(); };
  window.addEventListener('resize', resize);
  ctx.cleanup(() => window.removeEventListener('resize', resize));
  await load();
}
