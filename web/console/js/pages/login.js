// Sign-in for planners. Technicians who sign in here are sent to the
// glasses' app; everybody else lands where they were going.
import { h } from '../core/dom.js';
import { post, ApiError } from '../core/api.js';
import { t, loadLocale, getLocale, LOCALES } from '../core/i18n.js';
import { navigate } from '../core/router.js';
import { isPlanner } from '../core/store.js';

export async function render(root, ctx) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const login = h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'login-form', novalidate: true },
    h('label', {}, t('login.login'), login),
    h('label', {}, t('login.password'), password),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!login.value || !password.value) {
      error.textContent = t('login.missing');
      return;
    }
    submit.disabled = true;
    try {
      const me = await post('/session', { login: login.value.trim(), password: password.value });
      if (!isPlanner(me)) {
        location.replace('/hud/');
        return;
      }
      const next = ctx.query.next && ctx.query.next.startsWith('/') && !ctx.query.next.startsWith('//') ? ctx.query.next : '/';
      location.assign(next);  // a fresh start loads /me (locale, the plant's timezone)
    } catch (err) {
      submit.disabled = false;
      if (err instanceof ApiError && err.status === 429) error.textContent = t('login.throttled');
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) error.textContent = t('login.failed');
      else error.textContent = t('error.generic');
      password.select();
    }
  });
  const languages = h('div', { class: 'login-langs' }, LOCALES.map((code) =>
    h('button', { type: 'button', class: ['link-btn', code === getLocale() && 'active'],
      on: { click: async () => { await loadLocale(code); navigate(location.pathname + location.search, { replace: true }); } } },
    t(`lang.${code}`))));
  root.append(h('div', { class: 'login' },
    h('div', { class: 'login-card' },
      h('div', { class: 'brand brand-lg', translate: 'no' }, h('span', { class: 'brand-mark' }, 'V'), h('span', {}, 'Visor')),
      h('h1', {}, t('login.title')),
      h('p', { class: 'muted' }, t('login.subtitle')),
      form,
      h('p', { class: 'muted small' }, t('login.technicians'), ' ', h('a', { href: '/hud/', 'data-external': '' }, t('login.hud'))),
      languages)));
  login.focus();
}
