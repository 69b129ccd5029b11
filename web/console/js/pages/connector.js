// The CMMS connector: sync status (per model, lag, outbox, failures,
// conflicts, alerts such as an expired API key), deletions held for an
// admin's confirmation, "sync now", and for admins the Odoo settings with a
// connection test. Live: sync events refresh it.
import { h, clear, raw, toast } from '../core/dom.js';
import { get, post, request, ApiError } from '../core/api.js';
import { t, num, duration } from '../core/i18n.js';
import { on } from '../core/live.js';
import { isAdmin } from '../core/store.js';
import { card, when, whenRelative, empty } from '../ui/common.js';
import { icon } from '../ui/icons.js';
import { settingsForm } from './connector_settings.js';

function stateBadge(state) {
  const tone = { ok: 'exec-completed', starting: 'exec-in_progress', failing: 'overdue', alert: 'overdue', attention: 'overdue',
    stopped: 'exec-paused', disabled: 'exec-paused', not_configured: 'exec-not_started' }[state] || '';
  return h('span', { class: ['badge', tone], dataset: { state } }, t(`sync.state.${state}`));
}

function statusView(s) {
  if (!s.configured && s.state === undefined) {
    return h('div', {}, stateBadge('not_configured'), h('p', { class: 'muted' }, t('sync.not_configured')));
  }
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('sync.state')), h('dd', {}, stateBadge(s.state || (s.configured ? 'ok' : 'not_configured'))),
    h('dt', {}, t('sync.server')), h('dd', {}, s.server ? raw(s.server) : '—'),
    h('dt', {}, t('sync.last_success')), h('dd', {}, s.last_success_at ? whenRelative(s.last_success_at) : t('sync.never')),
    h('dt', {}, t('sync.lag')), h('dd', {}, s.lag_seconds === null || s.lag_seconds === undefined ? '—' : duration(s.lag_seconds)),
    h('dt', {}, t('sync.poll')), h('dd', {}, s.poll_interval_seconds ? duration(s.poll_interval_seconds) : '—'),
    h('dt', {}, t('sync.outbox')), h('dd', {}, s.outbox ? t('sync.outbox_counts', { pending: s.outbox.pending, failed: s.outbox.failed }) : '—',
      s.outbox?.oldest_age_seconds ? h('span', { class: 'muted' }, ' · ', t('sync.oldest', { d: duration(s.outbox.oldest_age_seconds) })) : null),
    h('dt', {}, t('sync.conflicts')), h('dd', {}, num(s.conflicts_unreviewed ?? 0)));
  const alert = s.alert ? h('div', { class: 'alert alert-danger', role: 'alert' }, icon('warning', 18),
    h('div', {}, h('strong', {}, t(`sync.alert.${s.alert.kind}`)), raw(s.alert.message, 'div'), h('div', { class: 'small' }, t('sync.since'), ' ', when(s.alert.since)))) : null;
  const error = s.last_error ? h('div', { class: 'alert alert-warn' }, t('sync.last_error'), ' ', raw(s.last_error)) : null;
  const failures = s.failures && Object.keys(s.failures).length
    ? h('p', { class: 'small' }, t('sync.failures'), ' ', Object.entries(s.failures).map(([k, n]) => h('span', { class: 'badge' }, raw(k), ` ${n}`)))
    : null;
  const models = (s.models || []).length ? h('table', { class: 'table compact' },
    h('thead', {}, h('tr', {}, ['model', 'last_success', 'last_attempt', 'records', 'error'].map((c) => h('th', {}, t(`sync.col.${c}`))))),
    h('tbody', {}, s.models.map((m) => h('tr', {},
      h('td', {}, raw(m.model, 'span', { class: 'code' })), h('td', {}, when(m.last_success)), h('td', {}, when(m.last_attempt)),
      h('td', { class: 'num' }, num(m.records)), h('td', {}, m.last_error ? raw(m.last_error, 'span', { class: 'error-text' }) : '—'))))) : null;
  return h('div', {}, alert, facts, error, failures, models);
}

