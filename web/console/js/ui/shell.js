// The frame around every page: navigation, the live indicator, language,
// the signed-in user.
import { h, clear, raw, toast } from '../core/dom.js';
import { t, getLocale, LOCALES } from '../core/i18n.js';
import { get, patch } from '../core/api.js';
import { on, onState } from '../core/live.js';
import { state, isAdmin } from '../core/store.js';
import { signOut } from '../core/session.js';
import { navigate, render } from '../core/router.js';
import { icon } from './icons.js';

const NAV = [
  { group: 'nav.group.overview', items: [['dashboard', '/'], ['floor', '/floor']] },
  { group: 'nav.group.planning', items: [['triage', '/triage'], ['board', '/board'], ['calendar', '/calendar'], ['tasks', '/tasks'], ['procedures', '/procedures']] },
  { group: 'nav.group.assets', items: [['machines', '/machines'], ['labels', '/machines/labels']] },
  { group: 'nav.group.admin', items: [['people', '/people'], ['connector', '/connector'], ['reports', '/reports'],
    ['audit', '/audit']] },
];

let main;
let title;

export function pageRoot() {
  return main;
}

/** Sets the page heading in the top bar (and the document title); `data`:
 * the text is a record's name (a task, a machine), not translated. */
export function setTitle(text, { data = false } = {}) {
  if (title) {
    title.textContent = text;
    if (data) title.setAttribute('translate', 'no');
    else title.removeAttribute('translate');
  }
  document.title = `${text} · Visor`;
}

export function setActive(nav) {
  for (const a of document.querySelectorAll('.nav a')) a.classList.toggle('active', a.dataset.nav === nav);
  const item = NAV.flatMap((g) => g.items).find(([key]) => key === nav);
  setTitle(item ? t(`nav.${item[0]}`) : 'Visor');
}

async function changeLanguage(code) {
  try {
    await patch('/me', { locale: code });
    state.me.locale = code;
    location.reload();
  } catch (e) {
    toast(e.message, 'error');
  }
}

function liveBadge() {
  const dot = h('span', { class: 'live-dot' });
  const label = h('span', {});
  const el = h('span', { class: 'live', title: t('live.title') }, dot, label);
  onState((st) => {
    el.dataset.state = st;
    label.textContent = t(`live.${st}`);
  });
  return el;
}

/**
 * The inbox badge: how many reported faults wait for a decision, from the
 * server on start and from every `triage.changed` event after.
 */
function inboxBadge(link) {
  const badge = h('span', { class: 'nav-badge hidden', 'aria-live': 'polite' });
  link.append(badge);
  const show = (n) => {
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.dataset.count = String(n);
    badge.classList.toggle('hidden', !n);
    badge.title = t('triage.badge', { n });
    link.setAttribute('aria-label', n ? t('nav.triage_n', { n }) : t('nav.triage'));
  };
  get('/triage/count').then((r) => show(r.pending)).catch(() => {});
  on('triage.changed', (data) => { if (typeof data.pending === 'number') show(data.pending); });
}

export function buildShell(app) {
  const me = state.me;
  clear(app);
  app.className = 'app';
  const nav = h('nav', { class: 'nav', 'aria-label': t('nav.label') },
    NAV.map((g) => h('div', { class: 'nav-group' },
      h('div', { class: 'nav-group-title' }, t(g.group)),
      g.items.map(([key, href]) => h('a', { href, dataset: { nav: key } }, icon(key), h('span', {}, t(`nav.${key}`)))))));
  const language = h('select', { class: 'lang', 'aria-label': t('shell.language'), title: t('shell.language'),
    on: { change: (e) => changeLanguage(e.target.value) } },
  LOCALES.map((code) => h('option', { value: code, selected: code === getLocale() }, t(`lang.${code}`))));
  inboxBadge(nav.querySelector('a[data-nav="triage"]'));
  title = h('h1', { class: 'page-title' });
  main = h('main', { class: 'page', id: 'page', tabindex: '-1' });
  app.append(
    h('aside', { class: 'sidebar' },
      h('a', { class: 'brand', href: '/', translate: 'no' }, h('span', { class: 'brand-mark' }, 'V'), h('span', {}, 'Visor')),
      nav,
      h('div', { class: 'sidebar-foot' }, t(isAdmin(me) ? 'role.admin' : 'role.manager'))),
    h('header', { class: 'topbar' },
      title,
      h('div', { class: 'topbar-actions' },
        h('a', { class: 'btn btn-primary', href: '/tasks/new' }, icon('plus', 16), t('task.new')),
        liveBadge(),
        language,
        h('span', { class: 'me' }, raw(me.name, 'span', { class: 'me-name' })),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => signOut() } }, t('shell.sign_out')))),
    main,
  );
  return { main, navigate, render };
}
