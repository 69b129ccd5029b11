// The finish view, after the last step: what is done, what still needs an
// answer, the follow-ups proposed — and COMPLETE TASK, which asks on the way
// for what completing needs: the failure codes of corrective work (problem,
// cause, remedy, or SKIP CODES) and the sign-off the procedure asks for
// (I CONFIRM by voice, or the technician's typed name).
import { h } from '../dom.js';
import * as data from '../data.js';
import { duration } from '../format.js';
import { t, tn, locale } from '../i18n.js';
import { floorCommands, mayAct, onTool } from './task.js';
import { missingAnswers, proposesFollowUp, signoffOf } from '../procedure.js';

const KINDS = ['problem', 'cause', 'remedy'];

/** Problem, cause and remedy picked one after the other; `done(codes)` with {problem_id, …} (empty when skipped). */
function pickCodes(ctx, done) {
  const catalogue = data.failureCodes() || [];
  if (!catalogue.length) { done({}); return; }
  const chosen = {};
  const ask = (i) => {
    if (i >= KINDS.length) { done(chosen); return; }
    const kind = KINDS[i];
    const codes = catalogue.filter((c) => c.kind === kind && c.active);
    ctx.openPicker({
      title: t(`codes.${kind}`),
      hint: t('codes.hint', { cmd: t('cmd.OPTION') }),
      items: codes.map((c) => ({ label: locale() === 'fr' ? c.label_fr : c.label_en, detail: c.code })),
      onPick: (k) => { chosen[`${kind}_id`] = codes[k].id; ask(i + 1); },
      commands: [{ id: 'SKIP', run: () => done(i ? chosen : {}) }],
      onCancel: () => {},
    });
  };
  ask(0);
}

function signOff(ctx, done) {
  const name = ctx.me?.name || '';
  const confirm = (typed) => done(typed || t('sign.spoken', { name }));
  const entry = ctx.openEntry({
    title: t('sign.title'),
    hint: t('sign.hint', { confirm: t('cmd.CONFIRM') }),
    kind: 'text',
    placeholder: t('sign.placeholder'),
    saveLabel: t('cmd.CONFIRM'),
    saveSay: t('say.CONFIRM'),
    allowEmpty: true,
    onSave: confirm,
    dictate: (text, input) => { input.value = text; return true; },
  });
  return entry;
}

export function finishView(card, ctx, route) {
  const steps = card.step_list || [];
  const open = steps.filter((s) => !s.done).length;
  const missing = missingAnswers(card);
  const proposed = steps.filter(proposesFollowUp);
  const signoff = signoffOf(card);
  const canAct = mayAct(card, ctx);
  const finish = (extra) => {
    ctx.act('complete', card.id, { body: extra });
    ctx.announce(t('finish.completed'), 'ok', t('finish.completed_spoken'));
    ctx.go({ name: 'work' });
  };
  const withSignOff = (codes) => {
    if (signoff === 'none') { finish(codes); return; }
    signOff(ctx, (signature) => { ctx.toast(t('sign.signed'), 'ok', 2000); finish({ ...codes, signature }); });
  };
  const complete = () => {
    if (missing.length) {
      ctx.toast(tn('finish.answers_missing', missing.length, { list: missing.map((s) => s.number).join(', ') }), 'warn', 6000);
      ctx.go({ name: 'step', id: card.id, n: missing[0].number, back: route.back });
      return;
    }
    if (open && !route.confirm) {
      ctx.toast(tn('finish.open_confirm', open, { cmd: t('cmd.COMPLETE') }), 'warn', 6000);
      ctx.go({ ...route, confirm: true }, { replaceFocus: false });
      return;
    }
    if (card.type === 'corrective' && !card.failure) pickCodes(ctx, withSignOff);
    else withSignOff({});
  };
  const commands = [];
  if (canAct) commands.push({ id: 'DONE', label: t('cmd.COMPLETE'), say: t('say.COMPLETE'), bar: true, primary: true, run: complete });
  commands.push({ id: 'BACK', bar: true, run: () => ctx.go(steps.length ? { name: 'step', id: card.id, n: steps.length, back: route.back } : { name: 'task', id: card.id, back: route.back }) });
  if (canAct && proposed.length) {
    commands.push({ id: 'FOLLOW_UP', side: true, tone: 'danger', run: () => ctx.go({ name: 'step', id: card.id, n: proposed[0].number, back: route.back }) });
  }
  if (canAct && card.type === 'corrective') commands.push({ id: 'CODES', run: () => pickCodes(ctx, (codes) => { if (codes.problem_id || codes.cause_id || codes.remedy_id) ctx.act('failure', card.id, { body: codes }); }) });
  commands.push(...floorCommands(card, ctx));
  const headline = !steps.length ? t('finish.no_steps') : open ? t('finish.some_done', { done: steps.length - open, total: steps.length }) : t('finish.all_done', { total: steps.length });
  const body = h('div', { class: 'split' },
    h('div', { class: 'panel step-main finish scrolls' },
      h('div', { class: 'step-count', text: card.execution === 'completed' ? t('finish.completed_head') : t('finish.head') }),
      h('div', { class: `finish-head ${open ? 'warn' : 'ok'}`, text: headline }),
      h('div', { class: 'meta', text: t('tag.on_tool', { time: duration(onTool(card)) }) + (card.waiting ? ` · ${t('tag.n_waiting', { n: card.waiting })}` : '') }),
      open ? h('div', { class: 'meta', text: t('finish.open_steps', { list: steps.map((s, i) => (s.done ? null : i + 1)).filter(Boolean).join(', ') }) }) : null,
      missing.length ? h('div', { class: 'meta warn', text: tn('finish.answers_missing', missing.length, { list: missing.map((s) => s.number).join(', ') }) }) : null,
      proposed.length ? h('div', { class: 'meta warn', text: t('finish.proposed', { list: proposed.map((s) => s.number).join(', ') }) }) : null,
      signoff !== 'none' ? h('div', { class: 'meta', text: signoff === 'supervisor' ? t('finish.signoff_supervisor') : t('finish.signoff') }) : null,
      canAct ? h('p', { class: 'finish-hint', text: t('finish.hint', { complete: t('cmd.COMPLETE'), note: t('cmd.NOTE') }) }) : null),
    h('div', { class: 'side' }, commands.filter((c) => c.side).map((c) => ctx.button(c))));
  return { title: card.title, titleIsData: true, body, commands, nav: 'step' };
}
