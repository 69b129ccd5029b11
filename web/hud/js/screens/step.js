// Step mode: one step per screen in large text, "STEP 3 OF 7", with what
// the step asks for (done; a check, a number, a choice, a text, a photo —
// step_answers.js), a note and photos. Step 1 shows the safety notes whole
// above it. After the last step, the finish view completes the task.
import { h, fitText } from '../dom.js';
import * as data from '../data.js';
import { clock, number } from '../format.js';
import { scrollPage } from '../ui.js';
import { t, tn } from '../i18n.js';
import { floorCommands, mayAct, safetyBox } from './task.js';
import { finishView } from './finish.js';
import { answerCommands, answerPanel, answerTags, doneNeedsAnswer, saveValue, valueEntry, rangeText } from './step_answers.js';
import { rangeOf, photosOf } from '../procedure.js';
import { xrActive, placeCard, updateXr, endXr } from '../xr.js';

export { rangeText };

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
  const photos = photosOf(card, n);
  const unit = s.unit ? ` ${s.unit}` : '';
  const wantsNumber = s.kind === 'number' || s.wants_value;
  const out = [
    s.done ? h('span', { class: 'tag tag-ok', text: s.done_at ? t('tag.done_at', { time: clock(new Date(s.done_at)) }) : t('tag.done') }) : null,
    wantsNumber && s.value ? h('span', { class: 'tag tag-accent', text: t('tag.value', { value: `${number(s.value)}${unit}` }) }) : null,
    wantsNumber && !s.value ? h('span', { class: 'tag tag-warn', text: s.unit ? t('tag.measure_unit', { unit: s.unit }) : t('tag.measure') }) : null,
    wantsNumber && rangeOf(s) ? h('span', { class: 'tag', text: rangeText(rangeOf(s), s.unit) }) : null,
    ...answerTags(s),
    photos ? h('span', { class: 'tag', text: tn('tag.photos', photos) }) : null,
    s.pending ? h('span', { class: 'tag tag-sync', text: t('tag.waiting') }) : null,
  ];
  return h('div', { class: 'tags step-result' }, out,
    s.note ? h('div', { class: 'step-note', 'data-fit': 'ellipsis' }, h('span', { text: t('step.note_label') }), ' ', h('span', { translate: 'no', text: s.note })) : null);
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
    const next = () => go(n + 1);
    const canAct = mayAct(card, ctx);
    const commands = [];
    if (canAct) {
      commands.push({ id: 'DONE', bar: true, primary: !['check', 'choice'].includes(s.kind) || Boolean(s.value), run: () => {
        if (doneNeedsAnswer(ctx, card, s, next)) return;
        if (!s.done) ctx.act('step', card.id, { step: n, body: { done: true } });
        next();
      } });
    }
    commands.push({ id: 'NEXT', bar: true, run: next });
    commands.push({ id: 'BACK', bar: true, run: () => (n > 1 ? go(n - 1) : ctx.go({ name: 'task', id: card.id, back: route.back })) });
    if (canAct) {
      commands.push(...answerCommands(ctx, card, s, next));
      if (s.kind !== 'check' && s.kind !== 'choice' && s.kind !== 'text') {
        commands.push({ id: 'VALUE', side: s.kind !== 'photo', tone: s.wants_value ? 'accent' : '', run: (arg) => {
          if (arg === undefined) return valueEntry(ctx, card, s);
          return saveValue(ctx, card, s, String(arg));
        } });
      }
      if (s.done) commands.push({ id: 'UNDO', run: () => ctx.act('step', card.id, { step: n, body: { done: false } }) });
      commands.push(...floorCommands(card, ctx, { step: n }));
      commands.push({ id: 'COMPLETE', run: () => go(steps.length + 1) });
    }
    if (ctx.xr) commands.push({ id: 'PLACE', side: true, run: () => placeCard(ctx) });
    if (xrActive()) commands.push({ id: 'CANCEL', label: t('cmd.END_AR'), say: t('say.END_AR'), side: true, run: endXr });
    if (card.equipment?.code) commands.push({ id: 'MACHINE', run: () => ctx.go({ name: 'machine', code: card.equipment.code, back: ctx.route }) });
    commands.push({ id: 'SELECT', label: t('cmd.GO_TO_STEP'), say: t('say.GO_TO_STEP'), run: (k) => (k >= 1 && k <= steps.length + 1 ? go(k) : ctx.toast(t('toast.no_step', { n: k }), 'warn')) });
    commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });
    // A check's answers come first in the side column: they are the step.
    const side = commands.filter((c) => c.side);
    const textEl = h('div', { class: 'step-text', translate: 'no', text: s.text });
    const count = t('step.count', { n, total: steps.length });
    const main = h('div', { class: 'panel step-main' },
      h('div', { class: 'step-head' }, h('span', { class: 'step-count', text: count }), dots(steps, n)),
      n === 1 ? safetyBox(card) : null,
      textEl,
      canAct ? answerPanel(card, s) : null,
      result(card, s, n));
    const body = h('div', { class: 'split step' }, main, h('div', { class: 'side' }, side.map((c) => ctx.button(c))));
    if (xrActive()) updateXr(count, s.text);
    return {
      title: card.title,
      titleIsData: true,
      body,
      commands,
      nav: 'step',
      // A choice's own words choose it ("worn").
      dictation: s.kind === 'choice' && canAct ? (said) => {
        const k = s.options.findIndex((o) => o.toLowerCase() === String(said).toLowerCase().trim());
        if (k < 0) return false;
        commands.find((c) => c.id === 'OPTION').run(k + 1);
        return true;
      } : null,
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
