// The API client: JSON in and out, the session cookie (sent by the browser),
// the CSRF token on every unsafe method, and problem+json errors as ApiError.

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrf(token) {
  csrfToken = token;
}

/** Called once when the session has expired (the app shows the sign-in). */
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * request('PATCH', '/tasks/3', {title}, {ifMatch: 'v3'}) → parsed JSON (or
 * null for 204). Paths are relative to /api/v1 unless they start with '/api'.
 * Returns {json, etag, status} when `full` is set.
 */
export async function request(method, path, body, { ifMatch, full = false, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (ifMatch) headers['If-Match'] = ifMatch.startsWith('"') || ifMatch.startsWith('W/') ? ifMatch : `"${ifMatch}"`;
  const url = path.startsWith('/api') || path.startsWith('/healthz') ? path : `/api/v1${path}`;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !url.endsWith('/session')) onUnauthenticated();
    throw new ApiError(res.status, json);
  }
  return full ? { json, etag: res.headers.get('ETag'), status: res.status } : json;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body = {}, opts) => request('POST', path, body, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

/** Builds "?a=1&b=2", skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every page of a cursor-paginated task list (bounded by `max`). */
export async function allTasks(params, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`/tasks${query({ ...params, cursor, limit: 500 })}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}
