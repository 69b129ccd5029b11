// Odoo connection settings (admins). The API key is write-only: the form
// shows whether one is set and sends a new one only when typed.
import { h, toast } from '../core/dom.js';
import { post, request } from '../core/api.js';
import { t } from '../core/i18n.js';
import { field, select } from '../ui/common.js';

const PROTOCOLS = ['auto', 'json2', 'xmlrpc'];

export function settingsForm(s, onSaved) {
  const url = h('input', { type: 'url', value: s.url || '', placeholder: t('sync.url_placeholder'), translate: 'no' });
  const database = h('input', { value: s.database || '', translate: 'no' });
  const login = h('input', { value: s.login || '', autocomplete: 'off', translate: 'no' });
  const secret = h('input', { type: 'password', autocomplete: 'new-password', placeholder: s.secret_set ? t('sync.secret_set') : t('sync.secret_placeholder') });
  const protocol = select(PROTOCOLS.map((p) => ({ value: p, label: t(`sync.protocol.${p}`) })), s.protocol || 'auto');
  const poll = h('input', { type: 'number', min: '1', max: '86400', value: s.poll_interval_seconds ?? '', placeholder: '10' });
  const timeout = h('input', { type: 'number', min: '1', max: '600', value: s.timeout_seconds ?? 30 });
  const verify = h('input', { type: 'checkbox', checked: s.verify_tls !== false });
  const enabled = h('input', { type: 'checkbox', checked: !!s.enabled });
  const guardPercent = h('input', { type: 'number', min: '1', max: '100', value: s.deletion_guard_percent ?? 20 });
  const guardMax = h('input', { type: 'number', min: '1', max: '1000000', value: s.deletion_guard_max ?? 50 });
  const result = h('div', { class: 'test-result', role: 'status' });

  const body = () => {
    const b = { url: url.value.trim(), database: database.value.trim(), login: login.value.trim(), protocol: protocol.value,
      verify_tls: verify.checked, timeout_seconds: Number(timeout.value) || 30, enabled: enabled.checked,
      poll_interval_seconds: poll.value ? Number(poll.value) : null,
      deletion_guard_percent: Number(guardPercent.value) || 20, deletion_guard_max: Number(guardMax.value) || 50 };
    if (secret.value) b.secret = secret.value;
    return b;
  };
  const test = async () => {
    result.className = 'test-result';
    result.textContent = t('sync.testing');
    try {
      const r = await post('/connector/test', body());
      const warned = r.ok && Array.isArray(r.warnings) && r.warnings.length > 0;
      result.className = `test-result ${r.ok && !warned ? 'is-ok' : 'is-bad'}`;
      // The server says plainly when the key sees no requests or equipment.
      result.textContent = r.ok ? [t('sync.test_ok', { server: r.server || '' }), ...(r.warnings || [])].join(' ')
        : `${t('sync.test_failed')} ${r.message || ''}`;
    } catch (e) {
      result.className = 'test-result is-bad';
      result.textContent = e.message;
    }
  };
  const form = h('form', { class: 'stack' },
    h('div', { class: 'form-row' }, field('sync.url', url), field('sync.database', database)),
    h('div', { class: 'form-row' }, field('sync.login', login), field('sync.secret', secret, 'sync.secret_hint')),
    h('div', { class: 'form-row' }, field('sync.protocol', protocol), field('sync.poll_seconds', poll), field('sync.timeout_seconds', timeout)),
    h('div', { class: 'form-row' }, field('sync.guard_percent', guardPercent), field('sync.guard_max', guardMax)),
    h('label', { class: 'inline' }, verify, t('sync.verify_tls')),
    h('label', { class: 'inline' }, enabled, t('sync.enabled')),
    result,
    h('div', { class: 'form-actions' },
      h('button', { class: 'btn btn-primary', type: 'submit' }, t('common.save')),
      h('button', { class: 'btn', type: 'button', on: { click: test } }, t('sync.test'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await request('PUT', '/connector', body());
      secret.value = '';
      toast(t('common.saved'), 'ok');
      onSaved();
    } catch (err) {
      toast(err.message, 'error');
    }
  });
  return form;
}
