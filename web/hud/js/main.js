// Start-up: pick the display profile and language at once, find the device
// token (or a password session), open the right screen (pairing, the public
// machine form, or the HUD), then go live: events, outbox, voice, offline
// shell.
import { setToken, onUnauthorized } from './api.js';
import { kv } from './store.js';
import * as data from './data.js';
import { loadPending, setHooks, flush, pending } from './queue.js';
import { startLive } from './live.js';
import { handleText, latency } from './commands.js';
import { installKeys } from './keys.js';
import { installTouch, toast } from './ui.js';
import { startListening, canListen, setVoiceLang } from './voice.js';
import { t, tn, setLocale, onLocale, speechLang } from './i18n.js';
import { setTimeZone, clock } from './format.js';
import { xrSupported } from './xr.js';
import { ctx, go, render, routeFromHash, applyProfile, loadMe, unpair, updateBadge, setOnline, refreshAll, adoptSession, deviceProfile } from './app.js';
import { onLiveEvent } from './announce.js';

let live = null;
let poller = null;

// The test seam (and a hook for other voice front-ends): recognised text → dispatcher.
window.visorCommand = (text) => handleText(text, 'seam');
window.visorStats = () => ({
  latency: latency(), waiting: pending.length, route: ctx.route, online: ctx.online, live: ctx.live, profile: ctx.profile,
  pending: pending.map((a) => ({ kind: a.kind, id: a.id, at: a.at, task_id: a.task_id, step: a.step ?? null })),
  offline: data.offlineCoverage(),
});

function startClock() {
  const tick = () => { document.getElementById('clock').textContent = clock(); };
  tick();
  setInterval(tick, 15000);
}

function goLive() {
  live?.stop();
  live = startLive({
    lastEventId: '',
    onEvent: (ev) => onLiveEvent(ev, ctx),
    onState: (s) => {
      if (s === 'unauthorized') { unpair(t(ctx.session ? 'unpaired.session' : 'unpaired.console')); return; }
      ctx.live = s === 'open';
      if (s === 'open') { setOnline(true); flush(); refreshAll(); }
      updateBadge();
    },
  });
}

function wireOutbox() {
  setHooks({
    changed: () => updateBadge(),
    reachable: (ok) => setOnline(ok),
    delivered: (item, res) => {
      if (item.kind === 'report') return;
      if (item.kind === 'photo') { data.loadCard(item.task_id).catch(() => {}); return; }
      if (item.kind === 'reading') {
        data.readingDelivered(item, res.json);
        const made = res.json?.created_task_ids?.length || 0;
        if (made) { toast(tn('meter.tasks_created', made), 'ok', 5000); refreshAll(); }
        return;
      }
      data.setServerCard(res.json, res.etag);
    },
    rejected: (item, e) => {
      toast(t('toast.rejected', { what: t(`action.${item.kind}`, { n: item.step }), detail: e.message }), 'error', 8000);
      if (item.task_id) data.loadCard(item.task_id).catch(() => {});
      if (item.kind === 'reading' && item.code) data.loadMachine(item.code).catch(() => {});
    },
  });
}

// Data arriving from the network re-renders the screen that shows it, at
// most once a frame (a burst of prefetched cards is one render). Commands
// render synchronously instead, so their result is in the next frame.
let renderQueued = false;
function renderSoon() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

function wireData() {
  data.onData((what, id) => {
    const r = ctx.route;
    const shows = (what === 'list' && r.name === 'work')
      || (what === 'card' && (r.name === 'work' || ((r.name === 'task' || r.name === 'step') && r.id === id)))
      || (what === 'machine' && ((r.name === 'machine' && r.code === id) || r.name === 'report'));
    if (shows) renderSoon();
  });
}

async function startPaired(initial) {
  go(initial);
  await loadPending();
  await data.loadCached();
  render();
  try {
    await loadMe();
  } catch (e) {
    if (e.status === 401) return; // unpaired by the 401 hook
  }
  if (ctx.me?.timezone) setTimeZone(ctx.me.timezone);
  render();
  goLive();
  flush();
  refreshAll();
  // A cheap conditional poll catches revocation and anything the stream missed.
  poller ||= setInterval(() => { if (ctx.online && ctx.device) refreshAll(); }, 5000);
  xrSupported().then((ok) => { ctx.xr = ok; if (ok) render(); });
  if (canListen && ctx.profile !== 'phone') startListening((alts) => handleText(alts, 'voice'), (on) => { document.getElementById('mic').hidden = !on; }, speechLang());
}

// Words that live in index.html, and the voice's language, follow the catalogue.
function frameWords() {
  document.getElementById('mic').textContent = t('app.voice');
  document.getElementById('bar').setAttribute('aria-label', t('app.commands'));
  document.title = t('app.title');
}

function registerShell() {
  if (!('serviceWorker' in navigator) || !location.pathname.startsWith('/hud')) return;
  navigator.serviceWorker.register('/hud/sw.js', { scope: '/hud/' }).catch(() => { /* the app still works online */ });
}

async function main() {
  try { applyProfile(localStorage.getItem('visor-profile') || (matchMedia('(max-width: 600px) and (orientation: portrait)').matches ? 'phone' : 'see-through')); } catch { applyProfile('see-through'); }
  setLocale(navigator.languages?.length ? navigator.languages : navigator.language);
  frameWords();
  onLocale(() => { frameWords(); setVoiceLang(speechLang()); if (ctx.route.name !== 'boot') render(); });
  installTouch();
  installKeys();
  startClock();
  wireOutbox();
  wireData();
  onUnauthorized(() => unpair(t(ctx.session ? 'unpaired.session' : 'unpaired.console')));
  addEventListener('online', () => { setOnline(true); live?.reconnectNow(); flush(); });
  addEventListener('offline', () => { setOnline(false); live?.abort(); });

  const machineCode = /^\/m\/([^/]+)/.exec(location.pathname)?.[1];
  const pairCode = /[#&]pair=([A-Za-z0-9-]+)/.exec(location.hash)?.[1];
  const device = await kv.get('device').catch(() => null);
  if (pairCode) {
    go({ name: 'pair', code: pairCode.toUpperCase(), auto: true });
  } else if (device?.token || await adoptSession()) {
    if (device?.token) {
      ctx.device = device;
      setToken(device.token);
      if (deviceProfile(device)) applyProfile(deviceProfile(device));
      const me = await kv.get('me').catch(() => null);
      if (me?.locale) setLocale(me.locale);
    }
    let initial = routeFromHash(location.hash);
    if (machineCode) {
      initial = { name: 'machine', code: decodeURIComponent(machineCode), back: { name: 'work' } };
      history.replaceState(null, '', `/hud/#/machine/${machineCode}`);
    }
    await startPaired(initial);
  } else if (machineCode) {
    applyProfile('phone');
    go({ name: 'public', code: decodeURIComponent(machineCode) });
  } else {
    go({ name: 'pair' });
  }
  registerShell();
  // A pairing link opened while the HUD is already open (same document).
  addEventListener('hashchange', () => {
    const code = /[#&]pair=([A-Za-z0-9-]+)/.exec(location.hash)?.[1];
    if (code) go({ name: 'pair', code: code.toUpperCase(), auto: true });
  });
  document.addEventListener('visor:paired', () => startPaired({ name: 'work' }), { once: false });
  document.addEventListener('visor:unpaired', () => { live?.stop(); live = null; ctx.live = false; updateBadge(); });
  document.documentElement.dataset.ready = 'true';
  performance.mark('visor-ready');
}

main().catch((e) => { toast(t('app.start_failed', { detail: e.message }), 'error', 20000); });

