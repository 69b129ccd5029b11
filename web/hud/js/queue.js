// The outbox of floor actions. Every action (online or not) is written to
// IndexedDB first with its real time and a client_action_id, shown at once,
// then delivered strictly in order. Network failures keep it waiting; a
// refusal by the server (its conflict policy) drops it with a visible reason.
import { api, newActionId, nowIso } from './api.js';
import { queueStore } from './store.js';

/** Actions not yet delivered, oldest first (an in-memory mirror of the store). */
export const pending = [];
const saved = new Map(); // action id → promise of its IndexedDB write
let flushing = false;
let retryTimer = null;
let backoff = 1000;
let hooks = { delivered() {}, rejected() {}, changed() {}, reachable() {} };

export function setHooks(h) { hooks = { ...hooks, ...h }; }

export async function loadPending() {
  const items = await queueStore.all();
  pending.splice(0, pending.length, ...items.sort((a, b) => a.seq - b.seq));
  hooks.changed();
}

/**
 * Queues an action. kind: start | pause | resume | complete | step | note |
 * photo | report | followup | failure | reading. `extra` holds task_id,
 * step, body, blob (a reading: meter_id, value, code).
 */
export function enqueue(kind, extra = {}) {
  const item = { kind, id: newActionId(), at: nowIso(), ...extra };
  pending.push(item);
  saved.set(item.id, queueStore.add({ ...item }).then((seq) => { item.seq = seq; }));
  hooks.changed();
  flush();
  return item;
}

export function pendingFor(taskId) { return pending.filter((a) => a.task_id === taskId); }

function path(item) {
  const base = `/api/v1/tasks/${item.task_id}`;
  switch (item.kind) {
    case 'start': case 'pause': case 'resume':
      return [`${base}/${item.kind}`, { at: item.at, client_action_id: item.id }];
    case 'complete':
      return [`${base}/complete`, { ...(item.body || {}), at: item.at, client_action_id: item.id }];
    case 'followup':
      return [`${base}/steps/${item.step}/follow-up`, { ...item.body, at: item.at, client_action_id: item.id }];
    case 'failure':
      return [`${base}/failure`, item.body, 'PUT'];
    case 'reading':
      return [`/api/v1/meters/${item.meter_id}/readings`, { value: item.value, at: item.at, client_action_id: item.id }];
    case 'step':
      return [`${base}/steps/${item.step}`, { ...item.body, at: item.at, client_action_id: item.id }];
    case 'note':
      return [`${base}/notes`, { text: item.body.text, at: item.at, client_action_id: item.id }];
    case 'photo': {
      const q = new URLSearchParams({ at: item.at, client_action_id: item.id });
      if (item.step) q.set('step', String(item.step));
      return [`${base}/photos?${q}`, item.blob];
    }
    case 'report':
      return ['/api/v1/tasks/report', item.body];
    default:
      throw new Error(`unknown action ${item.kind}`);
  }
}

async function remove(item) {
  const i = pending.indexOf(item);
  if (i >= 0) pending.splice(i, 1);
  if (item.seq !== undefined) await queueStore.del(item.seq).catch(() => {});
  saved.delete(item.id);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, backoff);
  backoff = Math.min(backoff * 2, 30000);
}

/** Delivers waiting actions in order; safe to call any time. */
export async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    while (pending.length) {
      const item = pending[0];
      await saved.get(item.id);
      const [url, body, method = 'POST'] = path(item);
      let res;
      try {
        res = await api(method, url, { body });
      } catch (e) {
        if (e.name === 'AbortError' || e.offline || e.status === 0 || e.status === 429 || e.status >= 500) {
          if (e.status >= 500 && e.status !== 503 && !e.offline && (item.tries = (item.tries || 0) + 1) >= 5) {
            await remove(item);
            hooks.rejected(item, e);
            continue;
          }
          hooks.reachable(!e.offline);
          scheduleRetry();
          return;
        }
        if (e.status === 401) return; // the device was revoked: the app unpairs
        await remove(item); // refused by the server's rules: say why, keep going
        hooks.rejected(item, e);
        continue;
      }
      backoff = 1000;
      hooks.reachable(true);
      hooks.delivered(item, res); // the server's card first: no frame shows neither
      await remove(item);
      hooks.changed();
    }
  } finally {
    flushing = false;
    hooks.changed();
  }
}

/** Forgets everything waiting (after unpairing); returns how many were lost. */
export async function discardAll() {
  const n = pending.length;
  pending.splice(0);
  saved.clear();
  await queueStore.clear();
  hooks.changed();
  return n;
}
