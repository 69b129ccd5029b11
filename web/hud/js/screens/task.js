// The task card: what, where, safety notes (always whole), priority,
// schedule, progress, the description, the instructions' summary and an
// overview of the steps before START — and the way into step mode.
import { h, htmlToText } from '../dom.js';
import * as data from '../data.js';
import { when, clock, priority, status, duration } from '../format.js';
import { scrollPage } from '../ui.js';
import { t } from '../i18n.js';

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
  if (card.execution === 'in_progress') cmds.push({ id: 'PAUSE', side: true, run: () => { ctx.act('pause', id); ctx.toast(t('toast.paused'), 'info', 2000); } });
  cmds.push({ id: 'NOTE', side: true, run: (text) => noteEntry(ctx, id, step, text) });
  cmds.push({ id: 'PHOTO', side: true, run: () => ctx.go({ name: 'camera', mode: 'photo', task: id, step, back: ctx.route }) });
  return cmds;
}

export function noteEntry(ctx, id, step, text) {
  const save = (value) => {
    if (step) ctx.act('step', id, { step, body: { note: value } });
    else ctx.act('note', id, { body: { text: value } });
    ctx.toast(t('toast.note_saved'), 'ok', 2000);
  };
  if (text) return save(text);
  ctx.openEntry({ title: step ? t('note.title_step', { n: step }) : t('note.title_task'), kind: 'text', saveLabel: t('cmd.SAVE_NOTE'), onSave: save,
    hint: t('note.hint', { save: t('cmd.SAVE_NOTE') }),
    dictate: (said, input) => { input.value = input.value ? `${input.value} ${said}` : said.charAt(0).toUpperCase() + said.slice(1); return true; } });
}

function tags(card) {
  const tg = [
    h('span', { class: `tag ${card.priority >= 3 ? 'tag-danger' : ''}`, text: priority(card.priority) }),
    h('time', { class: 'tag', dateTime: card.schedule_start || null, text: card.schedule_end && card.schedule_start ? `${when(card.schedule_start)}–${clock(new Date(card.schedule_end))}` : when(card.schedule_start) }),
    card.overdue ? h('span', { class: 'tag tag-warn', text: t('tag.overdue') }) : null,
    h('span', { class: 'tag tag-accent', text: status(card.execution) }),
    card.steps?.total ? h('span', { class: 'tag', text: t('tag.steps_of', { done: card.steps.done, total: card.steps.total }) }) : null,
    card.execution !== 'not_started' ? h('span', { class: 'tag', text: t('tag.on_tool', { time: duration(onTool(card)) }) }) : null,
    card.waiting ? h('span', { class: 'tag tag-sync', text: t('tag.n_waiting', { n: card.waiting }) }) : null,
  ];
  return h('div', { class: 'tags' }, tg);
}

/** The safety notes, whole: never truncated, wrapped over as many lines as they need. */
export function safetyBox(card) {
  if (!card.safety?.length) return null;
  const notes = card.safety.map((s) => htmlToText(s).replace(/^(safety|warning|caution|danger|attention|sécurité|avertissement)\s*:\s*/i, ''));
  return h('div', { class: 'safety', role: 'note' }, h('span', { class: 'safety-label', text: t('card.safety') }),
    h('span', { class: 'safety-text', translate: 'no', text: notes.join(' · ') }));
}

/** "STEPS · 6" and each step in a line or two, done ones marked: what START leads into. */
function overview(card) {
  const steps = card.step_list || [];
  if (!steps.length) return null;
  return h('section', { class: 'card-section' },
    h('h2', { class: 'section-title', text: t('card.steps', { n: steps.length }) }),
    h('ol', { class: 'overview' }, steps.map((s) => h('li', { class: `overview-step ${s.done ? 'is-done' : ''}` },
      h('span', { class: 'num', text: String(s.number) }),
      h('span', { class: 'overview-text', translate: 'no', text: s.text }),
      s.done ? h('span', { class: 'tag tag-ok', text: t('tag.done') }) : null,
      s.wants_value && !s.done ? h('span', { class: 'tag tag-accent', text: s.unit ? t('tag.measure_unit', { unit: s.unit }) : t('tag.measure') }) : null))));
}

