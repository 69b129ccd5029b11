// What the HUD knows: my open tasks, task cards, machines — as the server
// last sent them (kept in IndexedDB for offline use) with the actions still
// waiting in the outbox applied on top. Views read through `task()` and
// `myTasks()`, so optimistic state and server truth never drift apart.
import { api } from './api.js';
import { kv } from './store.js';
import { pending, pendingFor } from './queue.js';

const LIST_URL = '/api/v1/tasks?assignee=me&sort=schedule&limit=200';
const state = { list: null, listEtag: null, cards: new Map(), machines: new Map(), histories: new Map(), meters: new Map(), codes: null };
const listeners = new Set();

export function onData(fn) { listeners.add(fn); }
function emit(what, id) { for (const fn of listeners) fn(what, id); }

// ---- optimistic application of waiting actions ----------------------------

function applyToCard(card, a) {
  const logged = card.work_log.some((e) => e.client_action_id === a.id);
  const log = (kind, extra = {}) => {
    if (!logged) card.work_log.push({ id: `local-${a.id}`, kind, at: a.at, step: null, text: '', value: '', pending: true, client_action_id: a.id, ...extra });
  };
  switch (a.kind) {
    case 'start': case 'resume': card.execution = 'in_progress'; log(a.kind === 'start' ? 'started' : 'resumed'); break;
    case 'pause': card.execution = 'paused'; log('paused'); break;
    case 'complete':
      card.execution = 'completed';
      log('completed');
      if (a.body?.signature) { card.procedure = { ...(card.procedure || {}), signature: a.body.signature }; log('signed_off', { text: a.body.signature }); }
      if (a.body?.problem_id || a.body?.cause_id || a.body?.remedy_id) card.failure = card.failure || { pending: true };
      break;
    case 'step': {
      const s = card.step_list?.[a.step - 1];
      if (!s) break;
      if (a.body.value !== undefined) s.value = a.body.value;
      if (a.body.note !== undefined) s.note = a.body.note;
      if (a.body.done !== undefined) { s.done = a.body.done; s.done_at = a.body.done ? a.at : null; }
      s.pending = true;
      log(a.body.done ? 'step_done' : a.body.value !== undefined ? 'measurement' : 'note', { step: a.step, value: a.body.value || '', text: a.body.note || '' });
      break;
    }
    case 'note': log('note', { text: a.body.text }); break;
    case 'followup': {
      const s = card.step_list?.[a.step - 1];
      if (s && !s.follow_up) s.follow_up = 'pending';
      log('follow_up', { step: a.step });
      break;
    }
    case 'failure': card.failure = card.failure || { pending: true }; break;
    case 'photo': log('photo', { step: a.step || null, local_url: a.localUrl || null }); break;
    default: break;
  }
  if (card.step_list) card.steps = { total: card.step_list.length, done: card.step_list.filter((s) => s.done).length };
}

function applyToRow(row, actions) {
  const r = { ...row, steps: { ...row.steps } };
  const doneSteps = new Map();
  for (const a of actions) {
    if (a.kind === 'start' || a.kind === 'resume') r.execution = 'in_progress';
    else if (a.kind === 'pause') r.execution = 'paused';
    else if (a.kind === 'complete') r.execution = 'completed';
    else if (a.kind === 'step' && a.body.done !== undefined) doneSteps.set(a.step, a.body.done);
  }
  const card = state.cards.get(row.id);
  if (card && doneSteps.size) r.steps.done = task(row.id).steps.done;
  else if (doneSteps.size) r.steps.done = Math.min(r.steps.total, r.steps.done + [...doneSteps.values()].filter(Boolean).length);
  r.waiting = actions.length;
  return r;
}

/** The task card as the technician should see it now, or null if unknown here. */
export function task(id) {
  const server = state.cards.get(id);
  if (!server) return null;
  const card = structuredClone(server);
  for (const a of pendingFor(id)) applyToCard(card, a);
  card.waiting = pendingFor(id).length;
  return card;
}

/** My open tasks (server order), with waiting actions applied; completed ones drop out. */
export function myTasks() {
  if (!state.list) return null;
  return state.list.map((row) => applyToRow(row, pendingFor(row.id))).filter((r) => r.execution !== 'completed' && !r.stage?.done);
}

