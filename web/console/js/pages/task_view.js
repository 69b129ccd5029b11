// One task: its facts, steps with results, and the timeline of the work,
// kept current from the live stream.
import { h, clear, raw, toast, dialog } from '../core/dom.js';
import { get, post, del } from '../core/api.js';
import { t, duration, date } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { navigate } from '../core/router.js';
import { users as loadUsers, teams as loadTeams, byId } from '../core/store.js';
import { when, priorityBadge, typeBadge, executionBadge, stageBadge, overdueBadge, machineLabel, person, card, valueText,
  htmlText } from '../ui/common.js';
import { timeline } from '../ui/timeline.js';
import { setTitle } from '../ui/shell.js';
import { icon } from '../ui/icons.js';

function facts(task, teams, people) {
  const rows = [
    ['field.stage', stageBadge(task.stage)],
    ['field.execution', executionBadge(task.execution)],
    ['field.machine', machineLabel(task.equipment)],
    ['field.assignee', person(task.assignee)],
    ['field.team', task.team_id && teams.get(task.team_id) ? raw(teams.get(task.team_id).name) : h('span', { class: 'muted' }, t('common.no_team'))],
    ['field.schedule', task.schedule_start ? h('span', {}, when(task.schedule_start), ' → ', when(task.schedule_end)) : h('span', { class: 'muted' }, t('task.unscheduled'))],
    ['field.request_date', task.request_date ? h('time', { datetime: task.request_date }, date(`${task.request_date}T12:00:00Z`)) : '—'],
    ['field.close_date', task.close_date ? h('time', { datetime: task.close_date }, date(`${task.close_date}T12:00:00Z`)) : '—'],
    ['field.time_on_tool', duration(task.time_on_tool_seconds)],
    ['field.recurrence', task.recurrence?.enabled
      ? t('task.recurrence_every', { n: task.recurrence.interval, unit: t(`unit.every_${task.recurrence.unit}`) })
      : t('common.none')],
  ];
  if (task.odoo_id) rows.push(['field.odoo', raw(`#${task.odoo_id}`)]);
  const reporter = task.reported_by && people.get(task.reported_by) ? people.get(task.reported_by).name : '';
  if (reporter || task.reporter_contact) rows.push(['field.reporter', raw([reporter, task.reporter_contact].filter(Boolean).join(' · '))]);
  return h('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

// A typed step's result: its type, the answer, the flag and the follow-up it raised.
function resultLine(s) {
  const kind = s.kind || (s.wants_value ? 'number' : 'instruction');
  if (kind === 'instruction') return null;
  const answer = !s.value ? null : kind === 'check' ? raw(s.value.toUpperCase(), 'b')
    : kind === 'number' ? valueText(s.value, s.unit) : raw(s.value, 'b');
  return h('div', { class: 'small step-answer', dataset: { kind, flag: s.flag || 'none' } },
    h('span', { class: 'muted' }, t(`result.kind_${kind}`)), ' ',
    answer || h('span', { class: 'muted' }, '—'),
    s.flag && s.flag !== 'none' ? [' ', h('span', { class: 'badge badge-danger step-flag' }, t(`result.flag_${s.flag}`))] : null,
    s.follow_up ? [' · ', h('a', { href: `/tasks/${s.follow_up}`, class: 'step-follow-up' }, t('result.follow_up', { id: s.follow_up }))] : null);
}

// The procedure the task follows, its sign-off and approval, its failure codes.
function procedureCard(task, people, onApprove) {
  const p = task.procedure;
  const codes = task.failure;
  if (!p && !codes && !task.follow_up_of) return null;
  const rows = [];
  if (task.follow_up_of) rows.push(h('p', {}, h('a', { href: `/tasks/${task.follow_up_of.task_id}` }, t('result.follow_up_of', { id: task.follow_up_of.task_id, step: task.follow_up_of.step }))));
  if (p?.name) rows.push(h('p', { class: 'procedure-name' }, raw(t('result.procedure_version', { name: p.name, version: p.version }))));
  if (p?.signature) rows.push(h('p', { class: 'procedure-signed' }, raw(t('result.signed', { signature: p.signature })), p.signed_by && people.get(p.signed_by) ? [' · ', raw(people.get(p.signed_by).name)] : null));
  if (p?.signoff === 'supervisor') {
    if (p.approved_at) rows.push(h('p', { class: 'procedure-approved' }, t('result.approved', { when: '' }), when(p.approved_at), p.approval_comment ? [' · ', raw(p.approval_comment)] : null));
    else if (p.signature) rows.push(h('p', {}, h('span', { class: 'muted' }, t('result.approval_needed')), ' ',
      h('button', { class: 'btn btn-primary', type: 'button', dataset: { action: 'approve' }, on: { click: onApprove } }, t('result.approve'))));
  }
  if (codes) {
    const label = (c) => (c ? `${c.code} ${document.documentElement.lang === 'fr' ? c.label_fr : c.label_en}` : '—');
    rows.push(h('dl', { class: 'facts failure-codes' }, ['problem', 'cause', 'remedy'].flatMap((k) => [h('dt', {}, t(`result.${k}`)), h('dd', {}, raw(label(codes[k])))])));
  }
  return card('result.procedure', h('div', {}, rows));
}

function stepsTable(task, people) {
  if (!task.step_list.length) return h('p', { class: 'muted' }, t('task.no_steps'));
  return h('ol', { class: 'step-results' }, task.step_list.map((s) => h('li', { class: ['step-result', s.done && 'is-done'], dataset: { number: s.number } },
    h('span', { class: 'step-check', 'aria-label': s.done ? t('step.done') : t('step.open') }, s.done ? '✓' : ''),
    h('div', {},
      raw(s.text, 'div', { class: 'step-text' }),
      resultLine(s),
      s.note ? raw(s.note, 'div', { class: 'small tl-note' }) : null,
      s.done ? h('div', { class: 'small muted' }, when(s.done_at), s.done_by && people.get(s.done_by) ? [' · ', raw(people.get(s.done_by).name)] : null) : null))));
}

export async function render(root, ctx) {
  const id = Number(ctx.params.id);
  const [people, teams] = await Promise.all([byId(loadUsers), byId(loadTeams)]);

  async function draw() {
    const task = await get(`/tasks/${id}`);
    if (ctx.stale) return;
    setTitle(task.title, { data: true });
    const head = h('div', { class: 'task-head' },
      h('div', {}, raw(task.title, 'h2', { class: 'task-title' }),
        h('div', { class: 'badges' }, stageBadge(task.stage), priorityBadge(task.priority), typeBadge(task.type),
          executionBadge(task.execution), overdueBadge(task))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn', href: `/tasks/${id}/report`, dataset: { workOrder: '' } }, icon('print', 16), t('task.work_order')),
        h('a', { class: 'btn', href: `/tasks/${id}/edit` }, icon('edit', 16), t('common.edit')),
        h('button', { class: 'btn btn-danger-ghost', type: 'button', on: { click: () => remove(task) } }, icon('trash', 16), t('common.delete'))));
    const instructions = [];
    if (task.instructions?.summary) instructions.push(raw(task.instructions.summary, 'p'));
    for (const s of task.safety || []) instructions.push(h('div', { class: 'safety' }, '⚠ ', raw(s)));
    if (task.instructions?.url) instructions.push(h('a', { href: task.instructions.url, 'data-external': '', target: '_blank', rel: 'noopener' }, t('task.open_document')));
    clear(root).append(head,
      h('div', { class: 'task-grid' },
        h('div', {},
          task.description ? card('field.description', htmlText(task.description, 'div', { class: 'description' })) : null,
          card('task.details', facts(task, teams, people)),
          instructions.length ? card('field.instructions', h('div', {}, instructions)) : null,
          procedureCard(task, people, () => approve(task)),
          card('task.steps', stepsTable(task, people), h('span', { class: 'muted small' }, t('task.steps_progress', { done: task.steps.done, total: task.steps.total })))),
        card('task.timeline', history(task, people))));
  }

  // The card holds the newest entries; older ones come a page at a time.
  function history(task, people) {
    let entries = task.work_log;
    let before = task.work_log_before;
    const box = h('div', {});
    const paint = () => {
      const more = before ? h('button', { class: 'btn btn-ghost', type: 'button', dataset: { earlier: '' }, on: { click: earlier } }, t('timeline.earlier')) : null;
      clear(box).append(...[more, timeline(entries, task.step_list, people)].filter(Boolean));
    };
    async function earlier() {
      const page = await get(`/tasks/${id}/work-log?before=${encodeURIComponent(before)}&limit=50`);
      if (ctx.stale) return;
      entries = [...page.items, ...entries];
      before = page.before;
      paint();
    }
    paint();
    return box;
  }

  async function approve(task) {
    try {
      await post(`/tasks/${task.id}/approval`, {});
      toast(t('result.approved_toast'), 'ok');
      await draw();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  async function remove(task) {
    const ok = await dialog(t('task.delete_title'), (close) => h('div', {},
      h('p', {}, t('task.delete_confirm')), raw(task.title, 'p', { class: 'strong' }),
      h('div', { class: 'form-actions' },
        h('button', { class: 'btn btn-danger', type: 'button', on: { click: () => close(true) } }, t('common.delete')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => close(false) } }, t('common.cancel')))));
    if (!ok) return;
    try {
      await del(`/tasks/${task.id}`, { ifMatch: `v${task.version}` });
      toast(t('task.deleted'), 'ok');
      navigate('/tasks');
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
    }
  }

  ctx.cleanup(on(TASK_EVENTS, (task) => { if (task && task.id === id) draw(); }));
  ctx.cleanup(on('task.deleted', (d) => { if (d.id === id) { toast(t('task.deleted_elsewhere'), 'info'); navigate('/tasks'); } }));
  await draw();
}
