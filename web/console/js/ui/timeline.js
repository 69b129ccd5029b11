// A task's timeline from its work log: started, paused, resumed, each step
// with its time, value and note, notes, photos, completed — who and when.
import { h, raw } from '../core/dom.js';
import { t, duration, measured } from '../core/i18n.js';
import { when, whenTime } from './common.js';

const ICONS = { started: '▶', paused: '❚❚', resumed: '▶', step_done: '✓', note: '✎', measurement: '#', photo: '◧', completed: '★' };

/** entries: work_log of a task; steps: its step_list; people: Map id → user. */
export function timeline(entries, steps, people, { compact = false } = {}) {
  const stepText = (n) => steps.find((s) => s.number === n)?.text || '';
  const stepUnit = (n) => steps.find((s) => s.number === n)?.unit || '';
  const list = h('ol', { class: ['timeline', compact && 'timeline-compact'] });
  let previous = null;
  for (const e of entries) {
    const who = e.user_id && people.get(e.user_id) ? raw(people.get(e.user_id).name) : null;
    const gap = previous ? (Date.parse(e.at) - Date.parse(previous.at)) / 1000 : null;
    const detail = [];
    if (e.step) detail.push(h('div', { class: 'tl-step' }, t('timeline.step_n', { n: e.step }), ' ', raw(stepText(e.step), 'span', { class: 'tl-step-text' })));
    if (e.value) detail.push(h('div', { class: 'tl-value' }, t('timeline.value'), ' ', raw(measured(e.value, stepUnit(e.step)), 'b')));
    if (e.text) detail.push(raw(e.text, 'blockquote', { class: 'tl-note' }));
    if (e.media_id) {
      detail.push(h('a', { href: `/api/v1/media/${e.media_id}`, 'data-external': '', target: '_blank', rel: 'noopener' },
        h('img', { class: 'tl-photo', src: `/api/v1/media/${e.media_id}`, alt: t('timeline.photo'), loading: 'lazy' })));
    }
    list.append(h('li', { class: ['tl-item', `tl-${e.kind}`], dataset: { kind: e.kind } },
      h('span', { class: 'tl-icon', 'aria-hidden': 'true' }, ICONS[e.kind] || '•'),
      h('div', { class: 'tl-body' },
        h('div', { class: 'tl-head' }, h('strong', {}, t(`log.${e.kind}`)), who ? [' · ', who] : null,
          h('span', { class: 'tl-when' }, compact ? whenTime(e.at) : when(e.at),
            gap !== null && gap > 0 ? h('span', { class: 'tl-gap' }, ` +${duration(gap)}`) : null)),
        detail)));
    previous = e;
  }
  if (!entries.length) list.append(h('li', { class: 'muted' }, t('timeline.empty')));
  return list;
}
