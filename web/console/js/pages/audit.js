// The audit log: who changed what, when, from where — in words (see
// audit_words.js) — filtered by person, action, target and period, newest
// first, older pages on demand.
import { h, clear, raw } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { setQuery } from '../core/router.js';
import { users as loadUsers } from '../core/store.js';
import { actorText, actionText, targetText, detailText } from './audit_words.js';
import { select, when, empty, loading } from '../ui/common.js';
import { dateRange } from '../ui/period.js';

const ACTIONS = ['', 'task.', 'triage.', 'user.', 'device.', 'auth.', 'equipment.', 'outbox.', 'connector.'];

export async function render(root, ctx) {
  const users = await loadUsers();
  const people = new Map(users.map((u) => [u.id, u]));
  const f = { actor: ctx.query.actor || '', action: ctx.query.action || '', target_type: ctx.query.target_type || '',
    target_id: ctx.query.target_id || '', since: ctx.query.since || '', until: ctx.query.until || '' };
  let before = null;
  let seq = 0;
  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', on: { click: () => load(false) } }, t('audit.older'));

  const actor = select([{ value: '', label: t('audit.anyone') }, ...users.map((u) => ({ value: u.id, label: u.name, raw: true }))], f.actor, { 'aria-label': t('audit.actor') });
  const action = select(ACTIONS.map((a) => ({ value: a, label: a ? t(`audit.action.${a.slice(0, -1)}`) : t('audit.any_action') })), f.action, { 'aria-label': t('audit.action') });
  const targetType = h('input', { value: f.target_type, placeholder: t('audit.target_type'), 'aria-label': t('audit.target_type'), class: 'narrow-input' });
  const targetId = h('input', { value: f.target_id, placeholder: t('audit.target_id'), 'aria-label': t('audit.target_id'), class: 'narrow-input' });
  const since = h('input', { type: 'date', value: f.since, 'aria-label': t('audit.since') });
  const until = h('input', { type: 'date', value: f.until, 'aria-label': t('audit.until') });
  const apply = () => {
    Object.assign(f, { actor: actor.value, action: action.value, target_type: targetType.value.trim(), target_id: targetId.value.trim(),
      since: since.value, until: until.value });
    load(true);
  };
  for (const el of [actor, action, since, until]) el.addEventListener('change', apply);
  for (const el of [targetType, targetId]) el.addEventListener('change', apply);

  root.append(
    h('div', { class: 'toolbar filters' }, actor, action, targetType, targetId,
      h('label', { class: 'inline' }, t('audit.since'), since), h('label', { class: 'inline' }, t('audit.until'), until)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table audit-table' },
      h('thead', {}, h('tr', {}, ['when', 'who', 'action', 'target', 'detail', 'from'].map((c) => h('th', {}, t(`audit.col.${c}`))))),
      tbody)),
    h('div', { class: 'table-foot' }, more));

  function params() {
    const p = { actor: f.actor, action: f.action, target_type: f.target_type, target_id: f.target_id, limit: 100, before };
    if (f.since) p.since = dateRange(f.since, f.since).from;
    if (f.until) p.until = dateRange(f.until, f.until).to;
    return p;
  }

  async function load(reset) {
    const mine = ++seq;
    if (reset) {
      before = null;
      setQuery(f);
      clear(tbody).append(h('tr', {}, h('td', { colspan: 6 }, loading())));
    }
    const page = await get(`/audit${query(params())}`);
    if (mine !== seq || ctx.stale) return;
    if (reset) clear(tbody);
    for (const e of page.items) {
      tbody.append(h('tr', { dataset: { id: e.id, action: e.action } },
        h('td', { class: 'nowrap' }, when(e.at)), h('td', { class: 'audit-who' }, actorText(e, people)), h('td', { class: 'audit-what' }, actionText(e.action)),
        h('td', { class: 'audit-target' }, targetText(e, people)), h('td', { class: 'detail' }, detailText(e)),
        h('td', {}, raw(e.remote_addr, 'span', { class: 'muted small' }))));
    }
    if (!tbody.children.length) tbody.append(h('tr', {}, h('td', { colspan: 6 }, empty('audit.none'))));
    before = page.next_before;
    more.classList.toggle('hidden', !before);
  }
  await load(true);
}
