// Live events → what the technician sees and hears, in their language: new
// work, reassigned, cancelled or closed work, changes by others. Own actions
// stay quiet.
import * as data from './data.js';
import { priority } from './format.js';
import { t } from './i18n.js';

const KNOWN = new Set(['task.created', 'task.changed', 'task.assigned', 'task.deleted', 'step.done', 'task.note', 'resync']);

export function onLiveEvent(ev, ctx) {
  if (!KNOWN.has(ev.event)) return;
  if (ev.event === 'resync') { ctx.refreshAll(); return; }
  let d;
  try { d = JSON.parse(ev.data); } catch { return; }
  if (!d || typeof d.id !== 'number') return;
  const me = ctx.me?.id;
  const r = ctx.route;
  const viewing = (r.name === 'task' || r.name === 'step') && r.id === d.id;
  const byMe = d.by !== undefined && d.by === me;

  if (ev.event === 'task.deleted') {
    const row = data.removeTask(d.id);
    if (!row && !viewing) return;
    const title = row?.title || t('announce.task_n', { id: d.id });
    ctx.announce(t('announce.cancelled', { title }), 'warn', t('announce.cancelled_spoken', { title }));
    if (viewing) ctx.go({ name: 'work' });
    return;
  }

  if (ev.event === 'step.done' || ev.event === 'task.note') {
    if (byMe) return;
    if (viewing || data.task(d.id)) data.loadCard(d.id).catch(() => {});
    if (viewing) {
      const text = ev.event === 'task.note' ? t('announce.note_by_other')
        : t(d.step_done ? 'announce.step_done_by_other' : 'announce.step_reopened_by_other', { n: d.step });
      ctx.toast(text, 'info', 3000);
    }
    return;
  }

  const what = data.applyEventRow(d, me);
  const title = d.title;
  if (what === 'added' && !byMe) {
    const text = d.priority >= 3 ? t('announce.new_urgent', { priority: priority(d.priority), title }) : t('announce.new', { title });
    ctx.announce(text, 'accent', t('announce.new_spoken', { title }));
  } else if (what === 'removed' && !byMe) {
    let key;
    let name = '';
    if (d.assignee && d.assignee.id !== me) { key = 'reassigned'; name = d.assignee.name.toUpperCase(); }
    else if (!d.assignee) key = 'unassigned';
    else key = 'closed';
    ctx.announce(t(`announce.${key}`, { name, title }), 'warn', t(`announce.${key}_spoken`, { name: d.assignee?.name || '', title }));
    if (viewing) ctx.go({ name: 'work' });
  } else if (what === 'updated' && !byMe && !d.action) {
    ctx.toast(t('announce.updated', { title }), 'info', 3000);
  }
  if (!byMe && (viewing || data.task(d.id))) data.loadCard(d.id).catch(() => {});
}
