// Step mode: one step per screen in large text, "STEP 3 OF 7", with the
// step's input (done, measured value, note, photo). Step 1 shows the safety
// notes whole above it. After the last step, the finish view completes the
// task.
import { h, fitText } from '../dom.js';
import * as data from '../data.js';
import { clock, duration, number } from '../format.js';
import { scrollPage } from '../ui.js';
import { parseNumber, expectedRange, outsideRange } from '../words.js';
import { t, tn } from '../i18n.js';
import { floorCommands, mayAct, onTool, safetyBox } from './task.js';
import { xrActive, placeCard, updateXr, endXr } from '../xr.js';

function dots(steps, n) {
  if (steps.length > 14) {
    const bar = h('div', { class: 'progress' }, h('div', { class: 'progress-fill' }));
    bar.firstChild.style.width = `${(100 * steps.filter((s) => s.done).length) / steps.length}%`;
    return bar;
  }
  return h('div', { class: 'dots', 'aria-hidden': 'true' },
    steps.map((s, i) => h('span', { class: `dot ${s.done ? 'dot-done' : ''} ${i + 1 === n ? 'dot-here' : ''}` })));
}

function result(card, s, n) {
  // The server counts the step's photos (its card holds only the newest
  // entries); photos still waiting to be sent are the local ones.
  const photos = (s.photos || 0) + card.work_log.filter((e) => e.kind === 'photo' && e.step === n && e.pending).length;
  const unit = s.unit ? ` ${s.unit}` : '';
  const out = [
    s.done ? h('span', { class: 'tag tag-ok', text: s.done_at ? t('tag.done_at', { time: clock(new Date(s.done_at)) }) : t('tag.done') }) : null,
    s.value ? h('span', { class: 'tag tag-accent', text: t('tag.value', { value: `${number(s.value)}${unit}` }) }) : null,
    s.wants_value && !s.value ? h('span', { class: 'tag tag-warn', text: s.unit ? t('tag.measure_unit', { unit: s.unit }) : t('tag.measure') }) : null,
    photos ? h('span', { class: 'tag', text: tn('tag.photos', photos) }) : null,
    s.pending ? h('span', { class: 'tag tag-sync', text: t('tag.waiting') }) : null,
  ];
  return h('div', { class: 'tags step-result' }, out,
    s.note ? h('div', { class: 'step-note', 'data-fit': 'ellipsis' }, h('span', { text: t('step.note_label') }), ' ', h('span', { translate: 'no', text: s.note })) : null);
}

/** "EXPECTED 3.0–3.5 BAR" (or at most / at least), from the step's own words. */
export function rangeText(range, unit) {
  if (!range) return t('value.no_range');
  const u = (range.unit || unit || '').toUpperCase();
  if (range.min !== null && range.max !== null) return t('value.range', { min: number(range.min), max: number(range.max), unit: u }).trim();
  if (range.max !== null) return t('value.range_max', { max: number(range.max), unit: u }).trim();
  return t('value.range_min', { min: number(range.min), unit: u }).trim();
}

function valueEntry(ctx, card, n, { thenDone = false } = {}) {
  const steps = card.step_list;
  const s = steps[n - 1];
  const range = expectedRange(s.text);
  const phone = ctx.profile === 'phone';
  ctx.openEntry({
    title: t('value.title', { n, total: steps.length }),
    context: s.text,
    facts: [[rangeText(range, s.unit), range ? 'accent' : ''], s.unit ? [t('value.unit', { unit: s.unit.toUpperCase() }), ''] : null].filter(Boolean),
    hint: t(phone ? 'value.hint_touch' : 'value.hint', { save: t('cmd.SAVE_VALUE') }),
    kind: 'number',
    value: s.value || '',
    saveLabel: t('cmd.SAVE_VALUE'),
    validate: (v) => (parseNumber(v) === null ? t('value.not_a_number', { text: v }) : null),
    dictate: (said, input) => {
      const num = parseNumber(said.replace(/^(value|set|enter|valeur|saisir)\s+/i, ''));
      if (num === null) { ctx.toast(t('value.not_a_number', { text: said }), 'warn', 2500); return false; }
      input.value = num;
      return true;
    },
    onSave: (v) => {
      const value = parseNumber(v);
      ctx.act('step', card.id, { step: n, body: thenDone ? { value, done: true } : { value } });
      const shown = `${number(value)}${s.unit ? ` ${s.unit}` : ''}`;
      if (outsideRange(value, range)) ctx.toast(t('value.saved_outside', { value: shown, range: rangeText(range, s.unit) }), 'warn', 5000);
      else ctx.toast(t('value.saved', { value: shown }), 'ok', 2000);
      if (thenDone) ctx.go({ name: 'step', id: card.id, n: n + 1, back: ctx.route.back });
    },
  });
}

