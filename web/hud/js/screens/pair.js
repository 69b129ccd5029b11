// Pairing: scan the QR code the console shows, or say/type its 6 characters
// once. Nothing else to type on the glasses.
import { h } from '../dom.js';
import { parsePairingCode } from '../words.js';

let busy = false;

async function submit(ctx, route, code) {
  const canonical = parsePairingCode(code || '');
  if (!canonical) { ctx.toast('A pairing code has 6 letters and digits, like "K7M2QX".', 'warn'); return; }
  if (busy) return;
  busy = true;
  route.code = canonical;
  route.error = '';
  route.status = 'PAIRING…';
  ctx.render();
  try {
    const device = await ctx.redeem(canonical);
    busy = false;
    ctx.notice = '';
    if (location.pathname.startsWith('/hud')) history.replaceState(null, '', '/hud/#/');
    ctx.announce(`PAIRED · ${(ctx.me?.name || '').toUpperCase()} · ${device.name.toUpperCase()}`, 'ok', `Paired. Hello ${ctx.me?.name?.split(' ')[0] || ''}.`);
    document.dispatchEvent(new CustomEvent('visor:paired'));
  } catch (e) {
    busy = false;
    route.status = '';
    route.error = e.offline ? 'Visor cannot be reached. Check the network and try again.' : e.message;
    ctx.render();
  }
}

export const pair = {
  view(route, ctx) {
    const input = h('input', {
      class: 'field code-input', type: 'text', maxLength: 9, autocomplete: 'off', autocapitalize: 'characters', spellcheck: false,
      value: route.code || '', placeholder: 'CODE', 'aria-label': 'Pairing code', data: { nav: '', key: 'pair-code' },
    });
    input.addEventListener('input', () => { route.code = input.value.toUpperCase(); });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(ctx, route, input.value); } });
    const message = route.error || ctx.notice;
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel pair' },
        h('div', { class: 'big', text: 'PAIR THIS DEVICE' }),
        h('p', { text: 'Ask your manager for a pairing code in the Visor console. Scan its QR code, or say or type the 6 characters.' }),
        input,
        route.status ? h('div', { class: 'meta', text: route.status }) : null,
        message ? h('div', { class: 'notice', role: 'alert', text: message }) : null),
      null);
    return {
      title: 'VISOR',
      body,
      nav: 'form',
      focus: route.code ? 'cmd-PAIR' : 'pair-code',
      commands: [
        { id: 'PAIR', bar: true, primary: true, run: () => submit(ctx, route, route.code) },
        { id: 'SCAN', label: 'SCAN CODE', say: ['scan code', 'scan qr code', 'scan'], bar: true, run: () => ctx.go({ name: 'camera', mode: 'scan', back: route }) },
        { id: 'CLEAR', bar: true, run: () => { route.code = ''; route.error = ''; ctx.render(); } },
        { id: 'BACK', run: () => {} },
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
