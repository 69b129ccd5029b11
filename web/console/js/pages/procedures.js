// Procedure templates (issue 14): the list, and one template edited beside
// the glasses preview. A template applies to one machine or to a machine
// category, optionally only to preventive or corrective work; every save is
// a new version, followed at once by the tasks not started yet (the answer
// says how many) while started tasks keep their snapshot.
import { h, clear, raw, toast } from '../core/dom.js';
import { get, post, request } from '../core/api.js';
import { t } from '../core/i18n.js';
import { navigate } from '../core/router.js';
import { categories as loadCategories } from '../core/store.js';
import { card, empty, field, pageHeader, select, when } from '../ui/common.js';
import { stepsPreview } from '../ui/steps_preview.js';
import { setTitle } from '../ui/shell.js';

async function machines() {
  return (await get('/equipment?limit=500')).items;
}

function scopeText(p, machineById, categoryById) {
  if (p.equipment_id) return t('proc.scope_machine', { name: machineById.get(p.equipment_id)?.name ?? `#${p.equipment_id}` });
  return t('proc.scope_category', { name: categoryById.get(p.category_id)?.name ?? `#${p.category_id}` });
}

async function list(root) {
  setTitle(t('nav.procedures'));
  const [items, ms, cs] = await Promise.all([get('/procedures?include_inactive=true'), machines(), loadCategories()]);
  const machineById = new Map(ms.map((m) => [m.id, m]));
  const categoryById = new Map(cs.map((c) => [c.id, c]));
  const rows = items.items.map((p) => h('tr', { dataset: { id: p.id }, class: [!p.active && 'muted'] },
    h('td', {}, h('a', { href: `/procedures/${p.id}` }, raw(p.name))),
    h('td', {}, raw(scopeText(p, machineById, categoryById))),
    h('td', {}, p.type ? t(`type.${p.type}`) : t('proc.type_any')),
    h('td', { class: 'num' }, String(p.version)),
    h('td', {}, p.active ? '' : t('proc.inactive'))));
  clear(root).append(
    pageHeader(h('h1', {}, t('nav.procedures')), h('a', { class: 'btn btn-primary', href: '/procedures/new' }, t('proc.new'))),
    card(null, rows.length ? h('table', { class: 'table procedures' }, h('thead', {}, h('tr', {},
      h('th', {}, t('proc.name')), h('th', {}, t('proc.scope')), h('th', {}, t('proc.type')), h('th', {}, t('proc.version')), h('th', {}))),
    h('tbody', {}, rows)) : empty('proc.none')));
}

async function editor(root, id) {
  const [ms, cs] = await Promise.all([machines(), loadCategories()]);
  let proc = id ? await get(`/procedures/${id}`) : null;
  setTitle(proc ? proc.name : t('proc.new'), { data: Boolean(proc) });
  const name = h('input', { name: 'name', required: true, maxlength: 120, value: proc?.name ?? '', translate: 'no' });
  const scopeValue = proc?.equipment_id ? `m${proc.equipment_id}` : proc?.category_id ? `c${proc.category_id}` : '';
  const scope = select([{ value: '', label: '—' },
    ...cs.map((c) => ({ value: `c${c.id}`, label: t('proc.scope_category', { name: c.name }), raw: true })),
    ...ms.map((m) => ({ value: `m${m.id}`, label: t('proc.scope_machine', { name: m.name }), raw: true }))], scopeValue, { name: 'scope' });
  const type = select([{ value: '', label: t('proc.type_any') }, { value: 'preventive', label: t('type.preventive') },
    { value: 'corrective', label: t('type.corrective') }], proc?.type ?? '', { name: 'type' });
  const active = h('input', { type: 'checkbox', name: 'active', checked: proc ? proc.active : true });
  const text = h('textarea', { name: 'text', rows: 14, class: 'mono', translate: 'no' });
  text.value = proc?.text ?? '';
  const preview = stepsPreview();
  text.addEventListener('input', () => preview.update(text.value));
  preview.update(text.value);
  const versions = h('ol', { class: 'versions', reversed: true });
  const drawVersions = () => clear(versions).append(...(proc?.versions || []).map((v) => h('li', { dataset: { version: v.version } },
    t('proc.version'), ` ${v.version} · `, when(v.created_at))));
  drawVersions();

  async function save(ev) {
    ev.preventDefault();
    if (!scope.value) { toast(t('proc.pick_scope'), 'error'); return; }
    const body = { name: name.value.trim(), text: text.value, type: type.value || null, active: active.checked,
      [scope.value.startsWith('m') ? 'equipment_id' : 'category_id']: Number(scope.value.slice(1)) };
    try {
      proc = proc ? await request('PUT', `/procedures/${proc.id}`, body, { ifMatch: `v${proc.version}` })
        : await post('/procedures', body);
      toast(t('proc.saved', { version: proc.version, n: proc.tasks_updated }), 'ok', 6000);
      if (!id) { navigate(`/procedures/${proc.id}`, { replace: true }); return; }
      drawVersions();
    } catch (e) {
      toast(e.status === 412 ? t('error.stale') : e.message, 'error');
    }
  }

  const form = h('form', { class: 'form procedure-form', on: { submit: save } },
    field('proc.name', name), field('proc.scope', scope), field('proc.type', type),
    h('label', { class: 'check' }, active, ' ', t('proc.active')),
    field('proc.text', text),
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('proc.save'))));
  clear(root).append(
    pageHeader(h('h1', {}, proc ? raw(proc.name) : t('proc.new')), h('a', { class: 'btn btn-ghost', href: '/procedures' }, t('nav.procedures'))),
    h('div', { class: 'task-grid' }, card(null, form), h('div', {}, preview.el, proc ? card('proc.versions', versions) : null)));
}

export async function render(root, ctx) {
  const id = ctx.params.id;
  if (id === undefined) return list(root);
  return editor(root, id === 'new' ? null : Number(id));
}
