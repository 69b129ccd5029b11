// A machine, opened by scanning its QR label (or from a task): its open
// tasks (numbered, openable) and recent history.
import { h } from '../dom.js';
import * as data from '../data.js';
import { when, status, priority } from '../format.js';
import { scrollPage } from '../ui.js';

const failures = new Map(); // code → message, for codes the server does not know

function row(t, n) {
  return h('button', { type: 'button', class: 'item', data: { cmd: 'SELECT', arg: String(n), key: `task-${t.id}`, nav: '' } },
    h('span', { class: 'num', text: String(n) }),
    h('span', { class: 'item-main' },
      h('span', { class: 'item-title', text: t.title }),
      h('span', { class: 'item-meta', text: `${t.assignee ? t.assignee.name : 'UNASSIGNED'} · ${when(t.schedule_start)}` })),
    h('span', { class: 'item-tags' },
      t.priority >= 3 ? h('span', { class: 'tag tag-danger', text: priority(t.priority) }) : null,
      h('span', { class: 'tag tag-accent', text: status(t.execution) })));
}

export const machine = {
  view(route, ctx) {
    const m = data.machine(route.code);
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    const report = { id: 'REPORT', bar: true, primary: true, run: () => ctx.go({ name: 'report', code: route.code, back: route }) };
    if (!m) {
      const failed = failures.get(route.code);
      return {
        title: `MACHINE · ${route.code}`,
        body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: failed ? 'MACHINE NOT FOUND' : ctx.online ? 'LOADING…' : 'NOT ON THIS DEVICE' }),
          h('p', { text: failed || (ctx.online ? '' : 'Connect to Visor to open this machine.') })),
        commands: failed ? [back] : [report, back],
      };
    }
    const open = m.open_tasks || [];
    const history = (m.history || []).slice(0, 6);
    const pick = (n) => {
      const t = n ? open[n - 1] : open.find((x) => `task-${x.id}` === document.activeElement?.dataset?.key);
      if (t) ctx.go({ name: 'task', id: t.id, back: route });
      else ctx.toast(n ? `There is no number ${n}.` : 'Nothing to open.', 'warn');
    };
    const body = h('div', { class: 'list scroller' },
      h('div', { class: 'panel machine-head' },
        h('h1', { class: 'task-title', text: m.name }),
        h('div', { class: 'meta', text: [m.code, m.location, m.category_name, m.model].filter(Boolean).join(' · ') })),
      h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: `OPEN WORK · ${open.length}` }),
        open.length ? open.map((t, i) => row(t, i + 1)) : h('div', { class: 'meta pad', text: 'No open work on this machine.' })),
      history.length ? h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: 'RECENT HISTORY' }),
        history.map((t) => h('div', { class: 'history' },
          h('span', { class: 'item-title', text: t.title }),
          h('span', { class: 'item-meta', text: `${t.close_date || when(t.schedule_start)} · ${t.stage?.name || status(t.execution)}` })))) : null);
    return {
      title: `MACHINE · ${m.code}`,
      body,
      nav: 'list',
      commands: [
        { id: 'SELECT', run: pick },
        report,
        back,
        { id: 'SCROLL_DOWN', run: () => scrollPage(1) },
        { id: 'SCROLL_UP', run: () => scrollPage(-1) },
      ],
    };
  },
  enter(route, ctx) {
    failures.delete(route.code);
    data.loadMachine(route.code).catch((e) => {
      if (e.offline) return;
      failures.set(route.code, e.message);
      ctx.render();
    });
  },
};
