// Glasses: pairing (a one-time code shown as a QR code and as text; the
// glasses scan it, or the technician says it) and the device list.
import { h, raw, toast, dialog } from '../core/dom.js';
import { get, post, del } from '../core/api.js';
import { t, duration } from '../core/i18n.js';
import { select, field, card, when, whenRelative, empty } from '../ui/common.js';

// The display profiles the HUD knows (decision 0009); a new pairing starts
// from the fleet's profile, the one the last glasses paired or chose.
const PROFILES = ['see-through', 'opaque', 'dark-opaque', 'phone'];

/** The SVG the server rendered, shown as an image (never parsed into the page). */
export function svgImage(svg, alt) {
  const url = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
  return h('img', { src: url, alt, class: 'qr-img' });
}

export async function pairDialog(user) {
  let fleet = 'see-through';
  try {
    const known = (await get('/devices')).fleet_profile;
    if (PROFILES.includes(known)) fleet = known;
  } catch {
    // without the device list, the first profile
  }
  return dialog(t('pair.title', { name: user.name }), (close) => {
    const name = h('input', { value: t('pair.default_name', { name: user.name.split(' ')[0] }), maxlength: 64, translate: 'no' });
    const profile = select(PROFILES.map((p) => ({ value: p, label: t(`profile.${p}`) })), fleet);
    const out = h('div', { class: 'pair-out' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'stack' },
      h('div', { class: 'form-row' }, field('pair.device_name', name), field('pair.profile', profile)),
      error,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('pair.create')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => close(true) } }, t('common.close'))),
      out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        const p = await post('/pairings', { user_id: user.id, device_name: name.value.trim(), profile: profile.value });
        const expires = Date.parse(p.expires_at);
        const left = h('b', {});
        const tick = () => {
          const s = Math.max(0, (expires - Date.now()) / 1000);
          left.textContent = duration(s);
          if (s <= 0) { out.classList.add('is-expired'); clearInterval(timer); }
        };
        const timer = setInterval(tick, 1000);
        tick();
        out.replaceChildren(
          h('div', { class: 'pair-qr' }, svgImage(p.qr_svg, t('pair.qr_alt'))),
          h('div', { class: 'pair-code', dataset: { code: p.code }, translate: 'no' }, p.code),
          h('p', { class: 'muted small' }, t('pair.instructions')),
          h('p', { class: 'small' }, t('pair.expires_in'), ' ', left));
        form.querySelector('button[type=submit]').textContent = t('pair.again');
      } catch (err) {
        error.textContent = err.message;
      }
    });
    return form;
  });
}

export async function devicesCard(users, reload) {
  const people = new Map(users.map((u) => [u.id, u]));
  const devices = (await get('/devices')).items.sort((a, b) => (a.revoked_at ? 1 : 0) - (b.revoked_at ? 1 : 0) || b.id - a.id);
  const revoke = async (d) => {
    const ok = await dialog(t('device.revoke_title'), (close) => h('div', {},
      h('p', {}, t('device.revoke_confirm')), raw(d.name, 'p', { class: 'strong' }),
      h('div', { class: 'form-actions' },
        h('button', { class: 'btn btn-danger', type: 'button', on: { click: () => close(true) } }, t('device.revoke')),
        h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => close(false) } }, t('common.cancel')))));
    if (!ok) return;
    try {
      await del(`/devices/${d.id}`);
      toast(t('device.revoked'), 'ok');
      reload();
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  const body = devices.length ? h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ['device', 'person', 'profile', 'paired', 'last_seen', 'status', 'actions'].map((c) => h('th', {}, t(`col.${c}`))))),
    h('tbody', {}, devices.map((d) => h('tr', { class: [d.revoked_at && 'is-inactive'], dataset: { deviceId: d.id } },
      h('td', {}, raw(d.name, 'strong')),
      h('td', {}, people.get(d.user_id) ? raw(people.get(d.user_id).name) : '—'),
      h('td', {}, PROFILES.includes(d.profile) ? t(`profile.${d.profile}`) : raw(d.profile)),
      h('td', {}, when(d.created_at)),
      h('td', {}, d.last_used_at ? whenRelative(d.last_used_at) : h('span', { class: 'muted' }, t('device.never'))),
      h('td', {}, d.revoked_at ? h('span', { class: 'badge overdue' }, t('device.revoked_badge')) : h('span', { class: 'badge exec-in_progress' }, t('device.active'))),
      h('td', { class: 'actions' }, d.revoked_at ? null
        : h('button', { class: 'btn btn-small btn-danger-ghost', type: 'button', on: { click: () => revoke(d) } }, t('device.revoke'))))))) : empty('device.none');
  return card('people.devices', body);
}
