// Step mode: one step per screen in large text, "STEP 3 OF 7", with the
// step's input (done, measured value, note, photo). After the last step, the
// finish view completes the task.
import { h, fitText } from '../dom.js';
import * as data from '../data.js';
import { clock, duration } from '../format.js';
import { scrollPage } from '../ui.js';
import { parseNumber } from '../words.js';
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

function result(card, s, n, more) {
  // The server counts the step's photos (its card holds only the newest
  // entries); photos still waiting to be sent are the local ones.
  const photos = (s.photos || 0) + card.work_log.filter((e) => e.kind === 'photo' && e.step === n && e.pending).length;
  const out = [
    s.done ? h('span', { class: 'tag tag-ok', text: s.done_at ? `DONE ${clock(new Date(s.done_at))}` : 'DONE' }) : null,
    s.value ? h('span', { class: 'tag tag-accent', text: `VALUE ${s.value}${s.unit ? ` ${s.unit}` : ''}` }) : null,
    s.wants_value && !s.value ? h('span', { class: 'tag tag-warn', text: `MEASURE${s.unit ? ` · ${s.unit}` : ''}` }) : null,
    photos ? h('span', { class: 'tag', text: photos === 1 ? '1 PHOTO' : `${photos} PHOTOS` }) : null,
    s.pending ? h('span', { class: 'tag tag-sync', text: 'WAITING' }) : null,
    more,
  ];
  return h('div', { class: 'tags step-result' }, out, s.note ? h('div', { class: 'step-note', text: `NOTE: ${s.note}` }) : null);
}

function valueEntry(ctx, card, n, { thenDone = false } = {}) {
  const s = card.step_list[n - 1];
  ctx.openEntry({
    title: `VALUE FOR STEP ${n}${s.unit ? ` · ${s.unit.toUpperCase()}` : ''}`,
    hint: 'Say the number (e.g. "forty two point five") or type it. Say SAVE VALUE.',
    kind: 'number',
    value: s.value || '',
    saveLabel: 'SAVE VALUE',
    validate: (v) => (parseNumber(v) === null ? `"${v}" is not a number.` : null),
    dictate: (said, input) => {
      const num = parseNumber(said.replace(/^(value|set|enter)\s+/i, ''));
      if (num === null) { ctx.toast(`Not a number: "${said}"`, 'warn', 2500); return false; }
      input.value = num;
      return true;
    },
    onSave: (v) => {
      const value = parseNumber(v);
      ctx.act('step', card.id, { step: n, body: thenDone ? { value, done: true } : { value } });
      ctx.toast(`VALUE ${value}${s.unit ? ` ${s.unit}` : ''} SAVED`, 'ok', 2000);
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
      ctx.toast(`${open} STEP${open > 1 ? 'S ARE' : ' IS'} NOT DONE. Say COMPLETE TASK again to complete anyway.`, 'warn', 6000);
      ctx.go({ ...route, confirm: true }, { replaceFocus: false });
      return;
    }
    ctx.act('complete', card.id);
    ctx.announce('TASK COMPLETED', 'ok', 'Task completed.');
    ctx.go({ name: 'work' });
  };
  const commands = [];
  if (canAct) commands.push({ id: 'DONE', label: 'COMPLETE TASK', bar: true, primary: true, run: complete, say: ['complete', 'complete task', 'finish task', 'task done', 'close task'] });
  commands.push({ id: 'BACK', bar: true, run: () => ctx.go(steps.length ? { name: 'step', id: card.id, n: steps.length, back: route.back } : { name: 'task', id: card.id, back: route.back }) });
  commands.push(...floorCommands(card, ctx));
  const headline = !steps.length ? 'NO STEPS ON THIS TASK' : open ? `${steps.length - open} OF ${steps.length} STEPS DONE` : `ALL ${steps.length} STEPS DONE`;
  const body = h('div', { class: 'split' },
    h('div', { class: 'panel step-main finish' },
      h('div', { class: 'step-count', text: card.execution === 'completed' ? 'COMPLETED' : 'FINISH' }),
      h('div', { class: `finish-head ${open ? 'warn' : 'ok'}`, text: headline }),
      h('div', { class: 'meta', text: `ON TOOL ${duration(onTool(card))}${card.waiting ? ` · ${card.waiting} WAITING` : ''}` }),
      open ? h('div', { class: 'meta', text: `OPEN: ${steps.map((s, i) => (s.done ? null : i + 1)).filter(Boolean).join(', ')}` }) : null,
      canAct ? h('p', { class: 'finish-hint', text: 'Say COMPLETE TASK to close it, or ADD NOTE first.' }) : null),
    h('div', { class: 'side' }, commands.filter((c) => c.side).map((c) => ctx.button(c))));
  return { title: `${card.title}`, body, commands, nav: 'step' };
}

export const step = {
  view(route, ctx) {
    const card = data.task(route.id);
    const back = { id: 'BACK', bar: true, run: () => ctx.go({ name: 'task', id: route.id, back: route.back }) };
    if (!card) return { title: 'STEP', body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? 'LOADING…' : 'NOT ON THIS DEVICE' })), commands: [back], nav: 'step' };
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
        ctx.toast(`VALUE ${arg}${s.unit ? ` ${s.unit}` : ''} SAVED`, 'ok', 2000);
      } });
      if (s.done) commands.push({ id: 'UNDO', run: () => ctx.act('step', card.id, { step: n, body: { done: false } }) });
      commands.push(...floorCommands(card, ctx, { step: n }));
      commands.push({ id: 'COMPLETE', run: () => go(steps.length + 1) });
    }
    if (ctx.xr) commands.push({ id: 'PLACE', side: true, run: () => placeCard(ctx) });
    if (xrActive()) commands.push({ id: 'CANCEL', label: 'END AR VIEW', say: ['end ar', 'end ar view', 'stop placement'], side: true, run: endXr });
    if (card.equipment?.code) commands.push({ id: 'MACHINE', run: () => ctx.go({ name: 'machine', code: card.equipment.code, back: ctx.route }) });
    commands.push({ id: 'SELECT', label: 'GO TO STEP', say: ['go to step', 'step'], run: (k) => (k >= 1 && k <= steps.length + 1 ? go(k) : ctx.toast(`There is no step ${k}.`, 'warn')) });
    commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });
    const textEl = h('div', { class: 'step-text', text: s.text });
    const more = h('span', { class: 'tag tag-accent more', text: 'MORE · SCROLL DOWN', hidden: true });
    const body = h('div', { class: 'split step' },
      h('div', { class: 'panel step-main' },
        h('div', { class: 'step-head' }, h('span', { class: 'step-count', text: `STEP ${n} OF ${steps.length}` }), dots(steps, n)),
        n === 1 ? safetyBox(card) : null,
        textEl,
        result(card, s, n, more)),
      h('div', { class: 'side' }, commands.filter((c) => c.side).map((c) => ctx.button(c))));
    if (xrActive()) updateXr(`STEP ${n} OF ${steps.length}`, s.text);
    return {
      title: card.title,
      body,
      commands,
      nav: 'step',
      mounted: () => {
        const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
        fitText(textEl, Math.round(root * 1.6), Math.max(20, Math.round(root)));
        more.hidden = !textEl.classList.contains('scrolls');
      },
    };
  },
  enter(route) {
    const held = data.task(route.id);
    if (!held || Date.now() - (held._loadedAt || 0) > 15000) data.loadCard(route.id).catch(() => {});
  },
};
