// The work-order report of one task: a page a plant can file, printed by
// the browser's own print engine from the print stylesheet (Print → A4, or
// "Save as PDF"). What was planned (machine, schedule, who), what was
// reported, and what was done: every step with its time, value and note,
// the work log, the photos, who and when — and lines to sign.
import { h, raw } from '../core/dom.js';
import { get } from '../core/api.js';
import { t, duration, date, dateTime, shortDateTime, measured, getLocale } from '../core/i18n.js';
import { users as loadUsers, teams as loadTeams, byId } from '../core/store.js';
import { htmlText } from '../ui/common.js';
import { setTitle } from '../ui/shell.js';
import { icon } from '../ui/icons.js';

/** Every entry of the task's work log (the card may hold the newest only). */
async function fullLog(task) {
  let entries = task.work_log || [];
  let before = task.work_log_before;
  while (before) {
    const page = await get(`/tasks/${task.id}/work-log?before=${encodeURIComponent(before)}&limit=200`);
    entries = [...page.items, ...entries];
    before = page.before;
  }
  return entries;
}

const when = (v) => (v ? h('time', { datetime: v }, dateTime(v)) : h('span', { class: 'muted' }, '—'));

export async function render(root, ctx) {
  const id = Number(ctx.params.id);
  const [task, people, teams] = await Promise.all([get(`/tasks/${id}`), byId(loadUsers), byId(loadTeams)]);
  const log = await fullLog(task);
  setTitle(t('wo.title_of', { title: task.title }), { data: true });
  const name = (userId) => (userId && people.get(userId) ? people.get(userId).name : '');
  const first = (kind) => log.find((e) => e.kind === kind);
  const last = (kind) => [...log].reverse().find((e) => e.kind === kind);
  const started = first('started');
  const completed = last('completed');
  const stepText = (n) => task.step_list.find((s) => s.number === n)?.text || '';
  const stepUnit = (n) => task.step_list.find((s) => s.number === n)?.unit || '';
  const photos = log.filter((e) => e.media_id);
  const workers = [...new Set(log.map((e) => e.user_id).filter(Boolean))].map(name).filter(Boolean);

  const fact = (key, value) => [h('dt', {}, t(key)), h('dd', {}, value || h('span', { class: 'muted' }, '—'))];
  const machine = task.equipment
    ? raw([task.equipment.name, task.equipment.code, task.equipment.location].filter(Boolean).join(' · ')) : null;
  const reporter = [name(task.reported_by), task.reporter_contact].filter(Boolean).join(' · ');

  const steps = task.step_list.length ? h('table', { class: 'wo-table wo-steps' },
    h('thead', {}, h('tr', {}, ['n', 'step', 'result', 'value', 'note', 'by', 'at'].map((c) => h('th', {}, t(`wo.col.${c}`))))),
    h('tbody', {}, task.step_list.map((s) => h('tr', { dataset: { step: s.number }, class: [s.done && 'is-done'] },
      h('td', { class: 'num' }, String(s.number)),
      raw(s.text, 'td'),
      h('td', { class: 'nowrap' }, s.done ? ['✓ ', t('step.done')] : t('step.open')),
      h('td', { class: 'nowrap' }, s.value ? raw(measured(s.value, s.unit), 'b') : s.wants_value ? h('span', { class: 'muted' }, '—') : ''),
      raw(s.note, 'td', { class: 'wo-note' }),
      raw(name(s.done_by), 'td'),
      h('td', { class: 'nowrap' }, s.done_at ? h('time', { datetime: s.done_at }, shortDateTime(s.done_at)) : '')))))
    : h('p', { class: 'muted' }, t('task.no_steps'));

  const entries = h('table', { class: 'wo-table wo-log' },
    h('thead', {}, h('tr', {}, ['at', 'by', 'what', 'detail'].map((c) => h('th', {}, t(`wo.col.${c}`))))),
    h('tbody', {}, log.map((e) => h('tr', { dataset: { kind: e.kind } },
      h('td', { class: 'nowrap' }, h('time', { datetime: e.at }, shortDateTime(e.at))),
      raw(name(e.user_id), 'td'),
      h('td', {}, t(`log.${e.kind}`), e.step ? [' · ', t('timeline.step_n', { n: e.step })] : null),
      h('td', {}, e.value ? raw(measured(e.value, stepUnit(e.step)), 'b') : null, e.value && e.text ? ' — ' : null,
        e.text ? raw(e.text, 'span', { class: 'wo-note' }) : null,
        e.step && !e.value && !e.text ? raw(stepText(e.step), 'span', { class: 'muted' }) : null)))));

  const gallery = photos.length ? h('div', { class: 'wo-photos' }, photos.map((e) => h('figure', { class: 'wo-photo' },
    h('img', { src: `/api/v1/media/${e.media_id}`, alt: t('timeline.photo') }),
    h('figcaption', {}, shortDateTime(e.at), name(e.user_id) ? [' · ', raw(name(e.user_id))] : null,
      e.step ? [' · ', t('timeline.step_n', { n: e.step })] : null)))) : null;

  const sign = (key) => h('div', { class: 'wo-sign' }, h('div', { class: 'wo-sign-line' }), h('div', { class: 'small' }, t(key)));

  const sheet = h('article', { class: 'work-order', lang: getLocale() },
    h('header', { class: 'wo-head' },
      h('div', {}, h('div', { class: 'wo-kind' }, t('wo.title')), raw(task.title, 'h1', { class: 'wo-title' }),
        h('div', { class: 'small muted' }, t('wo.task_ref', { id: task.id }), task.odoo_id ? [' · ', t('wo.odoo_ref', { id: task.odoo_id })] : null)),
      h('div', { class: 'wo-brand', translate: 'no' }, 'Visor', h('div', { class: 'small muted' }, t('wo.printed', { when: dateTime(Date.now()) })))),
    h('section', { class: 'wo-section' }, h('dl', { class: 'wo-facts' },
      fact('field.machine', machine),
      fact('field.type', t(`type.${task.type}`)),
      fact('field.priority', t(`priority.${task.priority}`)),
      fact('field.stage', raw(task.stage.name)),
      fact('field.execution', t(`execution.${task.execution}`)),
      fact('field.team', task.team_id && teams.get(task.team_id) ? raw(teams.get(task.team_id).name) : null),
      fact('field.assignee', task.assignee ? raw(task.assignee.name) : null),
      fact('wo.worked_by', workers.length ? raw(workers.join(', ')) : null),
      fact('field.reporter', reporter ? raw(reporter) : null),
      fact('field.request_date', task.request_date ? h('time', { datetime: task.request_date }, date(`${task.request_date}T12:00:00Z`)) : null),
      fact('field.schedule', task.schedule_start ? h('span', {}, when(task.schedule_start), ' → ', when(task.schedule_end)) : t('task.unscheduled')),
      fact('wo.started', started ? when(started.at) : null),
      fact('wo.completed', completed ? when(completed.at) : null),
      fact('field.time_on_tool', duration(task.time_on_tool_seconds)))),
    task.description ? h('section', { class: 'wo-section' }, h('h2', {}, t('field.description')), htmlText(task.description)) : null,
    (task.safety || []).length ? h('section', { class: 'wo-section' }, h('h2', {}, t('wo.safety')),
      h('ul', {}, task.safety.map((s) => raw(s, 'li')))) : null,
    h('section', { class: 'wo-section' }, h('h2', {}, t('task.steps'), ' ',
      h('span', { class: 'muted small' }, t('task.steps_progress', { done: task.steps.done, total: task.steps.total }))), steps),
    h('section', { class: 'wo-section' }, h('h2', {}, t('wo.log')), log.length ? entries : h('p', { class: 'muted' }, t('timeline.empty'))),
    gallery ? h('section', { class: 'wo-section wo-photo-section' }, h('h2', {}, t('wo.photos')), gallery) : null,
    h('section', { class: 'wo-section wo-signatures' }, sign('wo.sign_technician'), sign('wo.sign_supervisor')));

  root.append(
    h('div', { class: 'toolbar no-print' },
      h('button', { class: 'btn btn-primary', type: 'button', on: { click: () => window.print() } }, icon('print', 16), t('wo.print')),
      h('a', { class: 'btn btn-ghost', href: `/tasks/${id}` }, t('wo.back')),
      h('span', { class: 'muted small' }, t('wo.hint'))),
    sheet);
  // Printed only once every photo is in.
  await Promise.all([...sheet.querySelectorAll('img')].map((img) => img.decode().catch(() => {})));
}
