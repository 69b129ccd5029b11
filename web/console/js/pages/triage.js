// The inbox of faults reported from the floor — from glasses, the public
// form on a machine's QR label, or the API. Each report waits here until a
// planner approves it (assigns, schedules, sets its priority and stage),
// rejects it with a reason, or merges it into a task that already covers
// the fault. Every decision reaches the CMMS (stage or archive, and a note).
// The list follows the live stream; older reports come a page at a time.
import { h, clear, raw, toast, throttle } from '../core/dom.js';
import { get, post, query } from '../core/api.js';
import { t, shortDateTime } from '../core/i18n.js';
import { on } from '../core/live.js';
import { setQuery } from '../core/router.js';
import { fromInput, iso } from '../core/tz.js';
import { stages as loadStages, technicians as loadTechs } from '../core/store.js';
import { select, field, priorityBadge, whenRelative, htmlText, empty, loading } from '../ui/common.js';

const STATES = ['pending', 'approved', 'rejected', 'merged'];
const HOUR = 3600e3;

/** Where a report came from, in words. */
function sourceText(tr) {
  if (tr.source === 'glasses') return tr.device_name ? t('triage.source.glasses_named', { name: tr.device_name }) : t('triage.source.glasses');
  return t(`triage.source.${tr.source}`);
}

