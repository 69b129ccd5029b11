// The HUD's state and navigation: who is paired, which screen shows, the
// display profile, and the one path every floor action takes (outbox →
// optimistic view → server). Screens get this object as `ctx`.
import { api, setToken, hasToken } from './api.js';
import { kv } from './store.js';
import * as data from './data.js';
import { enqueue, pending, discardAll } from './queue.js';
import { mount, toast, setBadge, closeSheet, sheetOpen, sheetState, openCommandList, openEntry, cmdButton, currentView } from './ui.js';
import { setProvider, VOCAB } from './commands.js';
import { say } from './voice.js';
import { screens } from './screens/index.js';

const PROFILES = ['see-through', 'opaque', 'phone'];

export const ctx = {
  me: null,
  device: null,
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
  button: cmdButton,
  say,
  announce,
  setProfile,
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
  for (const p of PROFILES) offer(profileCommand(p), () => setProfile(p, { announce: true }));
  return add;
}

export function profileCommand(p) { return { 'see-through': 'SEE_THROUGH', opaque: 'OPAQUE', phone: 'PHONE' }[p]; }

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
    const r = ctx.route;
    if ((r.name === 'task' || r.name === 'step') && r.id) await data.loadCard(r.id).catch(() => {});
    if (loud) toast('LIST UP TO DATE', 'ok', 2000);
  } catch (e) {
    if (e.offline) setOnline(false);
    if (loud) toast(e.offline ? 'OFFLINE: showing what is on the device.' : e.message, 'warn');
  }
}

// ---- status badge ------------------------------------------------------------------

export function updateBadge() {
  if (!hasToken()) { setBadge(ctx.online ? '' : 'OFFLINE', ctx.online ? 'none' : 'offline'); return; }
  const n = pending.length;
  const waiting = n ? ` · ${n} WAITING` : '';
  if (!ctx.online) setBadge(`OFFLINE${waiting}`, 'offline');
  else if (n) setBadge(`SYNCING${waiting}`, 'sync');
  else setBadge(ctx.live ? 'LIVE' : 'ONLINE', ctx.live ? 'live' : 'online');
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

// ---- display profile ----------------------------------------------------------------

export function applyProfile(p) {
  if (!PROFILES.includes(p)) p = 'see-through';
  ctx.profile = p;
  document.documentElement.dataset.profile = p;
  try { localStorage.setItem('visor-profile', p); } catch { /* private mode */ }
}

export async function setProfile(p, { announce: loud = false } = {}) {
  applyProfile(p);
  render();
  if (loud) toast(`${VOCAB[profileCommand(p)].label.replace(' MODE', '')} DISPLAY`, 'ok', 2000);
  if (ctx.device) {
    ctx.device.profile = p;
    await kv.set('device', ctx.device).catch(() => {});
    api('PATCH', '/api/v1/me', { body: { profile: p } }).catch(() => { /* kept on the device; sent next time */ });
  }
}

// ---- pairing ---------------------------------------------------------------------------

/** Exchanges a pairing code for this device's token. Throws ApiError with the server's words. */
export async function redeem(code) {
  const res = await api('POST', '/api/v1/pairings/redeem', { body: { code }, auth: false });
  const d = res.json;
  ctx.device = { token: d.token, id: d.id, name: d.name, profile: d.profile, user_id: d.user_id };
  await data.forgetAll();
  await kv.set('device', ctx.device);
  setToken(d.token);
  applyProfile(d.profile);
  await loadMe();
  return ctx.device;
}

export async function loadMe() {
  try {
    const res = await api('GET', '/api/v1/me');
    ctx.me = res.json;
    kv.set('me', ctx.me).catch(() => {});
    const serverProfile = res.json.device?.profile;
    if (serverProfile && serverProfile !== ctx.profile && ctx.device) {
      applyProfile(serverProfile);
      ctx.device.profile = serverProfile;
      kv.set('device', ctx.device).catch(() => {});
    }
  } catch (e) {
    if (!e.offline) throw e;
    ctx.me = ctx.me || (await kv.get('me')) || null;
  }
  return ctx.me;
}

let unpairing = false;
/**
 * Forgets the device token and everything cached; `why` is shown on the
 * pairing screen. With `revoke`, the token is first revoked on the server.
 */
export async function unpair(why = '', { revoke = false } = {}) {
  if (unpairing || !hasToken()) return; // several requests may see the same 401
  unpairing = true;
  if (revoke && ctx.device?.id) await api('DELETE', `/api/v1/devices/${ctx.device.id}`).catch(() => {});
  setToken(null);
  const lost = await discardAll();
  ctx.device = null;
  ctx.me = null;
  await data.forgetAll();
  ctx.notice = why + (lost ? ` ${lost} waiting action${lost === 1 ? ' was' : 's were'} not delivered.` : '');
  document.dispatchEvent(new CustomEvent('visor:unpaired'));
  unpairing = false;
  go({ name: 'pair' });
}

export { currentView };
