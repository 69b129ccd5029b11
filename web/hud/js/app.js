// The HUD's state and navigation: who is paired (or signed in), which screen
// shows, the display profile and language, and the one path every floor
// action takes (outbox → optimistic view → server). Screens get this object
// as `ctx`.
import { api, setToken, setSession, hasToken, viaSession } from './api.js';
import { kv } from './store.js';
import * as data from './data.js';
import { enqueue, pending, discardAll } from './queue.js';
import { mount, toast, setBadge, closeSheet, sheetOpen, sheetState, openCommandList, openEntry, openPrompt, openPicker, cmdButton, currentView } from './ui.js';
import { setProvider } from './commands.js';
import { say } from './voice.js';
import { t, tn, setLocale, locale } from './i18n.js';
import { screens } from './screens/index.js';

/** Display profiles; `dark-opaque` is for opaque displays whose own interface is dark (RealWear). */
export const PROFILES = ['see-through', 'opaque', 'dark-opaque', 'phone'];
const PROFILE_COMMAND = { 'see-through': 'SEE_THROUGH', opaque: 'OPAQUE', 'dark-opaque': 'DARK', phone: 'PHONE' };

export const ctx = {
  me: null,
  device: null,
  session: false, // signed in with a password (cookie) instead of a paired device
  profile: 'see-through',
  route: { name: 'boot' },
  online: navigator.onLine,
  live: false,
  xr: false,
  notice: '',
  go,
  render,
  act,
  refreshAll,
  toast,
  openEntry,
  openPrompt,
  openPicker,
  button: cmdButton,
  say,
  announce,
  setProfile,
  setLanguage,
  unpair,
  redeem,
  paired: () => hasToken(),
};

// ---- routes ------------------------------------------------------------------

function hashOf(route) {
  switch (route.name) {
    case 'task': return `#/task/${route.id}`;
    case 'step': return `#/task/${route.id}/step/${route.n}`;
    case 'machine': return `#/machine/${encodeURIComponent(route.code)}`;
    case 'report': return `#/report/${encodeURIComponent(route.code || '')}`;
    case 'settings': return '#/settings';
    case 'work': return '#/';
    default: return null;
  }
}

export function routeFromHash(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'task' && Number(parts[1]) > 0) {
    if (parts[2] === 'step' && Number(parts[3]) > 0) return { name: 'step', id: Number(parts[1]), n: Number(parts[3]) };
    return { name: 'task', id: Number(parts[1]) };
  }
  if (parts[0] === 'machine' && parts[1]) return { name: 'machine', code: parts[1] };
  if (parts[0] === 'report') return { name: 'report', code: parts[1] || null };
  if (parts[0] === 'settings') return { name: 'settings' };
  return { name: 'work' };
}

/** Shows `route`. Rendering is synchronous: a command's result is on screen in the same frame. */
export function go(route, { replaceFocus = true } = {}) {
  const leaving = ctx.route;
  screens[leaving.name]?.leave?.(leaving, ctx);
  if (sheetOpen()) closeSheet();
  ctx.route = route;
  const hash = hashOf(route);
  if (hash !== null && location.pathname.startsWith('/hud') && location.hash !== hash) history.replaceState(null, '', hash);
  render({ resetFocus: replaceFocus });
  screens[route.name]?.enter?.(route, ctx);
}

let lastView = null;
export function render({ resetFocus = false } = {}) {
  const screen = screens[ctx.route.name];
  if (!screen) return;
  const view = screen.view(ctx.route, ctx);
  view.name = ctx.route.name;
  view.resetFocus = resetFocus;
  view.commands = [...view.commands, ...globalCommands(view)];
  lastView = view;
  mount(view);
  updateBadge();
}

function globalCommands(view) {
  const have = new Set(view.commands.map((c) => c.id));
  const add = [];
  const offer = (id, run, extra = {}) => { if (!have.has(id)) add.push({ id, run, ...extra }); };
  offer('COMMANDS', () => openCommandList(lastView.commands), { bar: view.showCommandsInBar !== false });
  if (view.public) return add;
  if (hasToken()) {
    if (ctx.route.name !== 'work') offer('HOME', () => go({ name: 'work' }));
    offer('SCAN', () => go({ name: 'camera', mode: 'scan', back: ctx.route }));
    offer('REPORT', () => go({ name: 'report', code: null, back: ctx.route }));
    offer('SETTINGS', () => go({ name: 'settings', back: ctx.route }));
    offer('REFRESH', () => refreshAll(true));
  }
  for (const p of PROFILES) if (p !== ctx.profile) offer(profileCommand(p), () => setProfile(p, { announce: true }));
  return add;
}

