// Creating and editing a task: machine, type, priority, team and assignee,
// schedule (plant time) and duration, instructions in rich text with the
// glasses' steps previewed live, and recurrence for preventive work.
import { h, toast, debounce } from '../core/dom.js';
import { get, post, patch, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { navigate } from '../core/router.js';
import { toInput, fromInput, iso } from '../core/tz.js';
import { teams as loadTeams, technicians as loadTechs } from '../core/store.js';
import { field, select } from '../ui/common.js';
import { editor } from '../ui/editor.js';
import { stepsPreview } from '../ui/steps_preview.js';
import { setTitle } from '../ui/shell.js';

const HOUR = 3600e3;
const UNITS = ['day', 'week', 'month', 'year'];

function machinePicker(initial, onPick = () => {}) {
  const list = h('datalist', { id: 'machine-options' });
  const input = h('input', { list: 'machine-options', autocomplete: 'off', placeholder: t('form.machine_search'),
    value: initial ? `${initial.name} · ${initial.code}` : '' });
  const known = new Map();  // label → machine
  if (initial) known.set(input.value, initial);
  const refresh = debounce(async () => {
    const q = input.value.split(' · ')[0].trim();
    const res = await get(`/equipment${query({ q, limit: 12 })}`);
    list.replaceChildren(...res.items.map((m) => {
      const label = `${m.name} · ${m.code}`;
      known.set(label, m);
      return h('option', { value: label, translate: 'no' });
    }));
  }, 200);
  input.addEventListener('input', refresh);
  input.addEventListener('change', () => { const m = known.get(input.value); if (m) onPick(m); });
  input.addEventListener('input', () => { const m = known.get(input.value); if (m) onPick(m); });
  refresh();
  return {
    el: h('div', {}, input, list),
    input,
    /** The chosen machine's id; null when empty; undefined when the text matches none. */
    value() {
      if (!input.value.trim()) return null;
      return known.get(input.value)?.id;
    },
  };
}

export async function render(root, ctx) {
  const editing = ctx.params.id ? Number(ctx.params.id) : null;
  const preset = !editing && ctx.query.equipment ? Number(ctx.query.equipment) : null;
  const [teams, techs, task, presetMachine] = await Promise.all([loadTeams(), loadTechs(), editing ? get(`/tasks/${editing}`) : null,
    preset ? get(`/equipment/${preset}`).catch(() => null) : null]);
  setTitle(editing ? t('form.edit_title') : t('form.new_title'));
  const start0 = task?.schedule_start ? Date.parse(task.schedule_start) : null;
  const end0 = task?.schedule_end ? Date.parse(task.schedule_end) : null;

  const title = h('input', { required: true, maxlength: 200, value: task?.title || '' });
  let teamTouched = !!editing;
  const team = select([{ value: '', label: t('common.no_team') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))],
    editing ? task?.team_id ?? '' : presetMachine?.team_id ?? '');
  team.addEventListener('change', () => { teamTouched = true; });
  // The team shown is the team saved: picking a machine shows its team
  // (until the planner picks one), and "No team" saves none.
  const machine = machinePicker(task?.equipment || presetMachine, (m) => {
    if (!teamTouched) team.value = m.team_id ? String(m.team_id) : '';
  });
  const type = select(['corrective', 'preventive'].map((v) => ({ value: v, label: t(`type.${v}`) })), task?.type || ctx.query.type || 'corrective');
  const priority = select([0, 1, 2, 3].map((p) => ({ value: p, label: t(`priority.${p}`) })), task?.priority ?? 1);
  const assignee = select([{ value: '', label: t('task.unassigned') }, ...techs.map((u) => ({ value: u.id, label: u.name, raw: true }))],
    task?.assignee?.id ?? '');
  const start = h('input', { type: 'datetime-local', value: start0 ? toInput(start0) : '' });
  const duration = h('input', { type: 'number', min: '0.25', max: '720', step: '0.25',
    value: start0 && end0 ? String(Math.round(((end0 - start0) / HOUR) * 100) / 100) : '1' });
  // Descriptions from the CMMS are HTML: shown as text, sent back only if edited.
  const description = h('textarea', { rows: 3, translate: 'no' }, task?.description ? new DOMParser().parseFromString(task.description, 'text/html').body.textContent.trim() : '');
  let descriptionDirty = false;
  description.addEventListener('input', () => { descriptionDirty = true; });

  const preview = stepsPreview();
  let instructionsDirty = false;
  const ed = editor({ value: task?.instructions?.text || '', label: t('field.instructions'),
    onInput: () => { instructionsDirty = true; preview.update(ed.value()); } });
  preview.update(ed.value());

  const rec = task?.recurrence || {};
  const recEnabled = h('input', { type: 'checkbox', checked: !!rec.enabled });
  const recInterval = h('input', { type: 'number', min: '1', max: '1000', value: String(rec.interval || 1), class: 'narrow' });
  const recUnit = select(UNITS.map((u) => ({ value: u, label: t(`unit.every_${u}`) })), rec.unit || 'month');
  const recUntil = h('input', { type: 'date', value: rec.until || '' });
  const recBox = h('fieldset', { class: 'recurrence' }, h('legend', {}, t('form.recurrence')),
    h('label', { class: 'inline' }, recEnabled, t('form.repeat')),
    h('span', { class: 'inline' }, t('form.every'), recInterval, recUnit),
    h('label', { class: 'inline' }, t('form.until'), recUntil, h('span', { class: 'muted small' }, t('form.until_hint'))));
  const syncRec = () => { recBox.classList.toggle('is-off', !recEnabled.checked); };
  recEnabled.addEventListener('change', syncRec);
  type.addEventListener('change', () => { if (type.value === 'preventive' && !task) recEnabled.checked = true; syncRec(); });
  syncRec();

  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { class: 'btn btn-primary', type: 'submit' }, editing ? t('common.save') : t('form.create'));
  const form = h('form', { class: 'task-form', novalidate: true },
    h('div', { class: 'form-main' },
      field('field.title', title),
      h('div', { class: 'form-row' }, field('field.machine', machine.el), field('field.type', type), field('field.priority', priority)),
      h('div', { class: 'form-row' }, field('field.team', team), field('field.assignee', assignee)),
      h('div', { class: 'form-row' }, field('field.schedule_start', start, 'form.plant_time'), field('field.duration_hours', duration)),
      field('field.description', description),
      h('div', { class: 'field' }, h('label', {}, t('field.instructions')), ed.el, h('div', { class: 'hint' }, t('form.instructions_hint'))),
      recBox,
      error,
      h('div', { class: 'form-actions' }, save,
        h('a', { class: 'btn btn-ghost', href: editing ? `/tasks/${editing}` : '/tasks' }, t('common.cancel')))),
    preview.el);
  root.append(form);
  title.focus();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const equipmentId = machine.value();
    if (!title.value.trim()) { error.textContent = t('form.title_required'); return; }
    if (equipmentId === undefined) { error.textContent = t('form.machine_unknown'); return; }
    const startMs = fromInput(start.value);
    const hours = Number(duration.value);
    if (startMs !== null && !(hours > 0)) { error.textContent = t('form.duration_invalid'); return; }
    const body = {
      title: title.value.trim(),
      equipment_id: equipmentId,
      type: type.value,
      priority: Number(priority.value),
      team_id: team.value ? Number(team.value) : null,
      assignee_id: assignee.value ? Number(assignee.value) : null,
      schedule_start: startMs === null ? null : iso(startMs),
      schedule_end: startMs === null ? null : iso(startMs + hours * HOUR),
      recurrence: recEnabled.checked
        ? { enabled: true, interval: Number(recInterval.value) || 1, unit: recUnit.value,
          type: recUntil.value ? 'until' : 'forever', until: recUntil.value || null }
        : { enabled: false },
    };
    if (!editing || descriptionDirty) body.description = description.value.trim();
    if (!editing || instructionsDirty) body.instructions = ed.value() ? { kind: 'text', text: ed.value() } : null;
    save.disabled = true;
    try {
      const saved = editing
        ? await patch(`/tasks/${editing}`, body, { ifMatch: `v${task.version}` })
        : await post('/tasks', body);
      toast(editing ? t('form.saved') : t('form.created'), 'ok');
      navigate(`/tasks/${saved.id}`);
    } catch (err) {
      save.disabled = false;
      error.textContent = err.status === 412 ? t('error.stale') : err.message;
    }
  });
}