function section(titleKey, text, extraClass = '') {
  if (!text) return null;
  return h('section', { class: 'card-section' }, h('h2', { class: 'section-title', text: t(titleKey) }),
    h('p', { class: `card-text ${extraClass}`, translate: 'no', text }));
}

export const task = {
  view(route, ctx) {
    const card = data.task(route.id);
    const row = card || data.listRow(route.id);
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    if (!row) {
      return { title: t('title.task'), body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: ctx.online ? t('common.loading') : t('common.not_here') }),
        ctx.online ? null : h('p', { text: t('task.not_stored') })), commands: [back] };
    }
    const code = row.equipment?.code;
    const commands = [];
    const stepsCommand = (extra) => ({ id: 'NEXT', label: t('cmd.OPEN_STEPS'), say: t('say.OPEN_STEPS'), ...extra });
    if (card && mayAct(card, ctx)) {
      const openSteps = () => ctx.go({ name: 'step', id: card.id, n: firstOpenStep(card), back: route.back });
      if (card.execution === 'not_started') {
        commands.push({ id: 'START', bar: true, primary: true, run: () => { ctx.act('start', card.id); ctx.toast(t('toast.started'), 'ok', 2000); openSteps(); } });
        commands.push(stepsCommand({ run: openSteps }));
      } else if (card.execution === 'paused') {
        commands.push({ id: 'RESUME', bar: true, primary: true, run: () => { ctx.act('resume', card.id); openSteps(); } });
        commands.push(stepsCommand({ run: openSteps }));
      } else {
        commands.push(stepsCommand({ bar: true, primary: true, run: openSteps }));
      }
      commands.push(...floorCommands(card, ctx));
      if (card.execution !== 'not_started') commands.push({ id: 'COMPLETE', run: () => ctx.go({ name: 'step', id: card.id, n: (card.step_list || []).length + 1, back: route.back }) });
    }
    commands.push(back);
    if (code) commands.push({ id: 'MACHINE', side: true, run: () => ctx.go({ name: 'machine', code, back: route }) });
    if (code) commands.push({ id: 'REPORT', run: () => ctx.go({ name: 'report', code, back: route }) });
    commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });

    const side = commands.filter((c) => c.side);
    const machineLine = [row.equipment?.name, row.equipment?.location, code].filter(Boolean).join(' · ');
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel card-main scrolls', data: { card: card ? 'full' : 'row' } },
        h('h1', { class: 'task-title', translate: 'no', text: row.title }),
        machineLine ? h('div', { class: 'meta', translate: 'no', text: machineLine }) : h('div', { class: 'meta', text: t('task.no_machine') }),
        card ? safetyBox(card) : null,
        tags(card || row),
        card && !mayAct(card, ctx) && card.assignee && card.execution !== 'completed' ? h('div', { class: 'meta', text: t('task.assigned_to', { name: card.assignee.name.toUpperCase() }) }) : null,
        card ? null : h('div', { class: 'meta', text: ctx.online ? t('task.loading_card') : t('task.card_not_here') }),
        card ? section('card.description', htmlToText(card.description)) : null,
        card?.reporter_contact ? h('div', { class: 'meta wrap' }, h('span', { text: t('card.reported_by') }), ' ', h('span', { translate: 'no', text: card.reporter_contact })) : null,
        card ? section('card.instructions', htmlToText(card.instructions?.summary)) : null,
        card ? overview(card) : null),
      side.length ? h('div', { class: 'side' }, side.map((c) => ctx.button(c))) : null);
    return { title: code ? t('title.task_code', { code }) : t('title.task'), body, commands, nav: 'card' };
  },
  enter(route, ctx) {
    data.loadCard(route.id).catch((e) => { if (!e.offline && e.status === 404) { ctx.toast(t('toast.task_gone'), 'warn'); ctx.go({ name: 'work' }); } });
  },
};
