// Reports: exports of tasks, work logs and KPIs for a period of plant days.
// The CSV files are for people — headings and values in the chosen language,
// times on the plant's clock; the JSON files hold the same rows for other
// tools. The server writes both; the links carry the session cookie.
import { h, clear } from '../core/dom.js';
import { query } from '../core/api.js';
import { t, getLocale, LOCALES } from '../core/i18n.js';
import { startOfDay, startOfWeek, startOfMonth, toDateInput, fromInput, iso, getZone } from '../core/tz.js';
import { teams as loadTeams } from '../core/store.js';
import { select, field, card } from '../ui/common.js';
import { dateRange } from '../ui/period.js';
import { icon } from '../ui/icons.js';

const EXPORTS = ['tasks', 'worklog', 'kpis'];

/** Bucket bounds for the KPI export: days up to 62 days, weeks up to a year, else months. */
function kpiBounds(from, to) {
  const span = (to - from) / 86400e3;
  const step = span <= 62 ? (ms, i) => startOfDay(ms, i) : span <= 366 ? (ms, i) => startOfWeek(ms, i) : (ms, i) => startOfMonth(ms, i);
  const out = [];
  for (let i = 1; out.length < 198; i++) {
    const b = step(from, i);
    if (b >= to) break;
    if (b > from) out.push(iso(b));
  }
  return out;
}

export async function render(root) {
  const teams = await loadTeams();
  const now = Date.now();
  const from = h('input', { type: 'date', value: toDateInput(startOfMonth(now)) });
  const to = h('input', { type: 'date', value: toDateInput(now) });
  const team = select([{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))], '');
  const lang = select(LOCALES.map((code) => ({ value: code, label: t(`lang.${code}`) })), getLocale());
  const links = h('div', { class: 'export-list' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const presets = h('div', { class: 'presets' }, [['this_month', () => [startOfMonth(now), now]], ['last_month', () => [startOfMonth(now, -1), startOfDay(startOfMonth(now), -1)]],
    ['last_30', () => [startOfDay(now, -29), now]], ['this_year', () => [fromInput(`${toDateInput(now).slice(0, 4)}-01-01`), now]]]
    .map(([key, range]) => h('button', { class: 'link-btn', type: 'button', on: { click: () => {
      const [a, b] = range();
      from.value = toDateInput(a);
      to.value = toDateInput(b);
      update();
    } } }, t(`reports.preset.${key}`))));

  function update() {
    error.textContent = '';
    clear(links);
    if (!from.value || !to.value || from.value > to.value) {
      error.textContent = t('reports.bad_period');
      return;
    }
    const range = dateRange(from.value, to.value);
    const base = { from: range.from, to: range.to, team: team.value };
    for (const kind of EXPORTS) {
      const extra = kind === 'kpis' ? { bounds: kpiBounds(Date.parse(range.from), Date.parse(range.to)).join(',') } : {};
      const href = `/api/v1/reports/${kind}.csv${query({ ...base, ...extra, lang: lang.value })}`;
      const json = `/api/v1/reports/${kind}.json${query({ ...base, ...extra })}`;
      links.append(h('div', { class: 'export-item' },
        h('div', {}, h('strong', {}, t(`reports.${kind}`)), h('p', { class: 'muted small' }, t(`reports.${kind}.help`))),
        h('div', { class: 'actions' },
          h('a', { class: 'btn', href, download: '', dataset: { export: kind } }, icon('download', 16), t('reports.download')),
          h('a', { class: 'btn btn-ghost', href: json, download: '', dataset: { exportJson: kind } }, t('reports.download_json')))));
    }
  }
  for (const el of [from, to, team, lang]) el.addEventListener('change', update);
  root.append(card('reports.title', h('div', { class: 'stack' },
    h('div', { class: 'form-row' }, field('reports.from', from), field('reports.to', to), field('field.team', team), field('reports.language', lang)),
    presets, error, links, h('p', { class: 'muted small' }, t('reports.note', { tz: getZone() })))));
  update();
}
