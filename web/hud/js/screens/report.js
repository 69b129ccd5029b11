// REPORT PROBLEM on a machine (from its page, a task, or after scanning its
// label): a corrective task for the planners. Say the problem (dictation
// fills the field) or pick a common one by number; SEND REPORT.
import { h } from '../dom.js';
import * as data from '../data.js';

export const COMMON_PROBLEMS = ['Leak', 'Strange noise', 'Overheating', 'Will not start', 'Vibration', 'Safety hazard'];

function machineCode(route) {
  if (route.code) return route.code;
  const b = route.back;
  if (b && (b.name === 'task' || b.name === 'step')) return data.task(b.id)?.equipment?.code || data.listRow(b.id)?.equipment?.code || null;
  if (b && b.name === 'machine') return b.code;
  return null;
}

export const report = {
  view(route, ctx) {
    const code = machineCode(route);
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    if (!code) {
      return {
        title: 'REPORT A PROBLEM',
        body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: 'WHICH MACHINE?' }),
          h('p', { text: "Scan the machine's QR label to report a problem on it." })),
        commands: [{ id: 'SCAN', bar: true, primary: true, run: () => ctx.go({ name: 'camera', mode: 'scan', then: 'report', back: route.back }) }, back],
      };
    }
    route.title ??= '';
    route.details ??= '';
    route.urgent ??= false;
    const m = data.machine(code);
    const title = h('input', { class: 'field', type: 'text', maxLength: 200, autocomplete: 'off', value: route.title, placeholder: 'SAY OR TYPE THE PROBLEM', 'aria-label': 'Problem', data: { nav: '', key: 'report-title' } });
    const details = h('textarea', { class: 'field', rows: 2, maxLength: 4000, value: route.details, placeholder: 'DETAILS (OPTIONAL)', 'aria-label': 'Details', data: { nav: '', key: 'report-details' } });
    title.addEventListener('input', () => { route.title = title.value; });
    details.addEventListener('input', () => { route.details = details.value; });
    title.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); send(); } });
    const send = () => {
      const t = (route.title || '').trim();
      if (!t) { ctx.toast('Say or type the problem first.', 'warn'); title.focus(); return; }
      ctx.act('report', null, { body: { equipment_code: code, title: t, description: route.details.trim(), priority: route.urgent ? 3 : 2 } });
      ctx.announce(ctx.online ? 'REPORT SENT' : 'REPORT SAVED · SENT WHEN ONLINE', 'ok', 'Report sent.');
      ctx.go(route.back || { name: 'work' });
    };
    const pick = (n) => {
      const p = COMMON_PROBLEMS[n - 1];
      if (!p) { ctx.toast(`There is no number ${n}.`, 'warn'); return; }
      route.title = p;
      ctx.render();
    };
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel form' },
        h('div', { class: 'meta', text: m ? `${m.name} · ${m.location || ''} · ${code}` : `MACHINE ${code}` }),
        title,
        details,
        h('div', { class: 'chips scroller' }, COMMON_PROBLEMS.map((p, i) => h('button', { type: 'button', class: 'chip', data: { cmd: 'SELECT', arg: String(i + 1), nav: '', key: `problem-${i}` } },
          h('span', { class: 'num', text: String(i + 1) }), p.toUpperCase())))),
      h('div', { class: 'side' }, ctx.button({ id: 'URGENT', label: route.urgent ? 'NOT URGENT' : 'MARK URGENT', tone: route.urgent ? 'danger' : '' })));
    return {
      title: 'REPORT A PROBLEM',
      body,
      nav: 'form',
      focus: route.title ? 'cmd-SAVE' : 'report-title',
      commands: [
        { id: 'SAVE', label: 'SEND REPORT', say: ['send report', 'send', 'report it'], bar: true, primary: true, run: send },
        back,
        { id: 'SELECT', run: pick },
        { id: 'URGENT', label: route.urgent ? 'NOT URGENT' : 'MARK URGENT', run: () => { route.urgent = !route.urgent; ctx.render(); } },
        { id: 'CLEAR', run: () => { route.title = ''; route.details = ''; ctx.render(); } },
      ],
      // Speech that is not a command is the problem (or its details, when that field has focus).
      dictation: (said) => {
        const text = said.charAt(0).toUpperCase() + said.slice(1);
        if (document.activeElement === details) route.details = route.details ? `${route.details} ${said}` : text;
        else route.title = text.slice(0, 200);
        ctx.render();
        return true;
      },
    };
  },
  enter(route) {
    const code = machineCode(route);
    if (code && !data.machine(code)) data.loadMachine(code).catch(() => {});
  },
};
