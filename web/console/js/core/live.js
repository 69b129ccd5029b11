// The live event stream (Server-Sent Events, cookie-authenticated). Pages
// subscribe to event types; nothing in the console polls. The browser
// reconnects on its own and resumes with Last-Event-ID; a `resync` event
// (history gap) tells every page to reload what it shows.

const TYPES = ['task.created', 'task.changed', 'task.assigned', 'task.deleted', 'step.done', 'task.note',
  'resync', 'sync.status', 'sync.alert', 'sync.outbox_failed', 'triage.changed'];
const listeners = new Map();  // type or '*' → Set(fn)
const stateListeners = new Set();
let source = null;
let state = 'off';

function setState(next) {
  if (state === next) return;
  state = next;
  for (const fn of stateListeners) fn(state);
}

function dispatch(type, data, id) {
  for (const key of [type, '*']) {
    for (const fn of listeners.get(key) || []) {
      try {
        fn(data, type, id);
      } catch (e) {
        console.error('live listener failed', e);
      }
    }
  }
}

export function connect() {
  if (source) return;
  setState('connecting');
  source = new EventSource('/api/v1/events');
  source.onopen = () => setState('live');
  source.onerror = () => setState(source && source.readyState === EventSource.CLOSED ? 'off' : 'reconnecting');
  for (const type of TYPES) {
    source.addEventListener(type, (e) => {
      let data = {};
      try {
        data = e.data ? JSON.parse(e.data) : {};
      } catch {
        data = {};
      }
      setState('live');
      dispatch(type, data, e.lastEventId);
    });
  }
}

export function disconnect() {
  if (source) source.close();
  source = null;
  setState('off');
}

/** Subscribes `fn(data, type)` to one type, a list of types, or '*'. Returns the unsubscribe function. */
export function on(types, fn) {
  const list = Array.isArray(types) ? types : [types];
  for (const type of list) {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type).add(fn);
  }
  return () => list.forEach((type) => listeners.get(type)?.delete(fn));
}

export function onState(fn) {
  stateListeners.add(fn);
  fn(state);
  return () => stateListeners.delete(fn);
}

export function liveState() {
  return state;
}

/** Task events that change a task's row (not deletions). */
export const TASK_EVENTS = ['task.created', 'task.changed', 'task.assigned', 'step.done', 'task.note'];
