// SETTINGS: who and which device, the display profile (also switchable by
// voice anywhere: "OPAQUE MODE"…), spoken announcements, unpairing.
import { h } from '../dom.js';
import { pending } from '../queue.js';
import { canListen, listening, speechOn, setSpeechOn } from '../voice.js';

export const settings = {
  view(route, ctx) {
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    const profiles = [['SEE_THROUGH', 'see-through'], ['OPAQUE', 'opaque'], ['PHONE', 'phone']].map(([id, p]) => ({
      id, side: false, tone: ctx.profile === p ? 'accent' : '', run: () => ctx.setProfile(p, { announce: true }),
    }));
    const speech = { id: 'SPEECH', label: speechOn() ? 'SPEECH OFF' : 'SPEECH ON', run: () => { setSpeechOn(!speechOn()); ctx.render(); } };
    const unpair = {
      id: 'UNPAIR',
      label: route.confirmUnpair ? 'UNPAIR NOW' : 'UNPAIR DEVICE',
      tone: 'danger',
      run: () => {
        if (!route.confirmUnpair) { route.confirmUnpair = true; ctx.toast('Say UNPAIR NOW to confirm; this device will need a new code.', 'warn'); ctx.render(); return; }
        ctx.unpair('This device was unpaired.', { revoke: true });
      },
    };
    const facts = [
      ['TECHNICIAN', ctx.me?.name || '—'],
      ['DEVICE', ctx.device?.name || ctx.me?.device?.name || '—'],
      ['DISPLAY', ctx.profile.toUpperCase()],
      ['VOICE', canListen ? (listening() ? 'LISTENING' : 'READY') : 'USE THE DEVICE VOICE OR KEYS'],
      ['WAITING', String(pending.length)],
    ];
    const body = h('div', { class: 'split' },
      h('div', { class: 'panel facts scroller' }, facts.map(([k, v]) => h('div', { class: 'fact' }, h('span', { class: 'fact-k', text: k }), h('span', { class: 'fact-v', text: v })))),
      h('div', { class: 'side' }, [...profiles, speech, unpair].map((c) => ctx.button(c))));
    return { title: 'SETTINGS', body, commands: [...profiles, speech, unpair, back], nav: 'form' };
  },
};
