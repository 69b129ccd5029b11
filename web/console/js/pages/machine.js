// One machine: its identity and QR label, open work, history, and its
// reliability over the last 90 days (MTBF, MTTR, failures per week).
import { h, raw, toast, throttle } from '../core/dom.js';
import { render as rerender } from '../core/router.js';
import { get, patch, query } from '../core/api.js';
import { t, num, hours } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { users as loadUsers, teams as loadTeams, byId } from '../core/store.js';
import { when, priorityBadge, executionBadge, stageBadge, overdueBadge, taskLink, person, card, empty } from '../ui/common.js';
import { barChart, lineChart } from '../ui/charts.js';
import { periodBounds, bucketLabels } from '../ui/period.js';
import { setTitle } from '../ui/shell.js';
import { icon } from '../ui/icons.js';

function taskTable(rows, emptyKey) {
  if (!rows.length) return empty(emptyKey);
  return h('table', { class: 'table compact' }, h('tbody', {}, rows.map((task) => h('tr', { class: [task.overdue && 'is-overdue'] },
    h('td', {}, taskLink(task)), h('td', {}, stageBadge(task.stage)), h('td', {}, priorityBadge(task.priority)),
    h('td', {}, person(task.assignee)), h('td', {}, when(task.schedule_start || task.updated_at)),
    h('td', {}, executionBadge(task.execution), ' ', overdueBadge(task))))));
}

// Meters (issue 14): each meter's readings charted, its latest value and
// the rules that create preventive work from it.
async function metersCard(id) {
  const meters = (await get(`/equipment/${id}/meters`)).items;
  if (!meters.length) return card('machine.meters', empty('machine.no_meters'));
  const blocks = await Promise.all(meters.map(async (m) => {
    const readings = (await get(`/meters/${m.id}/readings?limit=50`)).items;
    const unit = m.unit ? ` ${m.unit}` : '';
    const rule = (r) => t(`machine.rule_${r.kind}`, { value: `${num(r.value)}${unit}`, next: r.next_due == null ? '—' : `${num(r.next_due)}${unit}` });
    return h('div', { class: 'meter', dataset: { meter: m.name } },
      h('h3', {}, raw(m.name), ' ', h('span', { class: 'muted small meter-last' }, m.last_value == null ? '—' : `${num(m.last_value)}${unit}`)),
      readings.length > 1 ? lineChart({ aria: t('machine.meter_chart', { name: m.name }), min: Math.min(0, ...readings.map((r) => r.value)),
        points: readings.map((r) => ({ label: r.at.slice(5, 10), title: `${num(r.value)}${unit} · ${r.at}`, value: r.value })) }) : null,
      m.rules.length ? h('ul', { class: 'meter-rules' }, m.rules.map((r) => h('li', { dataset: { kind: r.kind } }, rule(r),
        r.last_task_id ? [' · ', h('a', { href: `/tasks/${r.last_task_id}` }, `#${r.last_task_id}`)] : null))) : null);
  }));
  return card('machine.meters', h('div', {}, blocks));
}

export async function render(root, ctx) {
  const id = Number(ctx.params.id);
  const [people, teams] = await Promise.all([byId(loadUsers), byId(loadTeams)]);
  const b = periodBounds('90d');
  const [m, rel] = await Promise.all([
    get(`/equipment/${id}`),
    get(`/reports/kpis${query({ from: b.from, to: b.to, bounds: b.bounds.join(','), equipment: id, parts: 'period' })}`),
  ]);
  setTitle(m.name, { data: true });
  const tot = rel.totals;
  const locationInput = h('input', { value: m.location, 'aria-label': t('field.location'), class: 'inline-input', translate: 'no' });
  const saveLocation = h('button', { class: 'btn btn-small', type: 'button', on: { click: async () => {
    try {
      await patch(`/equipment/${id}`, { location: locationInput.value.trim() }, { ifMatch: `v${m.version}` });
      m.version += 1;
      toast(t('common.saved'), 'ok');
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
    }
  } } }, t('common.save'));

  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('col.code')), h('dd', {}, raw(m.code, 'span', { class: 'code' })),
    h('dt', {}, t('col.category')), h('dd', {}, raw(m.category_name || '—')),
    h('dt', {}, t('col.model')), h('dd', {}, raw(m.model || '—')),
    h('dt', {}, t('field.serial')), h('dd', {}, raw(m.serial_no || '—')),
    h('dt', {}, t('field.location')), h('dd', {}, locationInput, ' ', saveLocation),
    h('dt', {}, t('field.team')), h('dd', {}, m.team_id && teams.get(m.team_id) ? raw(teams.get(m.team_id).name) : '—'),
    h('dt', {}, t('field.technician')), h('dd', {}, person(m.technician_id ? people.get(m.technician_id) : null, 'common.nobody')));

  const buckets = rel.buckets.map((x) => ({ ...x, ...bucketLabels(x, 'week') }));
  const reliability = h('div', {},
    h('div', { class: 'stat-row' },
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, t('kpi.mtbf')), h('div', { class: 'stat-value', dataset: { stat: 'mtbf' } }, hours(tot.mtbf_hours))),
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, t('kpi.mttr')), h('div', { class: 'stat-value', dataset: { stat: 'mttr' } }, hours(tot.mttr_hours))),
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, t('machine.failures')), h('div', { class: 'stat-value' }, num(tot.reported.corrective))),
      h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, t('kpi.pm_compliance')), h('div', { class: 'stat-value' },
        tot.pm_compliance === null ? '—' : `${Math.round(tot.pm_compliance * 100)} %`))),
    barChart({ aria: t('machine.failures_chart'), series: [
      { key: 'corrective', cls: 'fill-corrective', label: t('type.corrective') },
      { key: 'preventive', cls: 'fill-preventive', label: t('type.preventive') }],
    buckets: buckets.map((x) => ({ label: x.label, title: x.title, values: x.reported })) }),
    h('p', { class: 'muted small' }, t('machine.period_note')));

  root.append(
    h('div', { class: 'task-head' },
      h('div', {}, raw(m.name, 'h2', { class: 'task-title' }), h('div', { class: 'muted' }, raw(m.location))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: `/tasks/new?equipment=${id}` }, icon('plus', 16), t('machine.new_task')),
        h('a', { class: 'btn', href: `/machines/labels?ids=${id}` }, icon('print', 16), t('machine.print_label')))),
    h('div', { class: 'task-grid' },
      h('div', {},
        card('machine.open_work', taskTable(m.open_tasks, 'machine.no_open')),
        card('machine.history', taskTable(m.history, 'machine.no_history')),
        card('machine.reliability', reliability)),
      h('div', {},
        card('machine.identity', facts),
        await metersCard(id),
        card('machine.label', h('figure', { class: 'qr-figure' },
          h('img', { src: `/api/v1/equipment/${id}/qr.svg`, alt: t('machine.qr_alt', { code: m.code }), class: 'qr-img' }),
          raw(`${m.name} · ${m.code}`, 'figcaption'))))));

  const refresh = throttle(() => { if (!ctx.stale && document.activeElement !== locationInput) rerender(); }, 2000);
  ctx.cleanup(on(TASK_EVENTS, (task) => { if (task?.equipment?.id === id) refresh(); }));
  ctx.cleanup(() => refresh.cancel());
}
