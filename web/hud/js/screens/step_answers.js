// The answer a typed step asks for, by voice, keys and touch: a check's
// PASS / FLAG / FAIL (a comment for FLAG and FAIL), a number (the value
// sheet, flagged outside its range as it is entered), a choice, a text, a
// photo. A FAIL or a value out of range proposes a follow-up, confirmed by
// voice. Every answer goes through ctx.act (the outbox), offline included.
import { h } from '../dom.js';
import { number } from '../format.js';
import { parseNumber, outsideRange } from '../words.js';
import { t } from '../i18n.js';
import { hfSay } from '../ui.js';
import { rangeOf, flagOf, proposesFollowUp, photosOf } from '../procedure.js';

/** "EXPECTED 3.0–3.5 BAR" (or at most / at least), from the step's range. */
export function rangeText(range, unit) {
  if (!range) return t('value.no_range');
  const u = (range.unit || unit || '').toUpperCase();
  if (range.min !== null && range.max !== null) return t('value.range', { min: number(range.min), max: number(range.max), unit: u }).trim();
  if (range.max !== null) return t('value.range_max', { max: number(range.max), unit: u }).trim();
  return t('value.range_min', { min: number(range.min), unit: u }).trim();
}

/** The follow-up question after a FAIL or a value out of range; `then` runs after the answer. */
export function proposeFollowUp(ctx, card, step, then = () => {}) {
  const verdict = step.kind === 'check' ? t('tag.fail') : t('tag.out_of_range');
  ctx.openPrompt({
    title: t('follow.title'),
    context: step.text,
    facts: [[verdict, 'danger'], step.note ? [step.note, ''] : null].filter(Boolean),
    hint: t('follow.hint', { yes: t('cmd.FOLLOW_UP'), no: t('cmd.NOT_NOW') }),
    commands: [
      { id: 'FOLLOW_UP', primary: true, run: () => { raiseFollowUp(ctx, card, step); then(); } },
      { id: 'CANCEL', label: t('cmd.NOT_NOW'), say: t('say.NOT_NOW'), run: () => { ctx.toast(t('follow.kept', { cmd: t('cmd.FOLLOW_UP') }), 'info', 4000); then(); } },
    ],
  });
}

export function raiseFollowUp(ctx, card, step) {
  ctx.act('followup', card.id, { step: step.number, body: {} });
  ctx.announce(t('follow.created'), 'ok', t('follow.created_spoken'));
}

/** Records an answer; then a proposal if it calls for one, then `next`. */
function answer(ctx, card, step, body, next) {
  ctx.act('step', card.id, { step: step.number, body: { ...body, done: true } });
  const after = { ...step, ...body };
  if (proposesFollowUp(after)) proposeFollowUp(ctx, card, after, next);
  else next();
}

function comment(ctx, card, step, verdict, next, said) {
  const save = (note) => answer(ctx, card, step, { value: verdict, note }, next);
  if (said) { save(said); return; }
  const word = t(`tag.${verdict}`);
  ctx.openEntry({
    title: t('check.comment_title', { verdict: word, n: step.number, total: card.step_list.length }),
    context: step.text,
    facts: [[word, verdict === 'fail' ? 'danger' : 'warn'], [t('tag.comment_required'), '']],
    hint: t('check.comment_hint', { save: t('cmd.SAVE_COMMENT') }),
    kind: 'text',
    placeholder: t('check.comment_placeholder'),
    saveLabel: t('cmd.SAVE_COMMENT'),
    value: step.note || '',
    onSave: save,
    dictate: (text, input) => { input.value = input.value ? `${input.value} ${text}` : text.charAt(0).toUpperCase() + text.slice(1); return true; },
  });
}

/** The value sheet of a number step; `thenDone` marks it done and moves on. */
export function valueEntry(ctx, card, step, { thenDone = false, next = () => {} } = {}) {
  const range = rangeOf(step);
  const phone = ctx.profile === 'phone';
  ctx.openEntry({
    title: t('value.title', { n: step.number, total: card.step_list.length }),
    context: step.text,
    facts: [[rangeText(range, step.unit), range ? 'accent' : ''], step.unit && !range ? [t('value.unit', { unit: step.unit.toUpperCase() }), ''] : null].filter(Boolean),
    hint: t(phone ? 'value.hint_touch' : 'value.hint', { save: t('cmd.SAVE_VALUE') }),
    kind: 'number',
    value: step.value || '',
    saveLabel: t('cmd.SAVE_VALUE'),
    validate: (v) => (parseNumber(v) === null ? t('value.not_a_number', { text: v }) : null),
    dictate: (said, input) => {
      const num = parseNumber(said.replace(/^(value|set|enter|valeur|saisir)\s+/i, ''));
      if (num === null) { ctx.toast(t('value.not_a_number', { text: said }), 'warn', 2500); return false; }
      input.value = num;
      return true;
    },
    onSave: (v) => saveValue(ctx, card, step, parseNumber(v), { thenDone, next }),
  });
}

/** Saves a number; says at once when it is outside the range (and proposes a follow-up). */
export function saveValue(ctx, card, step, value, { thenDone = false, next = () => {} } = {}) {
  const range = rangeOf(step);
  const shown = `${number(value)}${step.unit ? ` ${step.unit}` : ''}`;
  if (outsideRange(value, range)) ctx.toast(t('value.saved_outside', { value: shown, range: rangeText(range, step.unit) }), 'warn', 5000);
  else ctx.toast(t('value.saved', { value: shown }), 'ok', 2000);
  if (thenDone) { answer(ctx, card, step, { value }, next); return; }
  ctx.act('step', card.id, { step: step.number, body: { value } });
  const after = { ...step, value };
  if (proposesFollowUp(after)) proposeFollowUp(ctx, card, after);
}