export function profileCommand(p) { return PROFILE_COMMAND[p]; }

// What the dispatcher may run right now: the sheet's commands while a
// field is open (the rest of speech is dictation), else the view's.
setProvider(() => {
  const s = sheetState();
  if (s) return { commands: s.commands, dictation: s.dictation };
  return { commands: lastView?.commands || [], dictation: lastView?.dictation || null };
});

// ---- floor actions ---------------------------------------------------------------

/**
 * Records a floor action: queued with its real time, visible at once,
 * delivered in order. Recording a step on a task that is not running
 * starts (or resumes) it first, as the technician evidently is at work.
 */
export function act(kind, taskId, extra = {}) {
  const card = data.task(taskId);
  if (kind === 'step' && card) {
    if (card.execution === 'not_started') enqueue('start', { task_id: taskId });
    else if (card.execution === 'paused') enqueue('resume', { task_id: taskId });
  }
  const item = enqueue(kind, { task_id: taskId, ...extra });
  render();
  return item;
}

export async function refreshAll(loud = false) {
  if (!hasToken()) return;
  try {
    await data.refreshList();
    setOnline(true);
    if (!data.failureCodes()) data.loadFailureCodes().catch(() => {});
    const r = ctx.route;
    if ((r.name === 'task' || r.name === 'step') && r.id) await data.loadCard(r.id).catch(() => {});
    if (loud) toast(t('toast.list_updated'), 'ok', 2000);
  } catch (e) {
    if (e.offline) setOnline(false);
    if (loud) toast(e.offline ? t('toast.offline_showing') : e.message, 'warn');
  }
}

// ---- status badge ------------------------------------------------------------------

export function updateBadge() {
  if (!hasToken()) { setBadge(ctx.online ? '' : t('badge.offline'), ctx.online ? 'none' : 'offline'); return; }
  const n = pending.length;
  const waiting = n ? ` · ${t('badge.waiting', { n })}` : '';
  if (!ctx.online) setBadge(`${t('badge.offline')}${waiting}`, 'offline');
  else if (n) setBadge(`${t('badge.syncing')}${waiting}`, 'sync');
  else setBadge(ctx.live ? t('badge.live') : t('badge.online'), ctx.live ? 'live' : 'online');
}

export function setOnline(online) {
  if (ctx.online === online) return;
  ctx.online = online;
  updateBadge();
}

// ---- announcements -----------------------------------------------------------------

/** A visible toast and, where the device can speak, a short spoken line. */
export function announce(text, kind = 'info', spoken = text) {
  toast(text, kind);
  say(spoken);
}

// ---- display profile and language ------------------------------------------------------

export function applyProfile(p) {
  if (!PROFILES.includes(p)) p = 'see-through';
  ctx.profile = p;
  document.documentElement.dataset.profile = p;
  try { localStorage.setItem('visor-profile', p); } catch { /* private mode */ }
}

// A profile chosen on the device but not yet stored on the server. Kept in
// localStorage, written synchronously: a reload right after the switch keeps it.
const UNSENT = 'visor-profile-unsent';
function unsentProfile() { try { return localStorage.getItem(UNSENT); } catch { return null; } }
function setUnsent(p) { try { if (p) localStorage.setItem(UNSENT, p); else localStorage.removeItem(UNSENT); } catch { /* private mode */ } }

export async function setProfile(p, { announce: loud = false } = {}) {
  applyProfile(p);
  render();
  if (loud) toast(t('toast.display', { name: t(`profile.${p}`) }), 'ok', 2000);
  if (ctx.device) {
    setUnsent(p);
    ctx.device.profile = p;
    sendProfile();
    await kv.set('device', ctx.device).catch(() => {});
  }
}

/** The profile this device should show: its own unsent choice first. */
export function deviceProfile(device) { return unsentProfile() || device?.profile || null; }

