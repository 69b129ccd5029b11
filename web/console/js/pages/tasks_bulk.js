// The bulk-action bar of the task list: assign, reschedule (move to a day,
// keeping each task's time of day and duration), change stage or priority.
// One POST /tasks/bulk; each task is its own transaction server-side, so the
// answer says which ones changed and why the others did not.
import { h, toast } from '../core/dom.js';
import { post } from '../core/api.js';
import { t } from '../core/i18n.js';
import { fromInput, onDay, toDateInput, iso, zoned, parts } from '../core/tz.js';
import { select } from '../ui/common.js';

const HOUR = 3600 * 1000;

/** The per-task changes that move `task` to the plant day `dayMs`. */
export function rescheduleChanges(task, dayMs) {
  const start = task.schedule_start ? Date.parse(task.schedule_start) : null;
  const end = task.schedule_end ? Date.parse(task.schedule_end) : null;
  const duration = start !== null && end !== null && end > start ? end - start : HOUR;
  let newStart;
  if (start !== null) newStart = onDay(start, dayMs);
  else {
    const d = parts(dayMs);
    newStart = zoned(d.y, d.m, d.d, 8, 0);
  }
  return { schedule_start: iso(newStart), schedule_end: iso(newStart + duration) };
}

export function bulkBar({ selected, techs, stages, onDone }) {
  const label = h('strong', {});
  const assignee = select([{ value: '', label: t('bulk.choose_person') }, { value: 'none', label: t('task.unassigned') },
    ...techs.map((u) => ({ value: u.id, label: u.name, raw: true }))], '', { 'aria-label': t('bulk.assign_to') });
  const day = h('input', { type: 'date', value: toDateInput(Date.now()), 'aria-label': t('bulk.move_to') });
  const stage = select([{ value: '', label: t('bulk.choose_stage') }, ...stages.map((s) => ({ value: s.id, label: s.name, raw: true }))], '',
    { 'aria-label': t('bulk.stage') });
  const priority = select([{ value: '', label: t('bulk.choose_priority') }, ...[0, 1, 2, 3].map((p) => ({ value: p, label: t(`priority.${p}`) }))], '',
    { 'aria-label': t('field.priority') });

  async function apply(body, what) {
    if (!selected.size) return;
    try {
      const res = await post('/tasks/bulk', body);
      if (res.failed) {
        const first = res.items.find((i) => !i.ok);
        toast(t('bulk.partial', { ok: res.updated, failed: res.failed, reason: first ? first.detail : '' }), 'error', 8000);
      } else {
        toast(t('bulk.done', { n: res.updated, what: t(`bulk.what.${what}`) }), 'ok');
      }
      onDone();
    } catch (e) {
      toast(e.message, 'error');
    }
  }
  const ids = () => [...selected.keys()];
  const btn = (key, fn) => h('button', { class: 'btn btn-small', type: 'button', on: { click: fn } }, t(key));

  const el = h('div', { class: 'bulk-bar hidden', role: 'region', 'aria-label': t('bulk.label') },
    label,
    h('span', { class: 'bulk-group' }, assignee, btn('bulk.assign', () => {
      if (!assignee.value) return toast(t('bulk.choose_person'), 'error');
      apply({ ids: ids(), changes: { assignee_id: assignee.value === 'none' ? null : Number(assignee.value) } }, 'assign');
    })),
    h('span', { class: 'bulk-group' }, day, btn('bulk.reschedule', () => {
      const dayMs = fromInput(day.value);
      if (dayMs === null) return toast(t('bulk.choose_day'), 'error');
      apply({ items: [...selected.values()].map((task) => ({ id: task.id, version: task.version, changes: rescheduleChanges(task, dayMs) })) }, 'reschedule');
    })),
    h('span', { class: 'bulk-group' }, stage, btn('bulk.move', () => {
      if (!stage.value) return toast(t('bulk.choose_stage'), 'error');
      apply({ ids: ids(), changes: { stage_id: Number(stage.value) } }, 'stage');
    })),
    h('span', { class: 'bulk-group' }, priority, btn('bulk.set', () => {
      if (priority.value === '') return toast(t('bulk.choose_priority'), 'error');
      apply({ ids: ids(), changes: { priority: Number(priority.value) } }, 'priority');
    })),
    h('button', { class: 'btn btn-ghost btn-small', type: 'button', on: { click: () => { selected.clear(); onDone(); } } }, t('bulk.clear')));

  return {
    el,
    update() {
      el.classList.toggle('hidden', selected.size === 0);
      label.textContent = t('bulk.selected', { n: selected.size });
    },
  };
}