// The items of a list endpoint, or null when this server does not offer it.
async function itemsOf(path) {
  try {
    const res = await get(path);
    return res && Array.isArray(res.items) ? res.items : null;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

async function outboxList(admin, reload) {
  const items = await itemsOf('/sync/outbox?status=failed&limit=50');
  if (!items) return null;
  if (!items.length) return empty('sync.outbox_clean');
  return h('table', { class: 'table compact' }, h('tbody', {}, items.map((m) => h('tr', {},
    h('td', {}, raw(`${m.model} · ${m.operation}`, 'span', { class: 'code' })), h('td', {}, raw(m.record_key)),
    h('td', {}, t('sync.attempts', { n: m.attempts })), h('td', {}, raw(m.last_error, 'span', { class: 'error-text' })),
    h('td', {}, admin ? h('button', { class: 'btn btn-small', type: 'button', on: { click: async () => {
      await post(`/sync/outbox/${m.id}/requeue`);
      toast(t('sync.requeued'), 'ok');
      reload();
    } } }, t('sync.requeue')) : null)))));
}

// Deletions the mass-deletion guard holds: nothing was removed in Visor
// until an admin confirms, model by model.
async function heldList(admin, reload) {
  const items = await itemsOf('/sync/deletions');
  if (!items) return null;
  if (!items.length) return empty('sync.no_held');
  return h('div', {},
    h('p', { class: 'small muted' }, t('sync.held_hint')),
    h('table', { class: 'table compact' }, h('tbody', {}, items.map((d) => h('tr', { dataset: { held: d.model } },
      h('td', {}, raw(d.model, 'span', { class: 'code' })), h('td', {}, t('sync.held_row', { count: d.count, linked: d.linked })),
      h('td', {}, when(d.since)),
      h('td', {}, admin ? h('button', { class: 'btn btn-small btn-danger', type: 'button', on: { click: async () => {
        await post('/sync/deletions/confirm', { model: d.model });
        toast(t('sync.confirmed'), 'ok');
        reload();
      } } }, t('sync.confirm_deletions')) : null))))));
}

async function conflictList(admin, reload) {
  const items = await itemsOf('/sync/conflicts?unreviewed=true&limit=50');
  if (!items) return null;
  if (!items.length) return empty('sync.no_conflicts');
  return h('table', { class: 'table compact' }, h('tbody', {}, items.map((c) => h('tr', {},
    h('td', {}, c.task_id ? h('a', { href: `/tasks/${c.task_id}` }, `#${c.task_id}`) : '—'), h('td', {}, raw(c.field, 'span', { class: 'code' })),
    h('td', {}, t('sync.local'), ' ', raw(c.local_value, 'b')), h('td', {}, t('sync.remote'), ' ', raw(c.remote_value, 'b')),
    h('td', {}, when(c.at)),
    h('td', {}, admin ? h('button', { class: 'btn btn-small', type: 'button', on: { click: async () => {
      await post(`/sync/conflicts/${c.id}/review`);
      reload();
    } } }, t('sync.mark_reviewed')) : null)))));
}

export async function render(root, ctx) {
  const admin = isAdmin();
  const statusHost = h('div', {});
  const outboxHost = h('div', {});
  const conflictsHost = h('div', {});
  const heldHost = h('div', {});
  const settingsHost = h('div', {});
  const syncNow = h('button', { class: 'btn btn-primary', type: 'button', disabled: !admin, title: admin ? '' : t('sync.admin_only'),
    on: { click: async () => {
      try {
        await post('/sync/run');
        toast(t('sync.started'), 'ok');
        setTimeout(load, 1500);
      } catch (e) {
        toast(e.message, 'error');
      }
    } } }, icon('refresh', 16), t('sync.now'));

  async function load() {
    const s = (await get('/sync/status')) || { configured: false };
    if (ctx.stale) return;
    clear(statusHost).append(statusView(s));
    const [outbox, conflicts, held] = await Promise.all([outboxList(admin, load), conflictList(admin, load), heldList(admin, load)]);
    clear(heldHost).append(held || h('p', { class: 'muted' }, t('sync.unavailable')));
    clear(outboxHost).append(outbox || h('p', { class: 'muted' }, t('sync.unavailable')));
    clear(conflictsHost).append(conflicts || h('p', { class: 'muted' }, t('sync.unavailable')));
  }

  root.append(
    card('sync.status', statusHost, syncNow),
    card('sync.held', heldHost),
    h('div', { class: 'two-col' }, card('sync.failed_outbox', outboxHost), card('sync.review', conflictsHost)),
    settingsHost);
  if (admin) {
    try {
      const settings = await request('GET', '/connector');
      if (!settings || typeof settings.url !== 'string') throw new ApiError(404, {});
      settingsHost.append(card('sync.settings', settingsForm(settings, load)));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      settingsHost.append(card('sync.settings', h('p', { class: 'muted' }, t('sync.settings_unavailable'))));
    }
  } else {
    settingsHost.append(card('sync.settings', h('p', { class: 'muted' }, t('sync.settings_admin_only'))));
  }
  ctx.cleanup(on(['sync.status', 'sync.alert', 'sync.outbox_failed'], () => load()));
  await load();
}
