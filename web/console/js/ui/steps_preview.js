// The instructions as the glasses will show them. The server parses them
// (POST /instructions/preview runs the very parser that builds the steps
// when the task is saved), so the preview cannot drift from the result.
import { h, clear, raw, debounce } from '../core/dom.js';
import { post } from '../core/api.js';
import { t } from '../core/i18n.js';

// What a typed step asks for, as the glasses say it (issue 14): catalogue
// words, and the planner's own values (range, unit, answers) as data.
function answerLine(s) {
  const kind = s.kind || (s.wants_value ? 'number' : 'instruction');
  if (kind === 'instruction') return null;
  const parts = [t(`preview.kind_${kind}`)];
  const data = (text) => h('span', { translate: 'no' }, text);
  if (kind === 'number') {
    const unit = s.unit ? ` ${s.unit}` : '';
    if (s.min != null && s.max != null) parts.push(data(`${s.min}–${s.max}${unit}`));
    else if (s.max != null) parts.push(data(`≤ ${s.max}${unit}`));
    else if (s.min != null) parts.push(data(`≥ ${s.min}${unit}`));
    else if (unit) parts.push(data(unit.trim()));
  }
  if (kind === 'choice') parts.push(data((s.options || []).join(' / ')));
  if (s.meter) parts.push(t('preview.meter', { name: s.meter }));
  if (!s.required) parts.push(t('preview.optional'));
  return h('div', { class: 'hud-value', dataset: { kind } }, parts.flatMap((p, i) => (i ? [' · ', p] : [p])));
}

export function stepsPreview() {
  const body = h('div', { class: 'hud-steps', 'aria-live': 'polite' });
  const el = h('aside', { class: 'hud-preview' },
    h('header', { class: 'hud-preview-head' }, h('span', { class: 'hud-dot' }), t('preview.title')), body);
  let seq = 0;

  function draw(parsed) {
    clear(body);
    if (parsed.summary) body.append(raw(parsed.summary, 'p', { class: 'hud-summary' }));
    for (const s of parsed.safety) body.append(h('div', { class: 'hud-safety' }, h('span', { class: 'hud-warn' }, '⚠'), raw(s)));
    if (!parsed.steps.length) {
      body.append(h('p', { class: 'hud-empty' }, t('preview.no_steps')));
      return;
    }
    const list = h('ol', { class: 'hud-step-list' });
    for (const s of parsed.steps) {
      list.append(h('li', { class: 'hud-step', dataset: { number: s.number } },
        h('div', { class: 'hud-step-count' }, t('preview.step_of', { n: s.number, total: parsed.steps.length })),
        raw(s.text, 'div', { class: 'hud-step-text' }),
        answerLine(s)));
    }
    body.append(list);
    if (parsed.signoff && parsed.signoff !== 'none') body.append(h('p', { class: 'hud-value', dataset: { signoff: parsed.signoff } }, t(`preview.signoff_${parsed.signoff}`)));
    for (const w of parsed.warnings || []) body.append(h('p', { class: 'form-error hud-warning' }, w.message || w));
    el.dataset.steps = String(parsed.steps.length);
  }

  // data-pending marks a preview that does not show the latest text yet.
  const refresh = debounce(async (html, mine) => {
    try {
      const parsed = await post('/instructions/preview', { text: html });
      if (mine === seq) draw(parsed);
    } catch (e) {
      if (mine === seq) clear(body).append(h('p', { class: 'form-error' }, e.message));
    }
    if (mine === seq) delete el.dataset.pending;
  }, 150);
  const update = (html) => {
    el.dataset.pending = '1';
    refresh(html, ++seq);
  };

  return { el, update };
}
