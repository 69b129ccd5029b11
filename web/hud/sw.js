// The offline shell: the HUD's files are cached at install; pages and files
// come from the network first (fresh code after an upgrade) and from the
// cache when the network is gone or too slow. The API is never cached here:
// task data lives in IndexedDB, written by the app itself.
const CACHE = 'visor-hud-v3';
const SHELL = [
  '/hud/', '/hud/hud.css', '/hud/icon.svg', '/hud/manifest.webmanifest',
  '/hud/js/main.js', '/hud/js/app.js', '/hud/js/announce.js', '/hud/js/api.js', '/hud/js/commands.js',
  '/hud/js/data.js', '/hud/js/dom.js', '/hud/js/format.js', '/hud/js/i18n.js', '/hud/js/i18n/en.js', '/hud/js/i18n/fr.js',
  '/hud/js/keys.js', '/hud/js/live.js', '/hud/js/procedure.js',
  '/hud/js/queue.js', '/hud/js/scan.js', '/hud/js/store.js', '/hud/js/ui.js', '/hud/js/voice.js',
  '/hud/js/words.js', '/hud/js/xr.js',
  '/hud/js/screens/index.js', '/hud/js/screens/camera.js', '/hud/js/screens/finish.js', '/hud/js/screens/machine.js', '/hud/js/screens/pair.js',
  '/hud/js/screens/public.js', '/hud/js/screens/report.js', '/hud/js/screens/settings.js', '/hud/js/screens/step.js',
  '/hud/js/screens/step_answers.js', '/hud/js/screens/task.js', '/hud/js/screens/work.js',
];
const NETWORK_WAIT_MS = 3000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('visor-hud-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then((res) => {
    if (res.ok && res.type === 'basic') cache.put(fallbackUrl || request, res.clone());
    return res;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const res = await Promise.race([fromNetwork, timeout]);
    if (res) return res;
  } catch {
    // offline: fall through to the cache
  }
  const cached = await cache.match(fallbackUrl || request, { ignoreSearch: true });
  return cached || fromNetwork;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/hud')) return;
  if (req.mode === 'navigate') event.respondWith(networkFirst(req, '/hud/'));
  else event.respondWith(networkFirst(req));
});