/** Tells the server this device's profile; until it has, the device's own choice wins over /me. */
function sendProfile() {
  const p = unsentProfile();
  if (!p) return;
  api('PATCH', '/api/v1/me', { body: { profile: p } }).then(() => {
    if (unsentProfile() === p) setUnsent(null);
  }).catch(() => { /* kept on the device; sent with the next /me */ });
}

/** Switches the language for this technician (their profile on the server too). */
export async function setLanguage(code) {
  setLocale(code);
  if (ctx.me) { ctx.me.locale = locale(); kv.set('me', ctx.me).catch(() => {}); }
  render();
  toast(t('toast.language'), 'ok', 2000);
  if (hasToken()) api('PATCH', '/api/v1/me', { body: { locale: locale() } }).catch(() => { /* kept here until the next /me */ });
}

// ---- pairing, signing in -------------------------------------------------------------------

/** Exchanges a pairing code for this device's token. Throws ApiError with the server's words. */
export async function redeem(code) {
  const res = await api('POST', '/api/v1/pairings/redeem', { body: { code }, auth: false });
  const d = res.json;
  ctx.device = { token: d.token, id: d.id, name: d.name, profile: d.profile, user_id: d.user_id };
  ctx.session = false;
  setUnsent(null);
  await data.forgetAll();
  await kv.set('device', ctx.device);
  setToken(d.token);
  applyProfile(d.profile);
  await loadMe();
  return ctx.device;
}

/**
 * A technician who signed in with a password (the console sends them here)
 * works with that session: no pairing needed on a phone. Returns true when
 * the browser holds a session.
 */
export async function adoptSession() {
  try {
    const res = await api('GET', '/api/v1/me', { auth: false, cookie: true });
    if (res.json?.via !== 'session' || !res.json.csrf_token) return false;
    if ((await kv.get('session').catch(() => null))?.user !== res.json.id) await data.forgetAll();
    ctx.me = res.json;
    ctx.session = true;
    ctx.device = null;
    setSession(res.json.csrf_token);
    await kv.set('session', { user: res.json.id });
    kv.set('me', ctx.me).catch(() => {});
    setLocale(ctx.me.locale);
    return true;
  } catch (e) {
    if (!e.offline) return false;
    // Offline: carry on with what this browser knew, if it was signed in.
    const known = await kv.get('session').catch(() => null);
    const me = await kv.get('me').catch(() => null);
    if (!known || !me?.csrf_token || me.id !== known.user) return false;
    ctx.me = me;
    ctx.session = true;
    setSession(me.csrf_token);
    setLocale(me.locale);
    return true;
  }
}

export async function loadMe() {
  try {
    const res = await api('GET', '/api/v1/me');
    ctx.me = res.json;
    kv.set('me', ctx.me).catch(() => {});
    setLocale(ctx.me.locale);
    const serverProfile = res.json.device?.profile;
    if (ctx.device && unsentProfile()) sendProfile();
    else if (serverProfile && serverProfile !== ctx.profile && ctx.device) {
      applyProfile(serverProfile);
      ctx.device.profile = serverProfile;
      kv.set('device', ctx.device).catch(() => {});
    }
  } catch (e) {
    if (!e.offline) throw e;
    ctx.me = ctx.me || (await kv.get('me')) || null;
    if (ctx.me) setLocale(ctx.me.locale);
  }
  return ctx.me;
}

let unpairing = false;
/**
 * Forgets the device token (or signs the session out) and everything
 * cached; `why` is shown on the pairing screen. With `revoke`, the token is
 * first revoked on the server (or the session ended).
 */
export async function unpair(why = '', { revoke = false } = {}) {
  if (unpairing || !hasToken()) return; // several requests may see the same 401
  unpairing = true;
  if (revoke && ctx.device?.id) await api('DELETE', `/api/v1/devices/${ctx.device.id}`).catch(() => {});
  if (revoke && viaSession()) await api('DELETE', '/api/v1/session').catch(() => {});
  setToken(null);
  setSession(null);
  setUnsent(null);
  const lost = await discardAll();
  ctx.device = null;
  ctx.session = false;
  ctx.me = null;
  await data.forgetAll();
  ctx.notice = [why, lost ? tn('unpaired.lost', lost) : ''].filter(Boolean).join(' ');
  document.dispatchEvent(new CustomEvent('visor:unpaired'));
  unpairing = false;
  go({ name: 'pair' });
}

export { currentView };
