// The audit log in words: who (a person's name, a device, the system, the
// public form), what (a sentence per action), on what (the task's title, the
// person's name) and the details of a change (each field, before → after),
// in the user's language. Actions this console does not know yet keep their
// code, so nothing recorded is hidden.
import { h, raw } from '../core/dom.js';
import { t, has, shortDateTime, num } from '../core/i18n.js';

// Details that say nothing to a reader (how a password hash was stored).
const HIDDEN = new Set(['rehashed', 'via']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

/** Who did it: a person's name, a device, the system or the public. */
export function actorText(entry, people) {
  if (entry.actor_id && people.get(entry.actor_id)) return raw(people.get(entry.actor_id).name);
  const label = entry.actor || '';
  if (label.startsWith('device:')) return h('span', {}, raw(label.slice(7)), ' ', h('span', { class: 'muted small' }, t('audit.device')));
  if (label === 'system' || label === 'public' || label === '') return h('em', {}, t(`audit.actor.${label || 'system'}`));
  return raw(label);
}

/** What was done, as a sentence; the action's code alongside for the curious. */
export function actionText(action) {
  const key = `audit.what.${action}`;
  return has(key) ? h('span', { dataset: { code: action } }, t(key)) : raw(action, 'span', { class: 'code' });
}

/** What it was done to: a task's title, a person's name, a machine. */
export function targetText(entry, people) {
  const d = entry.detail && typeof entry.detail === 'object' ? entry.detail : {};
  const id = entry.target_id;
  if (entry.target_type === 'task' && id) {
    return h('a', { href: `/tasks/${id}` }, d.title ? raw(d.title) : t('audit.target.task', { id }));
  }
  if (entry.target_type === 'equipment' && id) return h('a', { href: `/machines/${id}` }, t('audit.target.equipment', { id }));
  if (entry.target_type === 'user' && id) {
    const u = people.get(Number(id));
    return u ? raw(u.name) : t('audit.target.user', { id });
  }
  if (!entry.target_type) return '';
  const key = `audit.target.${entry.target_type}`;
  return has(key) ? t(key, { id }) : raw(`${entry.target_type} ${id}`);
}

function valueText(key, v) {
  if (v === null || v === undefined || v === '') return t('audit.value.none');
  if (typeof v === 'boolean' || v === 'true' || v === 'false') return t(`audit.value.${String(v)}`);
  if (key === 'priority' && /^[0-3]$/.test(String(v))) return t(`priority.${v}`);
  if ((key === 'role' || key === 'from' || key === 'to') && has(`role.${v}`)) return t(`role.${v}`);
  if (key === 'type' && has(`type.${v}`)) return t(`type.${v}`);
  if (key === 'profile' && has(`profile.${v}`)) return t(`profile.${v}`);
  if (typeof v === 'string' && ISO.test(v)) return shortDateTime(v);
  if (typeof v === 'number') return num(v);
  return String(v);
}

function fieldName(key) {
  return has(`audit.field.${key}`) ? t(`audit.field.${key}`) : key;
}

/** The details of an entry: one line per field, "Assigned to: Alice → Bruno". */
export function detailText(entry) {
  const d = entry.detail;
  if (!d || typeof d !== 'object') return d ? raw(String(d)) : '';
  const lines = [];
  if (d.changes && typeof d.changes === 'object') {
    for (const [key, change] of Object.entries(d.changes)) {
      if (change && change.changed) {
        lines.push(h('li', {}, h('span', { class: 'audit-key' }, fieldName(key)), ' ', t('audit.changed')));
      } else if (change && typeof change === 'object') {
        lines.push(h('li', { dataset: { field: key } }, h('span', { class: 'audit-key' }, t('audit.label', { field: fieldName(key) })), ' ',
          raw(valueText(key, change.from), 'span', { class: 'audit-from' }), ' → ', raw(valueText(key, change.to), 'span', { class: 'audit-to' })));
      }
    }
  }
  for (const [key, v] of Object.entries(d)) {
    if (key === 'changes' || key === 'title' || HIDDEN.has(key)) continue;
    lines.push(h('li', { dataset: { field: key } }, h('span', { class: 'audit-key' }, t('audit.label', { field: fieldName(key) })), ' ',
      raw(typeof v === 'object' && v !== null ? JSON.stringify(v) : valueText(key, v))));
  }
  return lines.length ? h('ul', { class: 'audit-detail' }, lines) : '';
}
