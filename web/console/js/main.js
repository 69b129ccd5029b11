// The console's entry point: who is signed in (technicians go to the
// glasses' app), language and plant timezone, the shell, the live stream
// and the routes.
import { get, setUnauthenticatedHandler, ApiError } from './core/api.js';
import { loadLocale, t } from './core/i18n.js';
import { route, start, onNavigate, navigate } from './core/router.js';
import { state } from './core/store.js';
import { signedIn } from './core/session.js';
import { clear, h } from './core/dom.js';
import { buildShell, setActive, pageRoot } from './ui/shell.js';

const app = document.getElementById('app');

route('/login', () => import('./pages/login.js'), { bare: true, public: true });
route('/', () => import('./pages/dashboard.js'), { nav: 'dashboard' });
route('/floor', () => import('./pages/floor.js'), { nav: 'floor' });
route('/triage', () => import('./pages/triage.js'), { nav: 'triage' });
route('/board', () => import('./pages/board.js'), { nav: 'board' });
route('/calendar', () => import('./pages/calendar.js'), { nav: 'calendar' });
route('/tasks', () => import('./pages/tasks.js'), { nav: 'tasks' });
route('/tasks/new', () => import('./pages/task_form.js'), { nav: 'tasks' });
route('/tasks/:id/edit', () => import('./pages/task_form.js'), { nav: 'tasks' });
route('/tasks/:id/report', () => import('./pages/work_order.js'), { nav: 'tasks' });
route('/tasks/:id', () => import('./pages/task_view.js'), { nav: 'tasks' });
route('/machines', () => import('./pages/machines.js'), { nav: 'machines' });
route('/machines/labels', () => import('./pages/labels.js'), { nav: 'labels' });
route('/machines/:id', () => import('./pages/machine.js'), { nav: 'machines' });
route('/procedures', () => import('./pages/procedures.js'), { nav: 'procedures' });
route('/procedures/:id', () => import('./pages/procedures.js'), { nav: 'procedures' });
route('/people', () => import('./pages/people.js'), { nav: 'people' });
route('/connector', () => import('./pages/connector.js'), { nav: 'connector' });
route('/reports', () => import('./pages/reports.js'), { nav: 'reports' });
route('/audit', () => import('./pages/audit.js'), { nav: 'audit' });

function goToSignIn() {
  const next = location.pathname === '/login' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
  state.me = null;
  navigate(`/login${next}`, { replace: true });
}

async function whoAmI() {
  try {
    return await get('/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

onNavigate(async (found, ctx) => {
  if (!found) {
    clear(app).append(h('main', { class: 'page' }, h('h1', {}, t('error.not_found'))));
    return;
  }
  if (!found.route.meta.public && !state.me) return goToSignIn();
  if (found.route.meta.public && state.me && location.pathname === '/login') return navigate('/', { replace: true });
  let root;
  if (found.route.meta.bare) {
    root = clear(app);
    app.className = 'app app-bare';
  } else {
    if (!app.querySelector('.shell')) buildShell(app);
    setActive(found.route.meta.nav);
    root = pageRoot();
  }
  let mod;
  try {
    mod = await found.route.load();
  } catch (e) {
    console.error(e);
    clear(root).append(h('p', { class: 'error' }, t('error.load')));
    return;
  }
  if (ctx.stale) return;
  clear(root);
  root.dataset.page = found.route.pattern;
  root.removeAttribute('data-ready');
  try {
    await mod.render(root, ctx);
  } catch (e) {
    console.error(e);
    if (ctx.stale) return;
    root.append(h('p', { class: 'error' }, e instanceof ApiError ? e.message : t('error.generic')));
  }
  if (!ctx.stale) root.dataset.ready = '1';
});

async function boot() {
  setUnauthenticatedHandler(goToSignIn);
  const me = await whoAmI();
  if (me) {
    if (!(await signedIn(me))) return;
  } else {
    const lang = (navigator.language || 'en').slice(0, 2);
    await loadLocale(lang);
  }
  app.classList.remove('is-booting');
  app.removeAttribute('aria-busy');
  await start();
}

boot().catch((e) => {
  console.error(e);
  app.textContent = 'Visor could not start. / Visor n’a pas pu démarrer.';
});