export function listRow(id) { return state.list?.find((r) => r.id === id) || null; }
export function machine(code) { return state.machines.get(code) || null; }
/** A machine's service history (every technician's work, last done, last preventive), or null. */
export function machineHistory(code) { return state.histories.get(code) || null; }

// ---- loading ---------------------------------------------------------------

export async function loadCached() {
  const saved = await kv.get('list');
  if (saved && !state.list) { state.list = saved.items; state.listEtag = saved.etag; }
  const ids = (saved?.items || []).map((r) => r.id);
  for (const a of pending) if (a.task_id && !ids.includes(a.task_id)) ids.push(a.task_id);
  await Promise.all(ids.map(async (id) => {
    const c = await kv.get(`card:${id}`);
    if (c && !state.cards.has(id)) state.cards.set(id, c);
  }));
  if (state.list) emit('list');
}

const removedAt = new Map(); // task id → when a live event removed it

export async function refreshList() {
  const sentAt = Date.now();
  const res = await api('GET', LIST_URL, { etag: state.list ? state.listEtag : undefined });
  if (res.status === 304) return false;
  // An answer may be older than what arrived meanwhile (an action's result, an event): newer wins.
  state.list = res.json.items
    .filter((r) => !(removedAt.get(r.id) > sentAt))
    .map((r) => {
      const c = state.cards.get(r.id);
      return c && (c._loadedAt > sentAt || c.version > r.version) ? rowOf(c) : r;
    });
  state.listEtag = res.etag;
  await kv.set('list', { items: state.list, etag: res.etag, at: Date.now() });
  emit('list');
  prefetchCards();
  return true;
}

/** Fetches a card (conditional on what we hold); throws when offline and unknown. */
export async function loadCard(id) {
  const held = state.cards.get(id);
  const res = await api('GET', `/api/v1/tasks/${id}`, { etag: held?._etag });
  if (res.status === 304) return held;
  setServerCard(res.json, res.etag);
  return res.json;
}

/** Stores the server's view of a card (from a GET or an action's answer). */
export function setServerCard(card, etag) {
  if (!card || typeof card.id !== 'number') return;
  if (etag) card._etag = etag;
  card._loadedAt = Date.now();
  state.cards.set(card.id, card);
  kv.set(`card:${card.id}`, card).catch(() => {});
  if (state.list) {
    const i = state.list.findIndex((r) => r.id === card.id);
    const row = rowOf(card);
    if (i >= 0) state.list[i] = row;
    saveList();
  }
  emit('card', card.id);
}

function rowOf(card) {
  const keys = ['id', 'odoo_id', 'title', 'priority', 'type', 'execution', 'stage', 'equipment', 'assignee', 'team_id',
    'schedule_start', 'schedule_end', 'request_date', 'close_date', 'archived', 'overdue', 'steps', 'version', 'updated_at'];
  return Object.fromEntries(keys.map((k) => [k, card[k]]));
}

// Rows merged from newer cards and events keep the list's ETag: a 304 then
// means "nothing changed on the server since", and our copy is at least as new.
function saveList() {
  kv.set('list', { items: state.list, etag: state.listEtag, at: Date.now() }).catch(() => {});
}

const KEPT_OFFLINE = 40;  // cards kept on the device: the first of my list
let prefetching = false;
/** Keeps today's, overdue and running tasks' cards on the device for offline work. */
export async function prefetchCards() {
  if (prefetching || !state.list) return;
  prefetching = true;
  try {
    for (const row of state.list.slice(0, KEPT_OFFLINE)) {
      const held = state.cards.get(row.id);
      if (held && held.version === row.version && held.steps?.done === row.steps?.done) continue;
      try { await loadCard(row.id); } catch (e) { if (e.offline) break; }
    }
  } finally {
    prefetching = false;
  }
}

/** How many of the cards meant for offline work are on the device: { wanted, kept }. */
export function offlineCoverage() {
  const wanted = (state.list || []).slice(0, KEPT_OFFLINE);
  return { wanted: wanted.length, kept: wanted.filter((row) => state.cards.has(row.id)).length };
}

