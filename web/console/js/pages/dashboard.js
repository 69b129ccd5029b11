// The dashboard: work as it stands (refreshed from the live stream) and the
// chosen period's KPIs, each a number with a chart. Every figure is computed
// by the server (GET /reports/kpis); the page only draws.
import { h, clear, throttle } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t, time as clock } from '../core/i18n.js';
import { on, TASK_EVENTS } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { teams as loadTeams } from '../core/store.js';
import { select } from '../ui/common.js';
import { periodBounds, PERIODS } from '../ui/period.js';
import { nowCards, periodCards, placeholders, fillTrends } from './dashboard_cards.js';

export async function render(root, ctx) {
  const started = performance.now();
  window.__visorDashboardNowMs = undefined;
  const period = PERIODS.includes(ctx.query.period) ? ctx.query.period : '30d';
  const team = ctx.query.team || '';
  const state = { period, team };
  // The figures are fetched while the team list (for the filter) loads.
  const nowHost = h('div', { class: 'kpi-grid' });
  const periodHost = h('div', { class: 'kpi-sections' });
  const stamp = h('span', { class: 'muted small' });

  const teamSel = select([{ value: '', label: t('common.all_teams') }], '', {
    'aria-label': t('field.team'), on: { change: (e) => { state.team = e.target.value; reload(); } },
  });
  const teamsReady = loadTeams().then((teams) => {
    for (const x of teams) teamSel.append(h('option', { value: x.id, translate: 'no' }, x.name));
    teamSel.value = team;
  });
  const controls = h('div', { class: 'toolbar' },
    h('label', { class: 'inline' }, t('dashboard.period'),
      select(PERIODS.map((p) => ({ value: p, label: t(`period.${p}`) })), period, {
        'aria-label': t('dashboard.period'), on: { change: (e) => { state.period = e.target.value; reload(); } },
      })),
    h('label', { class: 'inline' }, t('field.team'), teamSel),
    stamp);
  root.append(controls, nowHost, periodHost);
  placeholders(nowHost, periodHost);

  let nowSeq = 0;
  let lastPeriod = null;
  let periodSeq = 0;
  const params = (parts) => {
    const b = periodBounds(state.period, Date.now());
    return query({ from: b.from, to: b.to, bounds: b.bounds.join(','), day_start: b.dayStart, week_from: b.weekFrom,
      week_to: b.weekTo, team: state.team, parts });
  };
  async function loadNow() {
    const seq = ++nowSeq;
    const data = await get(`/reports/kpis${params('now')}`);
    if (seq !== nowSeq || ctx.stale) return;
    clear(nowHost).append(...nowCards(data));
    nowHost.classList.remove('is-loading');
    if (lastPeriod) fillTrends(nowHost, lastPeriod, state.period);
    stamp.textContent = t('dashboard.updated', { time: clock(data.generated_at) });
    if (window.__visorDashboardNowMs === undefined) window.__visorDashboardNowMs = performance.now() - started;
  }
  async function loadPeriod() {
    const seq = ++periodSeq;
    const data = await get(`/reports/kpis${params('period')}`);
    if (seq !== periodSeq || ctx.stale) return;
    lastPeriod = data;
    clear(periodHost).append(...periodCards(data, state.period));
    periodHost.classList.remove('is-loading');
    fillTrends(nowHost, data, state.period);
  }
  function reload() {
    setQuery({ period: state.period === '30d' ? '' : state.period, team: state.team });
    placeholders(nowHost, periodHost);
    lastPeriod = null;
    return Promise.all([loadNow(), loadPeriod()]);
  }

  await Promise.all([loadNow(), loadPeriod(), teamsReady]);
  window.__visorDashboardMs = performance.now() - started;
  window.__visorDashboardReadyAt = performance.now();  // since the navigation started
  root.dataset.kpiReady = '1';

  // Live: the counts of now follow every change at once; the period's charts
  // catch up a few seconds later (they cost more to compute).
  const refreshNow = throttle(() => loadNow().catch(() => {}), 500);
  const refreshPeriod = throttle(() => loadPeriod().catch(() => {}), 5000);
  ctx.cleanup(on([...TASK_EVENTS, 'task.deleted', 'resync'], () => { refreshNow(); refreshPeriod(); }));
  ctx.cleanup(() => { refreshNow.cancel(); refreshPeriod.cancel(); });
}
