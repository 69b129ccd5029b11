// The Visor API client: a paired device's bearer token — or, for a
// technician who signed in with a password in this browser, the session
// cookie and its CSRF token — problem+json errors, the server's clock
// (offline actions carry server-aligned timestamps), and one signal when the
// credentials stop working (revoked device, expired session).
import { t } from './i18n.js';

let token = null;
let session = null; // { csrf } when signed in with a password instead of a device token
let clockOffset = 0; // server time minus device time, ms
const unauthorizedListeners = new Set();

export class ApiError extends Error {
  constructor(message, { status = 0, problem = null, offline = false } = {}) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.offline = offline;
  }
}

export function setToken(value) { token = value || null; if (token) session = null; }
/** Signed in with a password: requests carry the cookie and `csrf` (null to leave this mode). */
export function setSession(csrf) { session = csrf ? { csrf } : null; if (session) token = null; }
/** Whether requests are authenticated (a device token or a session). */
export function hasToken() { return Boolean(token || session); }
export function viaSession() { return Boolean(session); }
export function onUnauthorized(fn) { unauthorizedListeners.add(fn); }

/** Now, on the server's clock, as ISO 8601 UTC without fractions ("2026-11-25T08:30:00Z"). */
export function nowIso(ms = Date.now()) {
  return new Date(ms + clockOffset).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A client_action_id: ≤ 64 characters of [A-Za-z0-9_-]. */
export function newActionId() {
  if (self.crypto?.randomUUID) return `hud-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `hud-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function learnClock(res) {
  const date = res.headers.get('Date');
  if (!date) return;
  const server = Date.parse(date);
  if (Number.isNaN(server)) return;
  const offset = server - Date.now();
  // The header has one-second resolution: only correct real skew.
  clockOffset = Math.abs(offset) > 2000 ? offset : 0;
}

/**
 * api('GET', '/api/v1/me') → { status, json, etag }.
 * `body` may be an object (sent as JSON) or a Blob (sent raw with its type);
 * `cookie` sends the browser's cookies without a known session (to find one).
 * Throws ApiError; `offline` is set when the network itself failed.
 */
export async function api(method, path, { body, etag, signal, auth = true, cookie = false } = {}) {
  const headers = {};
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  if (auth && session && method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
  if (etag) headers['If-None-Match'] = etag;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, signal, cache: 'no-store', credentials: cookie ? 'same-origin' : credentials(auth) });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(t('error.no_connection'), { offline: true });
  }
  learnClock(res);
  if (res.status === 304) return { status: 304, json: null, etag: res.headers.get('ETag') };
  const text = await res.text().catch(() => '');
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (res.ok) return { status: res.status, json, etag: res.headers.get('ETag') };
  const detail = json?.detail || json?.title || t('error.status', { status: res.status });
  const err = new ApiError(detail, { status: res.status, problem: json });
  if (res.status === 401 && auth && (token || session)) for (const fn of unauthorizedListeners) fn(err);
  if (res.status >= 502 && res.status <= 504) err.offline = true; // a proxy in front of a stopped Visor
  throw err;
}

export function authHeader() { return token ? { Authorization: `Bearer ${token}` } : {}; }

/** Cookies go only with a password session (a device token never needs them). */
export function credentials(auth = true) { return auth && session ? 'same-origin' : 'omit'; }