/** Applies a live event's task row: returns 'added' | 'removed' | 'updated' | null. */
export function applyEventRow(row, meId) {
  if (!state.list) return null;
  const i = state.list.findIndex((r) => r.id === row.id);
  const mine = row.assignee?.id === meId && !row.stage?.done && row.execution !== 'completed' && !row.archived;
  let what = null;
  if (mine && i < 0) { state.list.push(row); what = 'added'; }
  else if (!mine && i >= 0) { state.list.splice(i, 1); removedAt.set(row.id, Date.now()); what = 'removed'; }
  else if (mine) { state.list[i] = { ...state.list[i], ...row }; what = 'updated'; }
  if (what) { saveList(); emit('list'); }
  return what;
}

export function removeTask(id) {
  if (!state.list) return null;
  const i = state.list.findIndex((r) => r.id === id);
  const row = i >= 0 ? state.list.splice(i, 1)[0] : null;
  removedAt.set(id, Date.now());
  state.cards.delete(id);
  kv.del(`card:${id}`).catch(() => {});
  if (row) { saveList(); emit('list'); }
  return row;
}

export async function loadMachine(code) {
  let m;
  try {
    const res = await api('GET', `/api/v1/equipment/by-code/${encodeURIComponent(code)}`);
    m = res.json;
    state.machines.set(code, m);
    kv.set(`machine:${code}`, m).catch(() => {});
    emit('machine', code);
  } catch (e) {
    if (!e.offline) throw e;
    m = await kv.get(`machine:${code}`);
    if (!m) throw e;
    state.machines.set(code, m);
    const past = await kv.get(`machine-history:${code}`).catch(() => null);
    if (past) state.histories.set(code, past);
    const held = await kv.get(`meters:${code}`).catch(() => null);
    if (held) state.meters.set(code, held);
    emit('machine', code);
    return m;
  }
  loadMachineHistory(code, m.id).catch(() => {});
  loadMeters(code, m.id).catch(() => {});
  return m;
}

async function loadMachineHistory(code, id) {
  try {
    const res = await api('GET', `/api/v1/equipment/${id}/history?limit=10`);
    state.histories.set(code, res.json);
    kv.set(`machine-history:${code}`, res.json).catch(() => {});
  } catch (e) {
    if (!e.offline) throw e;
    const past = await kv.get(`machine-history:${code}`);
    if (past) state.histories.set(code, past);
  }
  emit('machine', code);
}

// ---- meters and failure codes (kept for offline use) ------------------------

/** A machine's meters with the readings still waiting applied, or null. */
export function meters(code) {
  const held = state.meters.get(code);
  if (!held) return null;
  return held.map((m) => {
    const mine = pending.filter((a) => a.kind === 'reading' && a.meter_id === m.id);
    if (!mine.length) return m;
    const last = mine[mine.length - 1];
    return { ...m, last_value: Number(last.value), last_at: last.at, waiting: mine.length };
  });
}

export async function loadMeters(code, equipmentId) {
  try {
    const res = await api('GET', `/api/v1/equipment/${equipmentId}/meters`);
    state.meters.set(code, res.json.items);
    kv.set(`meters:${code}`, res.json.items).catch(() => {});
  } catch (e) {
    if (!e.offline) throw e;
    const held = await kv.get(`meters:${code}`).catch(() => null);
    if (held) state.meters.set(code, held);
  }
  emit('machine', code);
}

/** A reading the server recorded: its meter as the server now has it. */
export function readingDelivered(item, answer) {
  const held = state.meters.get(item.code);
  if (!held || !answer?.meter) return;
  state.meters.set(item.code, held.map((m) => (m.id === answer.meter.id ? answer.meter : m)));
  kv.set(`meters:${item.code}`, state.meters.get(item.code)).catch(() => {});
  emit('machine', item.code);
}

/** The failure-code catalogue (problem, cause, remedy), or null before it is known. */
export function failureCodes() { return state.codes; }

export async function loadFailureCodes() {
  try {
    const res = await api('GET', '/api/v1/failure-codes');
    state.codes = res.json.items;
    kv.set('failure-codes', state.codes).catch(() => {});
  } catch (e) {
    if (!e.offline) throw e;
    state.codes = state.codes || (await kv.get('failure-codes').catch(() => null));
  }
  return state.codes;
}

export async function forgetAll() {
  state.list = null;
  state.cards.clear();
  state.machines.clear();
  state.histories.clear();
  state.meters.clear();
  state.codes = null;
  await kv.clear();
}
