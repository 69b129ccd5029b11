// Live events → what the technician sees and hears: new work, reassigned,
// cancelled or closed work, changes by others. Own actions stay quiet.
import * as data from './data.js';
import { priority } from './format.js';

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
    const title = row?.title || `task ${d.id}`;
    ctx.announce(`CANCELLED: ${title}`, 'warn', `Task cancelled: ${title}`);
    if (viewing) ctx.go({ name: 'work' });
    return;
  }

  if (ev.event === 'step.done' || ev.event === 'task.note') {
    if (byMe) return;
    if (viewing || data.task(d.id)) data.loadCard(d.id).catch(() => {});
    if (viewing) ctx.toast(ev.event === 'step.done' ? `STEP ${d.step} ${d.step_done ? 'DONE' : 'REOPENED'} BY ANOTHER USER` : 'NEW NOTE ON THIS TASK', 'info', 3000);
    return;
  }

  const what = data.applyEventRow(d, me);
  if (what === 'added' && !byMe) {
    const urgent = d.priority >= 3 ? `${priority(d.priority)} PRIORITY · ` : '';
    ctx.announce(`NEW TASK: ${urgent}${d.title}`, 'accent', `New task: ${d.title}`);
  } else if (what === 'removed' && !byMe) {
    let text;
    if (d.assignee && d.assignee.id !== me) text = `REASSIGNED TO ${d.assignee.name.toUpperCase()}: ${d.title}`;
    else if (!d.assignee) text = `UNASSIGNED: ${d.title}`;
    else text = `CLOSED: ${d.title}`;
    ctx.announce(text, 'warn', text.split(':')[0].toLowerCase().replace(/^./, (c) => c.toUpperCase()) + `: ${d.title}`);
    if (viewing) ctx.go({ name: 'work' });
  } else if (what === 'updated' && !byMe && !d.action) {
    ctx.toast(`UPDATED: ${d.title}`, 'info', 3000);
  }
  if (!byMe && (viewing || data.task(d.id))) data.loadCard(d.id).catch(() => {});
}