function finishView(card, ctx, route) {
  const steps = card.step_list || [];
  const open = steps.filter((s) => !s.done).length;
  const canAct = mayAct(card, ctx);
  const complete = () => {
    if (open && !route.confirm) {
      ctx.toast(tn('finish.open_confirm', open, { cmd: t('cmd.COMPLETE') }), 'warn', 6000);
      ctx.go({ ...route, confirm: true }, { replaceFocus: false });
      return;
    }
    ctx.act('complete', card.id);
    ctx.announce(t('finish.completed'), 'ok', t('finish.completed_spoken'));
    ctx.go({ name: 'work' });
  };
  const commands = [];
  if (canAct) commands.push({ id: 'DONE', label: t('cmd.COMPLETE'), say: t('say.COMPLETE'), bar: true, primary: true, run: complete });
  commands.push({ id: 'BACK', bar: true, run: () => ctx.go(steps.length ? { name: 'step', id: card.id, n: steps.length, back: route.back } : { name: 'task', id: card.id, back: route.back }) });
  commands.push(...floorCommands(card, ctx));
  const headline = !steps.length ? t('finish.no_steps') : open ? t('finish.some_done', { done: steps.length - open, total: steps.length }) : t('finish.all_done', { total: steps.length });
  const body = h('div', { class: 'split' },
    h('div', { class: 'panel step-main finish' },
      h('div', { class: 'step-count', text: card.execution === 'completed' ? t('finish.completed_head') : t('finish.head') }),
      h('div', { class: `finish-head ${open ? 'warn' : 'ok'}`, text: headline }),
      h('div', { class: 'meta', text: t('tag.on_tool', { time: duration(onTool(card)) }) + (card.waiting ? ` · ${t('tag.n_waiting', { n: card.waiting })}` : '') }),
      open ? h('div', { class: 'meta', text: t('finish.open_steps', { list: steps.map((s, i) => (s.done ? null : i + 1)).filter(Boolean).join(', ') }) }) : null,
      canAct ? h('p', { class: 'finish-hint', text: t('finish.hint', { complete: t('cmd.COMPLETE'), note: t('cmd.NOTE') }) }) : null),
    h('div', { class: 'side' }, commands.filter((c) => c.side).map((c) => ctx.button(c))));
  return { title: card.title, titleIsData: true, body, commands, nav: 'step' };
}

export const step = {
  view(route, ctx) {
    const card = data.task(route.id);
    const back = { id: 'BACK', bar: true, run: () => ctx.go({ name: 'task', id: route.id, back: route.back }) };
    if (!card) return { title: t('title.step'), body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? t('common.loading') : t('common.not_here') })), commands: [back], nav: 'step' };
    const steps = card.step_list || [];
    const n = Math.max(1, Math.min(route.n || 1, steps.length + 1));
    if (n > steps.length) return finishView(card, ctx, route);
    const s = steps[n - 1];
    const go = (k) => ctx.go({ name: 'step', id: card.id, n: k, back: route.back });
    const canAct = mayAct(card, ctx);
    const commands = [];
    if (canAct) {
      commands.push({ id: 'DONE', bar: true, primary: true, run: () => {
        if (s.wants_value && !s.value) { valueEntry(ctx, card, n, { thenDone: true }); return; }
        if (!s.done) ctx.act('step', card.id, { step: n, body: { done: true } });
        go(n + 1);
      } });
    }
    commands.push({ id: 'NEXT', bar: true, run: () => go(n + 1) });
    commands.push({ id: 'BACK', bar: true, run: () => (n > 1 ? go(n - 1) : ctx.go({ name: 'task', id: card.id, back: route.back })) });
    if (canAct) {
      commands.push({ id: 'VALUE', side: true, tone: s.wants_value ? 'accent' : '', run: (arg) => {
        if (arg === undefined) return valueEntry(ctx, card, n);
        ctx.act('step', card.id, { step: n, body: { value: String(arg) } });
        ctx.toast(t('value.saved', { value: `${number(arg)}${s.unit ? ` ${s.unit}` : ''}` }), 'ok', 2000);
      } });
      if (s.done) commands.push({ id: 'UNDO', run: () => ctx.act('step', card.id, { step: n, body: { done: false } }) });
      commands.push(...floorCommands(card, ctx, { step: n }));
      commands.push({ id: 'COMPLETE', run: () => go(steps.length + 1) });
    }
    if (ctx.xr) commands.push({ id: 'PLACE', side: true, run: () => placeCard(ctx) });
    if (xrActive()) commands.push({ id: 'CANCEL', label: t('cmd.END_AR'), say: t('say.END_AR'), side: true, run: endXr });
    if (card.equipment?.code) commands.push({ id: 'MACHINE', run: () => ctx.go({ name: 'machine', code: card.equipment.code, back: ctx.route }) });
    commands.push({ id: 'SELECT', label: t('cmd.GO_TO_STEP'), say: t('say.GO_TO_STEP'), run: (k) => (k >= 1 && k <= steps.length + 1 ? go(k) : ctx.toast(t('toast.no_step', { n: k }), 'warn')) });
    commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });
    const textEl = h('div', { class: 'step-text', translate: 'no', text: s.text });
    const count = t('step.count', { n, total: steps.length });
    const main = h('div', { class: 'panel step-main' },
      h('div', { class: 'step-head' }, h('span', { class: 'step-count', text: count }), dots(steps, n)),
      n === 1 ? safetyBox(card) : null,
      textEl,
      result(card, s, n));
    const body = h('div', { class: 'split step' }, main,
      h('div', { class: 'side' }, commands.filter((c) => c.side).map((c) => ctx.button(c))));
    if (xrActive()) updateXr(count, s.text);
    return {
      title: card.title,
      titleIsData: true,
      body,
      commands,
      nav: 'step',
      mounted: () => {
        const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
        const min = Math.max(20, Math.round(root));
        fitText(textEl, Math.round(root * 1.6), min);
        // Too little room left (long safety notes on a small display): the
        // whole panel scrolls instead, the step in its smallest readable size.
        if (textEl.classList.contains('scrolls') && textEl.clientHeight < 3 * min) {
          textEl.classList.remove('scrolls');
          main.classList.add('scrolls', 'flow');
        }
      },
    };
  },
  enter(route) {
    const held = data.task(route.id);
    if (!held || Date.now() - (held._loadedAt || 0) > 15000) data.loadCard(route.id).catch(() => {});
  },
};