export async function render(root, ctx) {
  const [stages, techs] = await Promise.all([loadStages(), loadTechs()]);
  let state = STATES.includes(ctx.query.state) ? ctx.query.state : 'pending';
  let cursor = null;
  let seq = 0;
  const list = h('div', { class: 'triage-list', 'aria-live': 'polite' });
  const more = h('button', { class: 'btn hidden', type: 'button', on: { click: () => load(false) } }, t('common.load_more'));
  const tabs = h('div', { class: 'segmented triage-tabs', role: 'tablist' }, STATES.map((s) => h('button', {
    class: ['btn', 'seg'], type: 'button', role: 'tab', dataset: { state: s }, 'aria-selected': String(s === state),
    on: { click: () => { state = s; load(true); } } }, h('span', {}, t(`triage.state.${s}`)), s === 'pending' ? h('span', { class: 'tab-count' }) : null)));
  root.append(h('div', { class: 'toolbar' }, tabs, h('span', { class: 'muted small' }, t('triage.hint'))), list, h('div', { class: 'table-foot' }, more));

  // The stage an approved report moves to: the first open stage after the
  // one it was reported in (Odoo's "New Request" → the next), else its own.
  const open = stages.filter((s) => !s.done);
  const nextStage = (current) => {
    const i = open.findIndex((s) => s.id === current);
    return (i >= 0 && open[i + 1] ? open[i + 1] : open.find((s) => s.id === current) || open[0])?.id;
  };

  function approveForm(item, done) {
    const assignee = select([{ value: '', label: t('task.unassigned') }, ...techs.map((u) => ({ value: u.id, label: u.name, raw: true }))], '');
    const start = h('input', { type: 'datetime-local' });
    const duration = h('input', { type: 'number', min: '0.25', max: '720', step: '0.25', value: '1', class: 'narrow' });
    const priority = select([0, 1, 2, 3].map((p) => ({ value: p, label: t(`priority.${p}`) })), item.priority);
    const stage = select(open.map((s) => ({ value: s.id, label: s.name, raw: true })), nextStage(item.stage.id));
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'triage-form', dataset: { form: 'approve' } },
      h('div', { class: 'form-row' }, field('field.assignee', assignee), field('field.schedule_start', start, 'form.plant_time'),
        field('field.duration_hours', duration), field('field.priority', priority), field('field.stage', stage)),
      error,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('triage.approve_confirm')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => form.remove() } }, t('common.cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      const startMs = fromInput(start.value);
      const hours = Number(duration.value);
      if (startMs !== null && !(hours > 0)) { error.textContent = t('form.duration_invalid'); return; }
      const body = { assignee_id: assignee.value ? Number(assignee.value) : null, priority: Number(priority.value), stage_id: Number(stage.value) };
      if (startMs !== null) Object.assign(body, { schedule_start: iso(startMs), schedule_end: iso(startMs + hours * HOUR) });
      try {
        const task = await post(`/triage/${item.id}/approve`, body);
        done(t('triage.approved', {
          who: task.assignee ? task.assignee.name : t('task.unassigned'),
          when: task.schedule_start ? shortDateTime(task.schedule_start) : t('task.unscheduled'),
        }));
      } catch (err) {
        error.textContent = err.message;
      }
    });
    return form;
  }

  function rejectForm(item, done) {
    const reason = h('textarea', { rows: 2, maxlength: 500, required: true, placeholder: t('triage.reason_placeholder') });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'triage-form', novalidate: true, dataset: { form: 'reject' } }, field('triage.reason', reason), error,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-danger', type: 'submit' }, t('triage.reject_confirm')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => form.remove() } }, t('common.cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) { error.textContent = t('triage.reason_required'); return; }
      try {
        await post(`/triage/${item.id}/reject`, { reason: reason.value.trim() });
        done(t('triage.rejected'));
      } catch (err) {
        error.textContent = err.message;
      }
    });
    return form;
  }

  function mergeForm(item, done) {
    const candidates = h('div', { class: 'merge-candidates' }, loading());
    const search = h('input', { type: 'search', class: 'search', placeholder: t('triage.merge_search'), 'aria-label': t('triage.merge_search') });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'triage-form', dataset: { form: 'merge' } },
      h('p', { class: 'small muted' }, t('triage.merge_hint')), search, candidates, error,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('triage.merge_confirm')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => form.remove() } }, t('common.cancel'))));
    const fill = async () => {
      const q = search.value.trim();
      const params = q ? { q, limit: 20 } : { equipment: item.equipment?.id, limit: 20 };
      const page = await get(`/tasks${query({ ...params, sort: 'newest' })}`);
      const options = page.items.filter((x) => x.id !== item.id);
      clear(candidates).append(...(options.length ? options.map((x) => h('label', { class: 'merge-option', dataset: { id: x.id } },
        h('input', { type: 'radio', name: `merge-${item.id}`, value: x.id }), ' ', raw(x.title, 'strong'), ' ',
        x.equipment ? raw(x.equipment.name, 'span', { class: 'muted small' }) : null, ' ',
        x.assignee ? raw(x.assignee.name, 'span', { class: 'muted small' }) : null)) : [empty('triage.merge_none')]));
    };
    let timer;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(fill, 200); });
    fill().catch((e) => { error.textContent = e.message; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = form.querySelector('input[type=radio]:checked');
      if (!chosen) { error.textContent = t('triage.merge_choose'); return; }
      try {
        const target = await post(`/triage/${item.id}/merge`, { into_task_id: Number(chosen.value) });
        done(t('triage.merged', { title: target.title }));
      } catch (err) {
        error.textContent = err.message;
      }
    });
    return form;
  }

  function itemEl(item) {
    const tr = item.triage;
    const who = tr.reporter ? tr.reporter.name : tr.contact;
    const el = h('article', { class: ['triage-item', `prio-edge-${item.priority}`], dataset: { id: item.id, source: tr.source } },
      h('header', { class: 'triage-head' },
        h('div', {}, h('a', { href: `/tasks/${item.id}`, class: 'triage-title' }, raw(item.title)),
          h('div', { class: 'small muted' }, item.equipment ? [raw(`${item.equipment.name} · ${item.equipment.code}`), ' · '] : null,
            h('span', { class: 'pill pill-source' }, sourceText(tr)), ' ', who ? raw(who) : null, ' · ', whenRelative(tr.reported_at))),
        priorityBadge(item.priority)),
      item.description ? htmlText(item.description, 'div', { class: 'triage-description' }) : h('p', { class: 'muted small' }, t('triage.no_description')));
    if (state === 'pending') {
      const slot = h('div', { class: 'triage-slot' });
      const done = (message) => {
        toast(message, 'ok', 5000);
        el.remove();
        if (!list.querySelector('.triage-item')) list.append(empty('triage.none.pending'));
      };
      const open2 = (make) => () => clear(slot).append(make(item, done));
      el.append(h('div', { class: 'triage-actions' },
        h('button', { class: 'btn btn-primary btn-small', type: 'button', dataset: { action: 'approve' }, on: { click: open2(approveForm) } }, t('triage.approve')),
        h('button', { class: 'btn btn-small', type: 'button', dataset: { action: 'merge' }, on: { click: open2(mergeForm) } }, t('triage.merge')),
        h('button', { class: 'btn btn-small btn-danger-ghost', type: 'button', dataset: { action: 'reject' }, on: { click: open2(rejectForm) } }, t('triage.reject'))),
      slot);
    } else {
      el.append(h('p', { class: 'small triage-decision' }, t(`triage.decided.${state}`, { who: tr.decided_by?.name || '—', when: shortDateTime(tr.decided_at) }),
        tr.reason ? [' — ', raw(tr.reason, 'q')] : null,
        tr.merged_into ? [' ', h('a', { href: `/tasks/${tr.merged_into}` }, t('triage.open_merged'))] : null));
    }
    return el;
  }

  function setCount(pending) {
    const badge = tabs.querySelector('.tab-count');
    badge.textContent = pending ? String(pending) : '';
    badge.dataset.count = String(pending);
  }

  async function load(reset) {
    const mine = ++seq;
    if (reset) {
      cursor = null;
      setQuery({ state: state === 'pending' ? '' : state });
      for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.state === state));
      clear(list).append(loading());
    }
    const page = await get(`/triage${query({ state, cursor, limit: 25 })}`);
    if (mine !== seq || ctx.stale) return;
    if (reset) clear(list);
    for (const item of page.items) list.append(itemEl(item));
    if (!list.querySelector('.triage-item')) list.append(empty(`triage.none.${state}`));
    cursor = page.next_cursor;
    more.classList.toggle('hidden', !cursor);
    setCount(page.pending);
  }

  // A new report, or a decision taken elsewhere: the pending list reloads
  // (unless a decision is being written here).
  const refresh = throttle(() => {
    if (state !== 'pending' || list.querySelector('.triage-form')) return;
    load(true).catch(() => {});
  }, 1000);
  ctx.cleanup(on('triage.changed', (data) => { setCount(data.pending); refresh(); }));
  ctx.cleanup(() => refresh.cancel());
  await load(true);
}
