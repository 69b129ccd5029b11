// The task card: what, where, priority, schedule, safety notes, progress,
// and the way into step mode.
import { h, htmlToText } from '../dom.js';
import * as data from '../data.js';
import { when, clock, priority, status, duration } from '../format.js';
import { scrollPage } from '../ui.js';

/** Seconds on tool now: the server's figure plus time since, while running. */
export function onTool(card) {
  let s = card.time_on_tool_seconds || 0;
  if (card.execution !== 'in_progress') return s;
  const last = [...(card.work_log || [])].reverse().find((e) => e.kind === 'started' || e.kind === 'resumed');
  if (last?.pending) return s + (Date.now() - Date.parse(last.at)) / 1000;
  return card._loadedAt ? s + (Date.now() - card._loadedAt) / 1000 : s;
}

/** The first step not done yet (1-based), or total + 1 when all are done. */
export function firstOpenStep(card) {
  const i = (card.step_list || []).findIndex((s) => !s.done);
  return i < 0 ? (card.step_list || []).length + 1 : i + 1;
}

/** Whether this technician may act on the task (assigned to them or nobody). */
export function mayAct(card, ctx) {
  return card.execution !== 'completed' && !card.stage?.done && (!card.assignee || !ctx.me || card.assignee.id === ctx.me.id);
}

/** Floor commands shared by the task card and step mode. */
export function floorCommands(card, ctx, { step } = {}) {
  const id = card.id;
  const cmds = [];
  if (!mayAct(card, ctx)) return cmds;
  if (card.execution === 'in_progress') cmds.push({ id: 'PAUSE', side: true, run: () => { ctx.act('pause', id); ctx.toast('TASK PAUSED', 'info', 2000); } });
  cmds.push({ id: 'NOTE', side: true, run: (text) => noteEntry(ctx, id, step, text) });
  cmds.push({ id: 'PHOTO', side: true, run: () => ctx.go({ name: 'camera', mode: 'photo', task: id, step, back: ctx.route }) });
  return cmds;
}

export function noteEntry(ctx, id, step, text) {
  const save = (value) => {
    if (step) ctx.act('step', id, { step, body: { note: value } });
    else ctx.act('note', id, { body: { text: value } });
    ctx.toast('NOTE SAVED', 'ok', 2000);
  };
  if (text) return save(text);
  ctx.openEntry({ title: step ? `NOTE FOR STEP ${step}` : 'NOTE ON THIS TASK', kind: 'text', saveLabel: 'SAVE NOTE', onSave: save,
    hint: 'Speak; your words are written here. Say SAVE NOTE when done.',
    dictate: (said, input) => { input.value = input.value ? `${input.value} ${said}` : said.charAt(0).toUpperCase() + said.slice(1); return true; } });
}

function tags(card) {
  const t = [
    h('span', { class: `tag ${card.priority >= 3 ? 'tag-danger' : ''}`, text: priority(card.priority) }),
    h('span', { class: 'tag', text: card.schedule_end && card.schedule_start ? `${when(card.schedule_start)}–${clock(new Date(card.schedule_end))}` : when(card.schedule_start) }),
    card.overdue ? h('span', { class: 'tag tag-warn', text: 'OVERDUE' }) : null,
    h('span', { class: 'tag tag-accent', text: status(card.execution) }),
    card.steps?.total ? h('span', { class: 'tag', text: `${card.steps.done} OF ${card.steps.total} STEPS` }) : null,
    card.execution !== 'not_started' ? h('span', { class: 'tag', text: `ON TOOL ${duration(onTool(card))}` }) : null,
    card.waiting ? h('span', { class: 'tag tag-sync', text: `${card.waiting} WAITING` }) : null,
  ];
  return h('div', { class: 'tags' }, t);
}

export function safetyBox(card) {
  if (!card.safety?.length) return null;
  return h('div', { class: 'safety', role: 'note' }, h('span', { class: 'safety-label', text: 'SAFETY' }),
    h('span', { class: 'safety-text', text: card.safety.map((t) => htmlToText(t).replace(/^(safety|warning|caution|danger|attention)\s*:\s*/i, '')).join(' · ') }));
}

export const task = {
  view(route, ctx) {
    const card = data.task(route.id);
    const row = card || data.listRow(route.id);
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    if (!row) {
      return { title: 'TASK', body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? 'LOADING…' : 'NOT ON THIS DEVICE' }),
        ctx.online ? null : h('p', { text: 'This task was not stored for offline use. It opens once Visor is reachable.' })), commands: [back] };
    }
    const code = row.equipment?.code;
    const commands = [];
    if (card && mayAct(card, ctx)) {
      const openSteps = () => ctx.go({ name: 'step', id: card.id, n: firstOpenStep(card), back: route.back });
      if (card.execution === 'not_started') {
        commands.push({ id: 'START', bar: true, primary: true, run: () => { ctx.act('start', card.id); ctx.toast('TASK STARTED', 'ok', 2000); openSteps(); } });
        commands.push({ id: 'NEXT', label: 'OPEN STEPS', run: openSteps, say: ['open steps', 'steps', 'step mode', 'show steps'] });
      } else if (card.execution === 'paused') {
        commands.push({ id: 'RESUME', bar: true, primary: true, run: () => { ctx.act('resume', card.id); openSteps(); } });
        commands.push({ id: 'NEXT', label: 'OPEN STEPS', run: openSteps, say: ['open steps', 'steps', 'step mode', 'show steps'] });
      } else {
        commands.push({ id: 'NEXT', label: 'OPEN STEPS', bar: true, primary: true, run: openSteps, say: ['open steps', 'steps', 'step mode', 'show steps', 'continue'] });
      }
      commands.push(...floorCommands(card, ctx));
      if (card.execution !== 'not_started') commands.push({ id: 'COMPLETE', run: () => ctx.go({ name: 'step', id: card.id, n: (card.step_list || []).length + 1, back: route.back }) });
    }
    commands.push(back);
    if (code) commands.push({ id: 'MACHINE', side: true, run: () => ctx.go({ name: 'machine', code, back: route }) });
    if (code) commands.push({ id: 'REPORT', run: () => ctx.go({ name: 'report', code, back: route }) });
    commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });

    const text = card ? (htmlToText(card.instructions?.summary) || htmlToText(card.description)) : '';
    const side = commands.filter((c) => c.side);
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel card-main', data: { card: card ? 'full' : 'row' } },
        h('h1', { class: 'task-title', text: row.title }),
        h('div', { class: 'meta', text: [row.equipment?.name, row.equipment?.location, code].filter(Boolean).join(' · ') || 'NO MACHINE' }),
        tags(card || row),
        card && !mayAct(card, ctx) && card.assignee && card.execution !== 'completed' ? h('div', { class: 'meta', text: `ASSIGNED TO ${card.assignee.name.toUpperCase()}` }) : null,
        card ? safetyBox(card) : h('div', { class: 'meta', text: ctx.online ? 'LOADING THE CARD…' : 'THE FULL CARD IS NOT ON THIS DEVICE' }),
        text ? h('div', { class: 'summary scrolls', text }) : null),
      side.length ? h('div', { class: 'side' }, side.map((c) => ctx.button(c))) : null);
    return { title: code ? `TASK · ${code}` : 'TASK', body, commands, nav: 'card' };
  },
  enter(route, ctx) {
    data.loadCard(route.id).catch((e) => { if (!e.offline && e.status === 404) { ctx.toast('This task no longer exists.', 'warn'); ctx.go({ name: 'work' }); } });
  },
};
