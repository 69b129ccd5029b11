// A machine, opened by scanning its QR label (or from a task): what it is,
// when it was last serviced, its notes (manuals, quirks), its open work
// (numbered, openable), its meters (READ METER records a reading, offline
// too; the meter's rules may create preventive work) and its history —
// whoever did the work.
import { h, htmlToText } from '../dom.js';
import * as data from '../data.js';
import { date, status, number, when } from '../format.js';
import { scrollPage } from '../ui.js';
import { taskRow } from './work.js';
import { t } from '../i18n.js';
import { parseNumber } from '../words.js';

const failures = new Map(); // code → message, for codes the server does not know

function fact(key, value) {
  if (!value) return null;
  return h('div', { class: 'fact' }, h('span', { class: 'fact-k', text: t(key) }), h('span', { class: 'fact-v', translate: 'no', text: value }));
}

/** "25 NOV 2026 · Quarterly service — Press 3 · ALICE MARTIN" */
function doneLine(item) {
  if (!item) return '';
  return [date(item.close_date || item.updated_at), item.title, item.assignee?.name?.toUpperCase()].filter(Boolean).join(' · ');
}

function historyRow(item) {
  const state = item.stage?.name || status(item.execution);
  return h('div', { class: 'history' },
    h('span', { class: 'item-title', translate: 'no', text: item.title }),
    h('span', { class: 'item-meta' },
      h('time', { class: 'item-when', dateTime: item.close_date || item.updated_at || null, text: date(item.close_date || item.updated_at) }),
      h('span', { class: `tag ${item.type === 'preventive' ? 'tag-ok' : 'tag-warn'}`, text: t(`type.${item.type === 'preventive' ? 'preventive' : 'corrective'}`) }),
      h('span', { class: 'item-where', translate: 'no', 'data-fit': 'ellipsis', text: [state, item.assignee?.name].filter(Boolean).join(' · ') })));
}

function meterRow(m) {
  const unit = m.unit ? ` ${m.unit}` : '';
  return h('div', { class: 'history meter', data: { meter: String(m.id) } },
    h('span', { class: 'item-title', translate: 'no', text: m.name }),
    h('span', { class: 'item-meta' },
      h('span', { class: 'tag tag-accent', text: m.last_value == null ? t('meter.none_yet') : t('meter.last', { value: `${number(m.last_value)}${unit}`, when: when(m.last_at) }) }),
      m.waiting ? h('span', { class: 'tag tag-sync', text: t('tag.waiting') }) : null));
}

/** READ METER: which meter (when there are several), then its value sheet. */
function readMeter(ctx, code, list) {
  const read = (m) => ctx.openEntry({
    title: t('meter.reading_title', { name: m.name.toUpperCase() }),
    facts: [[m.last_value == null ? t('meter.none_yet') : t('meter.last', { value: `${number(m.last_value)}${m.unit ? ` ${m.unit}` : ''}`, when: when(m.last_at) }), 'accent']],
    hint: t(ctx.profile === 'phone' ? 'value.hint_touch' : 'value.hint', { save: t('cmd.SAVE_READING') }),
    kind: 'number',
    saveLabel: t('cmd.SAVE_READING'),
    validate: (v) => (parseNumber(v) === null ? t('value.not_a_number', { text: v }) : null),
    dictate: (said, input) => {
      const num = parseNumber(said);
      if (num === null) { ctx.toast(t('value.not_a_number', { text: said }), 'warn', 2500); return false; }
      input.value = num;
      return true;
    },
    onSave: (v) => {
      const value = parseNumber(v);
      ctx.act('reading', null, { meter_id: m.id, code, value });
      ctx.toast(t('meter.saved', { value: `${number(value)}${m.unit ? ` ${m.unit}` : ''}` }), 'ok', 2500);
    },
  });
  if (!list.length) { ctx.toast(t('meter.no_meters'), 'warn'); return; }
  if (list.length === 1) { read(list[0]); return; }
  ctx.openPicker({ title: t('meter.which'), hint: t('choice.hint', { cmd: t('cmd.OPTION') }),
    items: list.map((m) => ({ label: m.name, detail: m.unit })), onPick: (i) => read(list[i]) });
}

export const machine = {
  view(route, ctx) {
    const m = data.machine(route.code);
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    const report = { id: 'REPORT', bar: true, primary: true, run: () => ctx.go({ name: 'report', code: route.code, back: route }) };
    if (!m) {
      const failed = failures.get(route.code);
      return {
        title: t('title.machine', { code: route.code }),
        body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: failed ? t('machine.not_found') : ctx.online ? t('common.loading') : t('common.not_here') }),
          failed ? h('p', { translate: 'no', text: failed }) : ctx.online ? null : h('p', { text: t('machine.offline_hint') })),
        commands: failed ? [back] : [report, back],
      };
    }
    const open = m.open_tasks || [];
    const past = data.machineHistory(route.code);
    const history = (past?.items || m.history || []).slice(0, 8);
    const pick = (n) => {
      const row = n ? open[n - 1] : open.find((x) => `task-${x.id}` === document.activeElement?.dataset?.key);
      if (row) ctx.go({ name: 'task', id: row.id, back: route });
      else ctx.toast(n ? t('toast.no_number', { n }) : t('toast.nothing_to_open'), 'warn');
    };
    const notes = htmlToText(m.note);
    const meterList = data.meters(route.code);
    const body = h('div', { class: 'list scroller' },
      h('div', { class: 'panel machine-head' },
        h('h1', { class: 'task-title', translate: 'no', text: m.name }),
        h('div', { class: 'meta wrap', translate: 'no', text: [m.code, m.location, m.category_name].filter(Boolean).join(' · ') }),
        h('div', { class: 'facts' },
          fact('machine.last_done', doneLine(past?.last_done) || (past ? t('machine.never') : '')),
          fact('machine.last_preventive', doneLine(past?.last_preventive)),
          fact('machine.model', [m.model, m.serial_no].filter(Boolean).join(' · ')),
          fact('machine.responsible', past?.technician?.name),
          fact('machine.team', past?.team?.name))),
      notes ? h('section', { class: 'group' }, h('h2', { class: 'group-title', text: t('machine.notes') }),
        h('p', { class: 'panel card-text', translate: 'no', text: notes })) : null,
      h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: t('machine.open_work', { n: open.length }) }),
        open.length ? open.map((row, i) => taskRow(row, i + 1, { who: true })) : h('div', { class: 'meta pad', text: t('machine.no_open_work') })),
      meterList?.length ? h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: t('meter.title') }), meterList.map(meterRow)) : null,
      h('section', { class: 'group' },
        h('h2', { class: 'group-title', text: t('machine.history') }),
        history.length ? history.map(historyRow) : h('div', { class: 'meta pad', text: past || !ctx.online ? t('machine.no_history') : t('common.loading') })));
    return {
      title: t('title.machine', { code: m.code }),
      body,
      nav: 'list',
      commands: [
        { id: 'SELECT', run: pick },
        report,
        back,
        ...(meterList?.length ? [{ id: 'METER', bar: true, run: () => readMeter(ctx, route.code, meterList) }] : []),
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
