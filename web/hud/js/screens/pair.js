// Pairing: scan the QR code the console shows, or say/type its 6 characters
// once. Nothing else to type on the glasses. On a phone a technician may
// sign in with their password instead (the console brings them back here).
import { h } from '../dom.js';
import { parsePairingCode } from '../words.js';
import { hfSay } from '../ui.js';
import { t } from '../i18n.js';

let busy = false;

function problem(e) {
  if (e.offline) return t('pair.offline');
  if (e.status === 404) return t('pair.unknown');
  if (e.status === 429) return t('pair.throttled');
  return e.message;
}

async function submit(ctx, route, code) {
  const canonical = parsePairingCode(code || '');
  if (!canonical) { ctx.toast(t('pair.format'), 'warn'); return; }
  if (busy) return;
  busy = true;
  route.code = canonical;
  route.error = '';
  route.status = t('pair.pairing');
  ctx.render();
  try {
    const device = await ctx.redeem(canonical);
    busy = false;
    ctx.notice = '';
    if (location.pathname.startsWith('/hud')) history.replaceState(null, '', '/hud/#/');
    const first = ctx.me?.name?.split(' ')[0] || '';
    ctx.announce(t('pair.paired', { name: (ctx.me?.name || '').toUpperCase(), device: device.name.toUpperCase() }), 'ok', t('pair.paired_spoken', { name: first }));
    document.dispatchEvent(new CustomEvent('visor:paired'));
  } catch (e) {
    busy = false;
    route.status = '';
    route.error = problem(e);
    ctx.render();
  }
}

export const pair = {
  view(route, ctx) {
    const placeholder = t('pair.placeholder');
    const input = h('input', {
      class: 'field code-input', type: 'text', maxLength: 9, autocomplete: 'off', autocapitalize: 'characters', spellcheck: false,
      value: route.code || '', placeholder, title: hfSay(placeholder), 'aria-label': t('pair.code_label'), data: { nav: '', key: 'pair-code' },
    });
    input.addEventListener('input', () => { route.code = input.value.toUpperCase(); });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(ctx, route, input.value); } });
    const message = route.error || ctx.notice;
    const phone = ctx.profile === 'phone';
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel pair scrolls' },
        h('div', { class: 'big', text: t('pair.title') }),
        h('p', { text: t(phone ? 'pair.explain_phone' : 'pair.explain') }),
        input,
        route.status ? h('div', { class: 'meta', text: route.status }) : null,
        message ? h('div', { class: 'notice', role: 'alert', text: message }) : null,
        phone ? h('a', { class: 'link', href: '/', title: 'hf_no_number', text: t('pair.password') }) : null),
      null);
    return {
      title: t('app.name'),
      body,
      nav: 'form',
      focus: route.code ? 'cmd-PAIR' : 'pair-code',
      commands: [
        { id: 'PAIR', bar: true, primary: true, run: () => submit(ctx, route, route.code) },
        { id: 'SCAN', label: t('cmd.SCAN_CODE'), say: t('say.SCAN_CODE'), bar: true, run: () => ctx.go({ name: 'camera', mode: 'scan', back: route }) },
        { id: 'CLEAR', bar: true, run: () => { route.code = ''; route.error = ''; ctx.render(); } },
        { id: 'BACK', overlay: false, run: () => {} },
      ],
      // Saying the code: "K 7 M 2 Q X", "kilo seven mike two quebec x-ray".
      dictation: (said) => {
        const code = parsePairingCode(said);
        if (!code) return false;
        route.code = code;
        submit(ctx, route, code);
        return true;
      },
    };
  },
  enter(route, ctx) {
    if (route.auto && route.code) submit(ctx, route, route.code);
  },
};
