// People and devices: accounts with their roles and teams (create, edit,
// disable, reset a password), pairing codes for glasses, and the devices
// with their last use (revoke).
import { h, clear, raw, toast, dialog } from '../core/dom.js';
import { get, post, patch } from '../core/api.js';
import { t, getLocale } from '../core/i18n.js';
import { invalidate, teams as loadTeams, state, isAdmin } from '../core/store.js';
import { select, field, card, whenRelative } from '../ui/common.js';
import { icon } from '../ui/icons.js';
import { devicesCard, pairDialog } from './people_devices.js';

const ROLES = ['technician', 'manager', 'admin'];

function userForm(user, teams, close) {
  const me = state.me;
  const roles = isAdmin(me) ? ROLES : ['technician'];
  const login = h('input', { value: user?.login || '', required: true, autocomplete: 'off', disabled: !!user, translate: 'no' });
  const name = h('input', { value: user?.name || '', required: true, translate: 'no' });
  const email = h('input', { type: 'email', value: user?.email || '', translate: 'no' });
  const role = select(roles.map((r) => ({ value: r, label: t(`role.${r}`) })), user?.role || 'technician', { disabled: !!user && !isAdmin(me) });
  const team = select([{ value: '', label: t('common.no_team') }, ...teams.map((x) => ({ value: x.id, label: x.name, raw: true }))], user?.team_id ?? '');
  const locale = select(['en', 'fr'].map((l) => ({ value: l, label: t(`lang.${l}`) })), user?.locale || getLocale());
  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: 12 });
  const active = h('input', { type: 'checkbox', checked: user ? user.active : true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'stack' },
    field('user.login', login), field('user.name', name), field('user.email', email),
    h('div', { class: 'form-row' }, field('user.role', role), field('field.team', team), field('user.locale', locale)),
    field(user ? 'user.new_password' : 'user.password', password, user ? 'user.password_keep' : 'user.password_hint'),
    user ? h('label', { class: 'inline' }, active, t('user.active')) : null,
    h('p', { class: 'muted small' }, t('user.odoo_note')),
    error,
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, user ? t('common.save') : t('user.create')),
      h('button', { class: 'btn btn-ghost', type: 'button', on: { click: () => close(null) } }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      let saved;
      if (user) {
        const body = { name: name.value.trim(), email: email.value.trim(), team_id: team.value ? Number(team.value) : null, locale: locale.value };
        if (isAdmin(me) && role.value !== user.role) body.role = role.value;
        if (active.checked !== user.active) body.active = active.checked;
        if (password.value) body.password = password.value;
        saved = await patch(`/users/${user.id}`, body);
      } else {
        saved = await post('/users', { login: login.value.trim(), name: name.value.trim(), email: email.value.trim(), role: role.value,
          team_id: team.value ? Number(team.value) : undefined, locale: locale.value, password: password.value });
      }
      close(saved);
    } catch (err) {
      error.textContent = err.message;
    }
  });
  return form;
}

export async function render(root) {
  const teams = await loadTeams();
  const teamName = new Map(teams.map((x) => [x.id, x.name]));
  const usersHost = h('div', {});
  const devicesHost = h('div', {});
  let users = [];

  async function edit(user) {
    const saved = await dialog(user ? t('user.edit_title') : t('user.new_title'), (close) => userForm(user, teams, close));
    if (!saved) return;
    toast(user ? t('common.saved') : t('user.created'), 'ok');
    invalidate('users');
    await load();
  }

  async function load() {
    users = (await get('/users?include_inactive=true')).items;
    const rows = users.map((u) => h('tr', { class: [!u.active && 'is-inactive'], dataset: { id: u.id } },
      h('td', {}, raw(u.name, 'strong'), h('div', { class: 'sub' }, raw(u.login, 'span', { class: 'code' }))),
      h('td', {}, h('span', { class: ['badge', `role-${u.role}`] }, t(`role.${u.role}`))),
      h('td', {}, u.team_id ? raw(teamName.get(u.team_id)) : h('span', { class: 'muted' }, '—')),
      h('td', {}, t(`lang.${u.locale}`)),
      h('td', {}, u.active ? t('user.active') : h('span', { class: 'muted' }, t('user.disabled'))),
      h('td', {}, whenRelative(u.created_at)),
      h('td', { class: 'actions' },
        h('button', { class: 'btn btn-small', type: 'button', on: { click: () => edit(u) } }, t('common.edit')),
        u.active ? h('button', { class: 'btn btn-small', type: 'button', on: { click: () => pairDialog(u).then(() => loadDevices()) } },
          icon('glasses', 16), t('pair.button')) : null)));
    clear(usersHost).append(h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['person', 'role', 'team', 'language', 'status', 'created', 'actions'].map((c) => h('th', {}, t(`col.${c}`))))),
      h('tbody', {}, rows)));
  }

  async function loadDevices() {
    clear(devicesHost).append(await devicesCard(users, loadDevices));
  }

  root.append(
    card('people.users', usersHost, h('button', { class: 'btn btn-primary', type: 'button', on: { click: () => edit(null) } }, icon('plus', 16), t('user.new'))),
    devicesHost);
  await load();
  await loadDevices();
}