function textEntry(ctx, card, step, next) {
  ctx.openEntry({
    title: t('answer.title', { n: step.number, total: card.step_list.length }),
    context: step.text,
    hint: t('answer.hint', { save: t('cmd.SAVE_ANSWER') }),
    kind: 'text',
    placeholder: t('answer.placeholder'),
    saveLabel: t('cmd.SAVE_ANSWER'),
    value: step.value || '',
    onSave: (v) => { ctx.toast(t('answer.saved'), 'ok', 2000); answer(ctx, card, step, { value: v }, next); },
    dictate: (text, input) => { input.value = input.value ? `${input.value} ${text}` : text; return true; },
  });
}

function choose(ctx, card, step, k, next) {
  const option = step.options?.[k - 1];
  if (!option) { ctx.toast(t('toast.no_number', { n: k }), 'warn'); return; }
  ctx.toast(t('choice.saved', { value: option.toUpperCase() }), 'ok', 2000);
  answer(ctx, card, step, { value: option }, next);
}

/**
 * The commands a step's kind adds to step mode, and what STEP DONE does on
 * it. `next()` moves to the next step.
 */
export function answerCommands(ctx, card, step, next) {
  const cmds = [];
  switch (step.kind) {
    case 'check':
      cmds.push({ id: 'PASS', side: true, tone: step.value === 'pass' ? 'ok' : '', run: () => { ctx.toast(t('check.saved', { verdict: t('tag.pass') }), 'ok', 1500); answer(ctx, card, step, { value: 'pass' }, next); } });
      cmds.push({ id: 'FLAG', side: true, tone: step.value === 'flag' ? 'warn' : '', run: (said) => comment(ctx, card, step, 'flag', next, said) });
      cmds.push({ id: 'FAIL', side: true, tone: step.value === 'fail' ? 'danger' : '', run: (said) => comment(ctx, card, step, 'fail', next, said) });
      break;
    case 'choice':
      cmds.push({ id: 'OPTION', run: (k) => (k === undefined ? ctx.openPicker({
        title: t('choice.title', { n: step.number, total: card.step_list.length }),
        hint: t('choice.hint', { cmd: t('cmd.OPTION') }),
        items: step.options.map((o) => ({ label: o })),
        onPick: (i) => choose(ctx, card, step, i + 1, next),
      }) : choose(ctx, card, step, k, next)) });
      break;
    case 'text':
      cmds.push({ id: 'ANSWER', side: true, tone: 'accent', run: (said) => (said ? answer(ctx, card, step, { value: said }, next) : textEntry(ctx, card, step, next)) });
      break;
    default:
      break;
  }
  if (proposesFollowUp(step)) cmds.push({ id: 'FOLLOW_UP', side: true, tone: 'danger', run: () => raiseFollowUp(ctx, card, step) });
  return cmds;
}

/** What STEP DONE does: asks for the answer first when the step needs one. */
export function doneNeedsAnswer(ctx, card, step, next) {
  if (step.kind === 'check' && !step.value) { ctx.toast(t('step.answer_first', { n: step.number, how: t('tag.check') }), 'warn', 4000); return true; }
  if (step.kind === 'choice' && !step.value) { answerCommands(ctx, card, step, next).find((c) => c.id === 'OPTION').run(); return true; }
  if (step.kind === 'text' && !step.value && step.required) { textEntry(ctx, card, step, next); return true; }
  if (step.kind === 'photo' && step.required && !photosOf(card, step.number)) {
    ctx.toast(t('photo.step_needed', { n: step.number, cmd: t('cmd.PHOTO') }), 'warn', 4000);
    return true;
  }
  if ((step.kind === 'number' || step.wants_value) && !step.value) { valueEntry(ctx, card, step, { thenDone: true, next }); return true; }
  return false;
}

/** What shows in the step's panel: the answer buttons of a check, the options of a choice. */
export function answerPanel(card, step) {
  if (step.kind === 'choice') {
    return h('ol', { class: 'options' }, step.options.map((o, i) => h('li', {},
      h('button', { type: 'button', class: `item chip option ${step.value === o ? 'is-chosen' : ''}`, data: { cmd: 'OPTION', arg: String(i + 1), nav: '', key: `option-${i + 1}` },
        title: hfSay(`${t('cmd.OPTION')} ${i + 1}`) }, h('span', { class: 'num', text: String(i + 1) }), h('span', { translate: 'no', text: o })))));
  }
  return null;
}

/** The tags a typed step's result adds: verdict, flag, follow-up. */
export function answerTags(step) {
  const f = flagOf(step);
  const out = [];
  if (step.kind === 'check' && step.value) out.push(h('span', { class: `tag ${step.value === 'pass' ? 'tag-ok' : step.value === 'fail' ? 'tag-danger' : 'tag-warn'}`, text: t(`tag.${step.value}`) }));
  if ((step.kind === 'choice' || step.kind === 'text') && step.value) out.push(h('span', { class: 'tag tag-accent', translate: 'no', text: t('tag.answer', { value: step.value }) }));
  if (f === 'out_of_range') out.push(h('span', { class: 'tag tag-danger', text: t('tag.out_of_range') }));
  if (step.follow_up) out.push(h('span', { class: 'tag tag-sync', text: step.follow_up === 'pending' ? t('tag.follow_up_waiting') : t('tag.follow_up', { id: step.follow_up }) }));
  else if (proposesFollowUp(step)) out.push(h('span', { class: 'tag tag-warn', text: t('tag.follow_up_proposed') }));
  if (step.required && !step.value && !step.done && step.kind && step.kind !== 'instruction') out.push(h('span', { class: 'tag', text: t(step.kind === 'photo' ? 'tag.photo_needed' : 'tag.required') }));
  return out;
}
