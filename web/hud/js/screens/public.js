// The public page behind a machine's QR label, for anyone without a paired
// device: say what is wrong; the planners get a request to triage. No login;
// the server rate-limits it per address. In the browser's language.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

const state = { machine: null, error: '', sent: null, sending: false, draft: { title: '', description: '', contact: '' } };

function problem(e, fallbackKey) {
  if (e.offline) return t(fallbackKey);
  if (e.status === 429) return t('public.throttled');
  if (e.status === 404) return t('public.unknown_machine');
  return e.message;
}

export const publicReport = {
  view(route, ctx) {
    const m = state.machine;
    let content;
    if (state.sent) {
      content = [
        h('div', { class: 'big ok', text: t('public.thanks') }),
        h('p', { text: t('public.received', { id: state.sent.id }) }),
        h('button', { type: 'button', class: 'cmd primary', data: { cmd: 'REPORT', nav: '' }, text: t('cmd.REPORT_ANOTHER') }),
      ];
    } else if (!m) {
      content = [h('div', { class: 'big', text: state.error ? t('public.not_found') : t('common.loading') }),
        state.error ? h('p', {}, h('span', { text: state.error }), ' ', h('span', { translate: 'no', text: `(${route.code})` })) : null];
    } else {
      const form = h('form', { class: 'public-form', novalidate: true },
        h('label', { class: 'label', for: 'p-title', text: t('public.what') }),
        h('input', { id: 'p-title', name: 'title', class: 'field', required: true, maxLength: 200, autocomplete: 'off', placeholder: t('public.what_placeholder'), value: state.draft.title, data: { nav: '' } }),
        h('label', { class: 'label', for: 'p-desc', text: t('public.details') }),
        h('textarea', { id: 'p-desc', name: 'description', class: 'field', rows: 3, maxLength: 4000, placeholder: t('public.details_placeholder'), value: state.draft.description, data: { nav: '' } }),
        h('label', { class: 'label', for: 'p-contact', text: t('public.contact') }),
        h('input', { id: 'p-contact', name: 'contact', class: 'field', maxLength: 200, autocomplete: 'name', placeholder: t('public.contact_placeholder'), value: state.draft.contact, data: { nav: '' } }),
        state.error ? h('div', { class: 'notice', role: 'alert', text: state.error }) : null,
        h('button', { type: 'submit', class: 'cmd primary', disabled: state.sending, text: state.sending ? t('public.sending') : t('public.send'), data: { nav: '' } }));
      form.addEventListener('input', (e) => { if (e.target.name) state.draft[e.target.name] = e.target.value; });
      form.addEventListener('submit', (e) => { e.preventDefault(); send(route, ctx); });
      content = [h('div', { class: 'big', translate: 'no', text: m.name }), h('div', { class: 'meta wrap', translate: 'no', text: [m.location, m.code].filter(Boolean).join(' · ') }), form];
    }
    return {
      title: t('title.public'),
      body: h('div', { class: 'panel public' }, content, h('a', { class: 'link', href: '/hud/', text: t('public.technician') })),
      public: true,
      showCommandsInBar: false,
      nav: 'form',
      commands: [{ id: 'REPORT', label: t('cmd.REPORT_ANOTHER'), say: t('say.REPORT_ANOTHER'), run: () => { state.sent = null; ctx.render(); } }],
    };
  },
  enter(route, ctx) {
    state.machine = null;
    state.error = '';
    state.sent = null;
    api('GET', `/api/v1/public/equipment/${encodeURIComponent(route.code)}`, { auth: false })
      .then((res) => { state.machine = res.json; ctx.render(); })
      .catch((e) => { state.error = problem(e, 'public.offline'); ctx.render(); });
  },
};

async function send(route, ctx) {
  const d = state.draft;
  const body = { title: d.title.trim(), description: d.description.trim(), contact: d.contact.trim() };
  if (!body.title) { state.error = t('public.title_first'); ctx.render(); return; }
  state.sending = true;
  state.error = '';
  ctx.render();
  try {
    const res = await api('POST', `/api/v1/public/equipment/${encodeURIComponent(route.code)}/report`, { body, auth: false });
    state.sent = res.json;
    state.draft = { title: '', description: '', contact: d.contact };
  } catch (e) {
    state.error = problem(e, 'public.not_sent');
  }
  state.sending = false;
  ctx.render();
}
