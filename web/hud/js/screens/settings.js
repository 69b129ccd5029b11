// SETTINGS: who and which device, the display profile (also switchable by
// voice anywhere: "OPAQUE MODE"…), the language, spoken announcements,
// unpairing (or signing out, for a password session).
import { h } from '../dom.js';
import { pending } from '../queue.js';
import { canListen, listening, speechOn, setSpeechOn } from '../voice.js';
import { t, locale, LOCALES } from '../i18n.js';
import { PROFILES, profileCommand } from '../app.js';

export const settings = {
  view(route, ctx) {
    const back = { id: 'BACK', bar: true, run: () => ctx.go(route.back || { name: 'work' }) };
    const profiles = PROFILES.map((p) => ({
      id: profileCommand(p), tone: ctx.profile === p ? 'accent' : '', run: () => ctx.setProfile(p, { announce: true }),
    }));
    const other = LOCALES.find((l) => l !== locale());
    const language = { id: 'LANGUAGE', run: () => ctx.setLanguage(other) };
    const speech = { id: 'SPEECH', label: speechOn() ? undefined : t('cmd.SPEECH_ON'), say: speechOn() ? undefined : t('say.SPEECH_ON'), run: () => { setSpeechOn(!speechOn()); ctx.render(); } };
    const out = ctx.session ? 'SIGN_OUT' : 'UNPAIR';
    const unpair = {
      id: 'UNPAIR',
      label: t(route.confirmUnpair ? `cmd.${out}_NOW` : `cmd.${out}`),
      say: t(route.confirmUnpair ? `say.${out}_NOW` : `say.${out}`),
      bar: true,
      tone: 'danger',
      run: () => {
        if (!route.confirmUnpair) {
          route.confirmUnpair = true;
          ctx.toast(t(ctx.session ? 'settings.confirm_sign_out' : 'settings.confirm_unpair', { cmd: t(`cmd.${out}_NOW`) }), 'warn');
          ctx.render();
          return;
        }
        ctx.unpair(t(ctx.session ? 'unpaired.signed_out' : 'unpaired.here'), { revoke: true });
      },
    };
    const facts = [
      ['settings.technician', ctx.me?.name || '—', true],
      ['settings.device', ctx.session ? t('settings.signed_in') : (ctx.device?.name || ctx.me?.device?.name || '—'), !ctx.session],
      ['settings.display', t(`profile.${ctx.profile}`)],
      ['settings.language', t('language.name')],
      ['settings.voice', canListen ? (listening() ? t('settings.listening') : t('settings.ready')) : t('settings.device_voice')],
      ['settings.waiting', String(pending.length)],
    ];
    const body = h('div', { class: 'split settings' },
      h('div', { class: 'panel facts scroller' }, facts.map(([k, v, isData]) => h('div', { class: 'fact' },
        h('span', { class: 'fact-k', text: t(k) }), h('span', { class: 'fact-v', translate: isData ? 'no' : null, text: v })))),
      h('div', { class: 'choices' }, [...profiles, language, speech].map((c) => ctx.button(c))));
    return { title: t('title.settings'), body, commands: [...profiles, language, speech, unpair, back], nav: 'form' };
  },
};
