// The public page behind a machine's QR label, for anyone without a paired
// device: say what is wrong; the planners get a request to triage. No login;
// the server rate-limits it per address.
import { h } from '../dom.js';
import { api } from '../api.js';

const state = { machine: null, error: '', sent: null, sending: false, draft: { title: '', description: '', contact: '' } };

export const publicReport = {
  view(route, ctx) {
    const m = state.machine;
    let content;
    if (state.sent) {
      content = [
        h('div', { class: 'big ok', text: 'THANK YOU' }),
        h('p', { text: `Your report #${state.sent.id} was received. The maintenance team has been told.` }),
        h('button', { type: 'button', class: 'cmd primary', data: { cmd: 'REPORT', nav: '' }, text: 'REPORT ANOTHER' }),
      ];
    } else if (!m) {
      content = [h('div', { class: 'big', text: state.error ? 'MACHINE NOT FOUND' : 'LOADING…' }), state.error ? h('p', { text: state.error }) : null];
    } else {
      const form = h('form', { class: 'public-form', novalidate: true },
        h('label', { class: 'label', for: 'p-title', text: 'What is wrong?' }),
        h('input', { id: 'p-title', name: 'title', class: 'field', required: true, maxLength: 200, autocomplete: 'off', placeholder: 'e.g. Oil leak under the press', value: state.draft.title, data: { nav: '' } }),
        h('label', { class: 'label', for: 'p-desc', text: 'Details (optional)' }),
        h('textarea', { id: 'p-desc', name: 'description', class: 'field', rows: 3, maxLength: 4000, value: state.draft.description, data: { nav: '' } }),
        h('label', { class: 'label', for: 'p-contact', text: 'Your name or phone (optional)' }),
        h('input', { id: 'p-contact', name: 'contact', class: 'field', maxLength: 200, autocomplete: 'name', value: state.draft.contact, data: { nav: '' } }),
        state.error ? h('div', { class: 'notice', role: 'alert', text: state.error }) : null,
        h('button', { type: 'submit', class: 'cmd primary', disabled: state.sending, text: state.sending ? 'SENDING…' : 'SEND REPORT', data: { nav: '' } }));
      form.addEventListener('input', (e) => { if (e.target.name) state.draft[e.target.name] = e.target.value; });
      form.addEventListener('submit', (e) => { e.preventDefault(); send(route, ctx); });
      content = [h('div', { class: 'big', text: m.name }), h('div', { class: 'meta', text: [m.location, m.code].filter(Boolean).join(' · ') }), form];
    }
    return {
      title: 'REPORT A PROBLEM',
      body: h('div', { class: 'panel public' }, content, h('a', { class: 'link', href: '/hud/', text: 'Technician? Pair this device' })),
      public: true,
      showCommandsInBar: false,
      nav: 'form',
      commands: [{ id: 'REPORT', label: 'REPORT ANOTHER', run: () => { state.sent = null; ctx.render(); } }],
    };
  },
  enter(route, ctx) {
    state.machine = null;
    state.error = '';
    state.sent = null;
    api('GET', `/api/v1/public/equipment/${encodeURIComponent(route.code)}`, { auth: false })
      .then((res) => { state.machine = res.json; ctx.render(); })
      .catch((e) => { state.error = e.offline ? 'No connection. Try again when online.' : e.message; ctx.render(); });
  },
};

async function send(route, ctx) {
  const d = state.draft;
  const body = { title: d.title.trim(), description: d.description.trim(), contact: d.contact.trim() };
  if (!body.title) { state.error = 'Please say what is wrong.'; ctx.render(); return; }
  state.sending = true;
  state.error = '';
  ctx.render();
  try {
    const res = await api('POST', `/api/v1/public/equipment/${encodeURIComponent(route.code)}/report`, { body, auth: false });
    state.sent = res.json;
    state.draft = { title: '', description: '', contact: d.contact };
  } catch (e) {
    state.error = e.offline ? 'No connection: your report was not sent. Try again.' : e.message;
  }
  state.sending = false;
  ctx.render();
}
