// The dashboard's cards. Each KPI is a number and a chart: the numbers of
// "now" come with a breakdown (per team or technician) and, once the
// period's data is in, a trend over the period.
import { h, raw, clear } from '../core/dom.js';
import { t, num, pct, hours } from '../core/i18n.js';
import { barChart, lineChart, hbars, splitBar, legend } from '../ui/charts.js';
import { bucketLabels, periodBounds } from '../ui/period.js';

function kpi(key, value, { sub, tone, chart, trend, href } = {}) {
  const valueEl = h('div', { class: 'kpi-value', dataset: { value: String(value ?? '') } },
    value === null || value === undefined ? '—' : value);
  return h('section', { class: ['kpi', tone && `kpi-${tone}`], dataset: { kpi: key } },
    h('header', { class: 'kpi-head' }, href ? h('a', { href }, t(`kpi.${key}`)) : h('h3', {}, t(`kpi.${key}`)),
      h('span', { class: 'kpi-help', title: t(`kpi.${key}.help`), 'aria-label': t(`kpi.${key}.help`) }, '?')),
    valueEl,
    sub ? h('div', { class: 'kpi-sub' }, sub) : null,
    trend ? h('div', { class: 'kpi-trend', dataset: { trend } }) : null,
    chart ? h('div', { class: 'kpi-chart' }, chart) : null);
}

const teamName = (row) => (row.team_id ? raw(row.name) : t('common.no_team'));

function teamBars(teams, field, format = num) {
  const rows = teams.filter((x) => x[field] > 0).map((x) => ({ label: teamName(x), value: x[field] }));
  return rows.length ? hbars(rows, { format }) : h('div', { class: 'muted small' }, t('common.none'));
}

function techBars(techs, field, format = num, extra) {
  const rows = techs.filter((x) => x[field] > 0 || extra).map((x) => ({ label: raw(x.name), value: x[field],
    text: extra ? extra(x) : undefined }));
  return rows.length ? hbars(rows, { format }) : h('div', { class: 'muted small' }, t('common.none'));
}

export function placeholders(nowHost, periodHost) {
  for (const host of [nowHost, periodHost]) host.classList.add('is-loading');
}

/** The cards of work as it stands. */
export function nowCards(data) {
  const n = data.now;
  const planned = data.teams.reduce((a, x) => a + x.planned_hours, 0);
  const weekHours = data.technicians.reduce((a, x) => a + x.planned_hours, 0);
  const cards = [
    kpi('open', num(n.open), { trend: 'open', chart: teamBars(data.teams, 'open'), href: '/tasks' }),
    kpi('overdue', num(n.overdue), { tone: n.overdue ? 'danger' : null, trend: 'overdue',
      chart: teamBars(data.teams, 'overdue'), href: '/tasks?overdue=1' }),
    kpi('in_progress', num(n.in_progress), { sub: t('kpi.paused_count', { n: n.paused }),
      chart: techBars(data.technicians, 'in_progress'), href: '/floor' }),
    kpi('done_today', num(n.done_today), { tone: 'ok', trend: 'done' }),
    kpi('unassigned', num(n.unassigned), { tone: n.unassigned ? 'warn' : null, chart: teamBars(data.teams, 'unassigned'),
      href: '/tasks?assignee=none' }),
    kpi('unscheduled', num(n.unscheduled), { chart: teamBars(data.teams, 'unscheduled') }),
    kpi('backlog', hours(planned), { sub: t('kpi.backlog.sub'), chart: teamBars(data.teams, 'planned_hours', hours) }),
    kpi('workload', hours(weekHours), { sub: t('kpi.workload.sub'),
      chart: techBars(data.technicians, 'planned_hours', hours,
        (x) => `${hours(x.planned_hours)} · ${t('kpi.tasks_n', { n: x.scheduled })}`) }),
  ];
  return cards;
}

function labelled(data, unit) {
  return data.buckets.map((b) => ({ ...b, ...bucketLabels(b, unit) }));
}

/** Fills the trend slots of the "now" cards from the period's buckets. */
export function fillTrends(nowHost, data, period) {
  const unit = periodBounds(period).unit;
  const buckets = labelled(data, unit);
  const slot = (name) => nowHost.querySelector(`[data-trend="${name}"]`);
  const put = (name, chart) => { const el = slot(name); if (el) clear(el).append(chart); };
  put('open', lineChart({ aria: t('kpi.open.trend'), points: buckets.map((b) => ({ label: b.label, title: b.title, value: b.open_at_end })) }));
  put('overdue', lineChart({ aria: t('kpi.overdue.trend'), cls: 'line-danger',
    points: buckets.map((b) => ({ label: b.label, title: b.title, value: b.overdue_at_end })) }));
  put('done', completedBars(buckets));
}

