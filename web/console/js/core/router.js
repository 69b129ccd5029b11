// History-API routing. Each route names a page module, loaded on first use
// (so the cold load carries only the shell and the first page). A page
// module exports `render(ctx)`; ctx.cleanup(fn) registers what to undo when
// the user leaves (event subscriptions, timers).

const routes = [];
let current = null;
let onChange = () => {};
let renderId = 0;

/** route('/tasks/:id', () => import('../pages/task.js'), {nav: 'tasks'}) */
export function route(pattern, load, meta = {}) {
  const names = [];
  const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}/?$`);
  routes.push({ pattern, re, names, load, meta });
}

export function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function onNavigate(fn) {
  onChange = fn;
}

export function navigate(url, { replace = false } = {}) {
  if (url === location.pathname + location.search) return render();
  history[replace ? 'replaceState' : 'pushState']({}, '', url);
  return render();
}

/** Replaces the query string without re-rendering (filters kept in the URL). */
export function setQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  history.replaceState({}, '', location.pathname + (s ? `?${s}` : ''));
}

export async function render() {
  const id = ++renderId;
  if (current) {
    for (const fn of current.cleanups) {
      try { fn(); } catch (e) { console.error(e); }
    }
  }
  const found = match(location.pathname);
  const ctx = {
    params: found ? found.params : {},
    query: Object.fromEntries(new URLSearchParams(location.search)),
    meta: found ? found.route.meta : {},
    cleanups: [],
    cleanup(fn) { this.cleanups.push(fn); },
    get stale() { return id !== renderId; },
  };
  current = ctx;
  await onChange(found, ctx);
  return ctx;
}

export function start() {
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/hud')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  return render();
}
