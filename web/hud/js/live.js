// Live events over Server-Sent Events, read with fetch() so that the device
// token can be sent (EventSource cannot send headers). Resumes with
// Last-Event-ID, reconnects with jittered backoff, and notices a silent
// connection (the server sends a heartbeat every 15 s).
import { authHeader, credentials } from './api.js';

/** Parses an SSE byte stream; calls onEvent({id, event, data}) per event. */
export async function readEvents(body, onEvent, onBytes = () => {}) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ev = { id: undefined, event: '', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (ev.data.length || ev.event) onEvent({ id: ev.id, event: ev.event || 'message', data: ev.data.join('\n') });
        ev = { id: undefined, event: '', data: [] };
        continue;
      }
      if (line.startsWith(':')) continue; // heartbeat comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'data') ev.data.push(val);
      else if (field === 'event') ev.event = val;
      else if (field === 'id' && !val.includes('\0')) ev.id = val;
      else if (field === 'retry' && /^\d+$/.test(val)) onEvent({ retry: Number(val) });
    }
  }
}

/**
 * Keeps one event stream open. handlers: onEvent(ev), onState('open' |
 * 'closed' | 'unauthorized'). Returns { stop(), reconnectNow() }.
 */
export function startLive({ onEvent, onState, lastEventId = '' }) {
  let stopped = false;
  let ctrl = null;
  let delay = 1000;
  let retryHint = 3000;
  let wake = null;
  let lastBytes = 0;

  const watchdog = setInterval(() => {
    if (ctrl && lastBytes && Date.now() - lastBytes > 40000) ctrl.abort();
  }, 5000);

  async function loop() {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const headers = { ...authHeader(), Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const res = await fetch('/api/v1/events', { headers, signal: ctrl.signal, cache: 'no-store', credentials: credentials() });
        if (res.status === 401) { onState('unauthorized'); return; }
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        lastBytes = Date.now();
        delay = 1000;
        onState('open');
        await readEvents(res.body, (ev) => {
          if (ev.retry) { retryHint = ev.retry; return; }
          if (ev.id) lastEventId = ev.id;
          onEvent(ev);
        }, () => { lastBytes = Date.now(); });
      } catch {
        // network gone, aborted, or the server went away: try again below
      }
      lastBytes = 0;
      if (stopped) return;
      onState('closed');
      const wait = Math.max(retryHint, delay) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => { wake = r; setTimeout(r, wait); });
      wake = null;
      delay = Math.min(delay * 2, 30000);
    }
  }
  loop();

  return {
    stop() { stopped = true; clearInterval(watchdog); ctrl?.abort(); wake?.(); },
    /** Drops the current connection (if any) and reconnects at once. */
    reconnectNow() { delay = 1000; ctrl?.abort(); wake?.(); },
    abort() { ctrl?.abort(); },
    get lastEventId() { return lastEventId; },
  };
}