function completedBars(buckets) {
  const series = [
    { key: 'corrective', cls: 'fill-corrective', label: t('type.corrective') },
    { key: 'preventive', cls: 'fill-preventive', label: t('type.preventive') },
  ];
  return barChart({ aria: t('kpi.completed.trend'), series,
    buckets: buckets.map((b) => ({ label: b.label, title: b.title, values: b.completed })) });
}

function reliabilityRows(rows, field, href) {
  const list = rows.filter((r) => r[field] !== null).slice(0, 8);
  if (!list.length) return h('div', { class: 'muted small' }, t('common.none'));
  return hbars(list.map((r) => ({
    label: href ? raw(r.name) : (r.id ? raw(r.name) : t('common.no_category')),
    href: href ? href(r) : undefined,
    value: r[field],
    text: `${hours(r[field])} · ${t('kpi.failures_n', { n: r.failures })}`,
  })), { format: hours });
}

/** The period's sections: trends, reliability, preventive work. */
export function periodCards(data, period) {
  const unit = periodBounds(period).unit;
  const buckets = labelled(data, unit);
  const tot = data.totals;
  const reported = tot.reported.corrective + tot.reported.preventive;
  const completed = tot.completed.corrective + tot.completed.preventive;
  const typeSeries = [
    { key: 'corrective', cls: 'fill-corrective', label: t('type.corrective') },
    { key: 'preventive', cls: 'fill-preventive', label: t('type.preventive') },
  ];
  const byMtbf = [...data.machines].filter((m) => m.mtbf_hours !== null).sort((a, b) => a.mtbf_hours - b.mtbf_hours);
  const machineHref = (m) => `/machines/${m.id}`;

  const section = (key, ...cards) => h('section', { class: 'kpi-section' }, h('h2', {}, t(key)), h('div', { class: 'kpi-grid' }, ...cards));
  return [
    section('dashboard.section.flow',
      kpi('completed', num(completed), { sub: t('kpi.completed.sub', { n: reported }), chart: h('div', {}, completedBars(buckets), legend(typeSeries)) }),
      kpi('mix', pct(tot.corrective_share), { sub: t('kpi.mix.sub'), chart: h('div', {},
        splitBar([{ label: t('type.corrective'), value: tot.reported.corrective, cls: 'fill-corrective' },
          { label: t('type.preventive'), value: tot.reported.preventive, cls: 'fill-preventive' }]),
        barChart({ aria: t('kpi.mix.trend'), series: typeSeries,
          buckets: buckets.map((b) => ({ label: b.label, title: b.title, values: b.reported })) })) }),
      kpi('pm_compliance', pct(tot.pm_compliance), {
        tone: tot.pm_compliance !== null && tot.pm_compliance < 0.8 ? 'warn' : 'ok',
        sub: t('kpi.pm_compliance.sub', { done: tot.pm_on_time, due: tot.pm_due }),
        chart: lineChart({ aria: t('kpi.pm_compliance.trend'), cls: 'line-ok', maxValue: 1, format: pct,
          points: buckets.map((b) => ({ label: b.label, title: b.title, value: b.pm_due ? b.pm_on_time / b.pm_due : null })) }) })),
    section('dashboard.section.reliability',
      kpi('mttr', hours(tot.mttr_hours), { sub: t('kpi.mttr.sub', { n: tot.repairs }), chart: h('div', {},
        lineChart({ aria: t('kpi.mttr.trend'), cls: 'line-warn', format: hours,
          points: buckets.map((b) => ({ label: b.label, title: b.title, value: b.mttr_hours })) }),
        h('h4', {}, t('kpi.by_machine')), reliabilityRows(data.machines, 'mttr_hours', machineHref),
        h('h4', {}, t('kpi.by_category')), reliabilityRows(data.categories, 'mttr_hours')) }),
      kpi('mtbf', hours(tot.mtbf_hours), { sub: t('kpi.mtbf.sub', { n: tot.machines, f: tot.reported.corrective }),
        chart: h('div', {},
          h('h4', {}, t('kpi.by_machine_worst')), reliabilityRows(byMtbf, 'mtbf_hours', machineHref),
          h('h4', {}, t('kpi.by_category')), reliabilityRows(data.categories, 'mtbf_hours')) })),
  ];
}
