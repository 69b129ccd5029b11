// Building blocks the pages share: time elements, badges for priority,
// type and execution, task links, empty states, form fields.
import { h, raw } from '../core/dom.js';
import { t, dateTime, shortDateTime, date, time as clock, relative, measured } from '../core/i18n.js';

/** A <time> element (formatted in the plant's timezone and the user's locale). */
export function when(value, format = dateTime, attrs = {}) {
  if (!value) return h('span', { class: 'muted' }, '—');
  const iso = typeof value === 'string' ? value : new Date(value).toISOString();
  return h('time', { datetime: iso, title: dateTime(iso), ...attrs }, format(iso));
}

export const whenDate = (v) => when(v, date);
/** A date and time on one short line (lists, tables). */
export const whenShort = (v) => when(v, shortDateTime, { class: 'nowrap' });
export const whenTime = (v) => when(v, clock);
export const whenRelative = (v) => when(v, (x) => relative(x));

export function priorityBadge(p) {
  return h('span', { class: ['badge', `prio-${p}`], title: t('field.priority') }, t(`priority.${p}`));
}

export function typeBadge(type) {
  return h('span', { class: ['badge', `type-${type}`] }, t(`type.${type}`));
}

/**
 * Where the work stands on the floor (what the technician does), apart from
 * the CMMS stage: both are named the same way on every page ("Stage", "On
 * the floor") so that a task in the stage "In Progress" whose work has not
 * started reads as exactly that.
 */
export function executionBadge(execution) {
  return h('span', { class: ['badge', `exec-${execution}`], title: t('execution.title', { status: t(`execution.${execution}`) }) },
    t(`execution.${execution}`));
}

/** A measured value with its step's unit, once ("0.05 mm"). */
export function valueText(value, unit) {
  return raw(measured(value, unit), 'b', { class: 'value' });
}

export function stageBadge(stage) {
  if (!stage) return null;
  return h('span', { class: ['badge', 'stage', stage.done && 'stage-done'], title: t('field.stage') }, raw(stage.name));
}

export function overdueBadge(task) {
  return task.overdue ? h('span', { class: 'badge overdue' }, t('task.overdue')) : null;
}

/** "3/5" step progress with a thin bar. */
export function stepsProgress(steps) {
  if (!steps || !steps.total) return h('span', { class: 'muted' }, '—');
  const bar = h('span', { class: 'progress-fill' });
  bar.style.width = `${Math.round((100 * steps.done) / steps.total)}%`;
  return h('span', { class: 'progress', title: t('task.steps_progress', { done: steps.done, total: steps.total }) },
    h('span', { class: 'progress-bar' }, bar), h('span', { class: 'progress-text' }, `${steps.done}/${steps.total}`));
}

export function taskLink(task) {
  return h('a', { href: `/tasks/${task.id}`, class: 'task-link' }, raw(task.title));
}

export function machineLabel(equipment) {
  if (!equipment) return h('span', { class: 'muted' }, '—');
  return h('a', { href: `/machines/${equipment.id}`, class: 'machine-link' }, raw(equipment.name),
    equipment.code ? h('span', { class: 'code' }, raw(equipment.code)) : null);
}

export function person(user, fallbackKey = 'task.unassigned') {
  if (!user) return h('span', { class: 'muted' }, t(fallbackKey));
  const initials = (user.name || '?').split(/\s+/).map((w) => w[0]).slice(0, 2).join('').toUpperCase();
  return h('span', { class: 'person' }, h('span', { class: 'avatar', 'aria-hidden': 'true', translate: 'no' }, initials),
    raw(user.name));
}

/**
 * A description or note as plain text: CMMS descriptions are HTML, shown as
 * their words with paragraph and line breaks kept (nothing of the markup
 * enters the page). Store data: not translated.
 */
export function htmlText(html, tag = 'div', attrs = {}) {
  const text = /<[a-z][\s\S]*>/i.test(html || '')
    ? (() => {
      const doc = new DOMParser().parseFromString(String(html).replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d)>/gi, '\n'), 'text/html');
      return doc.body.textContent.replace(/\n{3,}/g, '\n\n').trim();
    })()
    : String(html || '').trim();
  return raw(text, tag, { ...attrs, class: ['pre-wrap', attrs.class].filter(Boolean).join(' ') });
}

export function empty(key, params) {
  return h('div', { class: 'empty' }, t(key, params));
}

export function loading() {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), t('common.loading'));
}

/** A labelled form field around `input`. */
export function field(labelKey, input, hintKey) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, t(labelKey)), input,
    hintKey ? h('div', { class: 'hint' }, t(hintKey)) : null);
}

/** <select> with options [{value, label, raw}] (raw: store data, not translated). */
export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map((o) => {
    const opt = h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label);
    if (o.raw) opt.setAttribute('translate', 'no');
    return opt;
  }));
}

export function pageHeader(...children) {
  return h('div', { class: 'page-head' }, ...children);
}

export function card(titleKey, body, extra) {
  return h('section', { class: 'card' },
    titleKey ? h('header', { class: 'card-head' }, h('h2', {}, t(titleKey)), extra || null) : null, body);
}
