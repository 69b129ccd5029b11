// Machines: search, filter by category and team, pages by id; select some
// (or a whole filter) to print their QR labels.
import { h, clear, raw, debounce } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { navigate, setQuery } from '../core/router.js';
import { categories as loadCategories, teams as loadTeams } from '../core/store.js';
import { select, empty, loading } from '../ui/common.js';
import { icon } from '../ui/icons.js';

export async function render(root, ctx) {
  const [categories, teams] = await Promise.all([loadCategories(), loadTeams()]);
  const f = { q: ctx.query.q || '', category: ctx.query.category || '', team: ctx.query.team || '' };
  const selected = new Set();
  let after = null;
  let seq = 0;

  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', on: { click: () => load(false) } }, t('common.load_more'));
  const printSel = h('button', { class: 'btn', type: 'button', disabled: true, on: { click: () => navigate(`/machines/labels?ids=${[...selected].join(',')}`) } },
    icon('print', 16), t('machines.print_selected'));
  const printAll = h('button', { class: 'btn', type: 'button', on: { click: () => navigate(`/machines/labels${query(f)}`) } },
    icon('labels', 16), t('machines.print_filter'));
  const search = h('input', { type: 'search', class: 'search', placeholder: t('machines.search'), value: f.q, 'aria-label': t('machines.search') });
  search.addEventListener('input', debounce(() => { f.q = search.value.trim(); load(true); }, 150));
  const pick = (key, options) => select(options, f[key], { 'aria-label': t(`filter.${key}`), on: { change: (e) => { f[key] = e.target.value; load(true); } } });
  root.append(
    h('div', { class: 'toolbar' }, search,
      pick('category', [{ value: '', label: t('filter.any_category') }, ...categories.map((c) => ({ value: c.id, label: c.name, raw: true }))]),
      pick('team', [{ value: '', label: t('common.all_teams') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))]),
      h('span', { class: 'spacer' }), printSel, printAll),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'col-check' }), ['machine', 'code', 'category', 'location', 'model', 'open_tasks'].map((c) => h('th', {}, t(`col.${c}`))))),
      tbody)),
    h('div', { class: 'table-foot' }, more));

  function row(m) {
    const box = h('input', { type: 'checkbox', 'aria-label': t('machines.select'), checked: selected.has(m.id), on: { change: (e) => {
      e.target.checked ? selected.add(m.id) : selected.delete(m.id);
      printSel.disabled = !selected.size;
    } } });
    return h('tr', { dataset: { id: m.id } },
      h('td', { class: 'col-check' }, box),
      h('td', {}, h('a', { href: `/machines/${m.id}` }, raw(m.name))),
      h('td', {}, raw(m.code, 'span', { class: 'code' })),
      h('td', {}, raw(m.category_name)),
      h('td', {}, raw(m.location)),
      h('td', {}, raw(m.model)),
      h('td', { class: 'num' }, m.open_tasks ? h('a', { href: `/tasks?equipment=${m.id}` }, String(m.open_tasks)) : '0'));
  }

  async function load(reset) {
    const mine = ++seq;
    if (reset) {
      after = null;
      setQuery(f);
      clear(tbody).append(h('tr', {}, h('td', { colspan: 7 }, loading())));
    }
    const page = await get(`/equipment${query({ ...f, after, limit: 100 })}`);
    if (mine !== seq || ctx.stale) return;
    if (reset) clear(tbody);
    for (const m of page.items) tbody.append(row(m));
    if (!tbody.children.length) tbody.append(h('tr', {}, h('td', { colspan: 7 }, empty('machines.none'))));
    after = page.next_after;
    more.classList.toggle('hidden', !after);
  }
  await load(true);
}
