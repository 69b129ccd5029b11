// REPORT PROBLEM on a machine (from its page, a task, or after scanning its
// label): a corrective task for the planners. Say the problem (dictation
// fills the field) or pick a common one by number; SEND REPORT.
import { h } from '../dom.js';
import * as data from '../data.js';
import { hfSay } from '../ui.js';
import { t } from '../i18n.js';

/** Catalogue keys of the common problems offered by number. */
export const COMMON_PROBLEMS = ['problem.leak', 'problem.noise', 'problem.heat', 'problem.no_start', 'problem.vibration', 'problem.hazard'];

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
        title: t('title.report'),
        body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: t('report.which') }),
          h('p', { text: t('report.which_hint') })),
        commands: [{ id: 'SCAN', bar: true, primary: true, run: () => ctx.go({ name: 'camera', mode: 'scan', then: 'report', back: route.back }) }, back],
      };
    }
    route.title ??= '';
    route.details ??= '';
    route.urgent ??= false;
    const m = data.machine(code);
    const titlePlaceholder = t('report.title_placeholder');
    const detailsPlaceholder = t('report.details_placeholder');
    const title = h('input', { class: 'field', type: 'text', maxLength: 200, autocomplete: 'off', value: route.title, placeholder: titlePlaceholder, title: hfSay(titlePlaceholder), 'aria-label': t('report.title_label'), data: { nav: '', key: 'report-title' } });
    const details = h('textarea', { class: 'field', rows: 2, maxLength: 4000, value: route.details, placeholder: detailsPlaceholder, title: hfSay(detailsPlaceholder), 'aria-label': t('report.details_label'), data: { nav: '', key: 'report-details' } });
    title.addEventListener('input', () => { route.title = title.value; });
    details.addEventListener('input', () => { route.details = details.value; });
    title.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); send(); } });
    const send = () => {
      const text = (route.title || '').trim();
      if (!text) { ctx.toast(t('report.title_first'), 'warn'); title.focus(); return; }
      ctx.act('report', null, { body: { equipment_code: code, title: text, description: route.details.trim(), priority: route.urgent ? 3 : 2 } });
      ctx.announce(ctx.online ? t('report.sent') : t('report.saved_offline'), 'ok', t('report.sent_spoken'));
      ctx.go(route.back || { name: 'work' });
    };
    const pick = (n) => {
      const key = COMMON_PROBLEMS[n - 1];
      if (!key) { ctx.toast(t('toast.no_number', { n }), 'warn'); return; }
      route.title = t(key);
      ctx.render();
    };
    const urgent = { id: 'URGENT', label: route.urgent ? t('cmd.NOT_URGENT') : undefined, say: route.urgent ? t('say.NOT_URGENT') : undefined, tone: route.urgent ? 'danger' : '', run: () => { route.urgent = !route.urgent; ctx.render(); } };
    const open = t('cmd.SELECT');
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel form scrolls' },
        h('div', { class: 'meta wrap', translate: 'no', text: m ? [m.name, m.location, code].filter(Boolean).join(' · ') : code }),
        title,
        details,
        h('div', { class: 'chips' }, COMMON_PROBLEMS.map((key, i) => h('button', { type: 'button', class: 'chip', title: hfSay(`${open} ${i + 1}`), data: { cmd: 'SELECT', arg: String(i + 1), nav: '', key: `problem-${i}` } },
          h('span', { class: 'num', text: String(i + 1) }), h('span', { text: t(key).toUpperCase() }))))),
      h('div', { class: 'side' }, ctx.button(urgent)));
    return {
      title: t('title.report'),
      body,
      nav: 'form',
      focus: route.title ? 'cmd-SAVE' : 'report-title',
      commands: [
        { id: 'SAVE', label: t('cmd.SEND_REPORT'), say: t('say.SEND_REPORT'), bar: true, primary: true, run: send },
        back,
        { id: 'SELECT', run: pick },
        urgent,
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
