// The frame around every screen: title, status badge, the command bar,
// focus movement for d-pads, toasts, and the sheet (value/note entry and
// the SHOW COMMANDS overlay). Screens hand in {title, body, commands}.
import { h, $, $$ } from './dom.js';
import { labelOf, run } from './commands.js';

let current = { commands: [], nav: 'list' };
let autoKey = null; // the element mount() focused by default (not chosen by the user)

/** A button that runs command `cmd` when touched; its text is the spoken command. */
export function cmdButton(cmd, cls = '') {
  return h('button', {
    type: 'button',
    class: `cmd ${cls} ${cmd.primary ? 'primary' : ''} ${cmd.tone ? `tone-${cmd.tone}` : ''}`,
    data: { cmd: cmd.id, key: `cmd-${cmd.id}`, nav: '' },
    disabled: cmd.disabled || false,
    text: labelOf(cmd),
  });
}

/**
 * Shows a view: {title, body, commands, nav: 'list'|'step'|'form', focus}.
 * Commands with `bar` go in the bottom bar; `primary` gets focus unless the
 * previously focused element (same data-key) still exists.
 */
export function mount(view) {
  const active = document.activeElement?.dataset?.key;
  const keep = active && active !== autoKey ? active : null;
  current = view;
  $('#title').textContent = view.title || '';
  $('#screen').replaceChildren(view.body);
  $('#screen').dataset.screen = view.name || '';
  const bar = view.commands.filter((c) => c.bar);
  $('#bar').replaceChildren(...bar.map((c) => cmdButton(c)));
  $('#bar').dataset.count = String(bar.length);
  view.mounted?.();
  if (!sheetOpen()) {
    const key = view.focus || (keep && !view.resetFocus ? keep : null);
    const target = (key && $(`#screen [data-key="${CSS.escape(key)}"], #bar [data-key="${CSS.escape(key)}"]`))
      || $('#bar .primary') || $('#screen .primary') || $('#screen [data-nav]') || $('#bar [data-nav]');
    target?.focus({ preventScroll: false });
    autoKey = target && !key ? target.dataset.key : null;
  }
}

export function currentView() { return current; }

// ---- focus movement (d-pad, arrows) -------------------------------------

function focusables() {
  const root = sheetOpen() ? $('#sheet') : document;
  const scope = sheetOpen() ? $$('[data-nav]', root) : [...$$('#screen [data-nav]'), ...$$('#bar [data-nav]')];
  return scope.filter((el) => !el.disabled && el.offsetParent !== null);
}

export function moveFocus(delta) {
  const list = focusables();
  if (!list.length) return;
  const i = list.indexOf(document.activeElement);
  const next = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + delta));
  list[next].focus();
  list[next].scrollIntoView({ block: 'nearest' });
}

/** Scrolls the screen's scrollable region (lists, long step text) by a page. */
export function scrollPage(dir) {
  const box = $$('#screen .scroller, #screen .scrolls').find((el) => el.scrollHeight > el.clientHeight);
  if (box) box.scrollBy({ top: dir * box.clientHeight * 0.8, behavior: 'instant' });
  else moveFocus(dir * 3);
}

// ---- status badge, clock -------------------------------------------------

export function setBadge(text, kind) {
  const el = $('#badge');
  el.textContent = text;
  el.className = `badge badge-${kind}`;
}

// ---- toasts --------------------------------------------------------------

export function toast(text, kind = 'info', ms = 4500) {
  const box = $('#toasts');
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
  box.append(el);
  while (box.children.length > 2) box.firstElementChild.remove();
  setTimeout(() => el.remove(), ms);
  return el;
}

// ---- the sheet: a field with dictation, or the command list ---------------

let sheet = null;
export function sheetOpen() { return Boolean(sheet); }
export function sheetState() { return sheet; }

/**
 * Opens an entry sheet. spec: {title, hint, kind: 'number'|'text', value,
 * saveLabel, onSave(value), onCancel()}. While open, the view's commands
 * are the sheet's (SAVE…, CLEAR TEXT, CANCEL) and speech is dictation.
 */
export function openEntry(spec) {
  const input = spec.kind === 'text'
    ? h('textarea', { class: 'entry-input', rows: 3, maxLength: 4000, placeholder: spec.placeholder || 'SAY OR TYPE THE NOTE', data: { nav: '' } })
    : h('input', { class: 'entry-input entry-number', type: 'text', inputMode: 'decimal', autocomplete: 'off', maxLength: 100, placeholder: spec.placeholder || 'SAY THE VALUE', data: { nav: '' } });
  input.value = spec.value || '';
  const save = { id: 'SAVE', label: spec.saveLabel || 'SAVE', primary: true, run: () => finish(true) };
  const clear = { id: 'CLEAR', run: () => { input.value = ''; input.focus(); } };
  const cancel = { id: 'CANCEL', run: () => finish(false) };
  const commands = [save, clear, cancel];
  function finish(ok) {
    const value = input.value.trim();
    if (ok && !value) { toast(spec.kind === 'text' ? 'Say or type the note first.' : 'Say or type the value first.', 'warn'); input.focus(); return; }
    if (ok && spec.validate) {
      const problem = spec.validate(value);
      if (problem) { toast(problem, 'warn'); input.focus(); return; }
    }
    closeSheet();
    if (ok) spec.onSave(value); else spec.onCancel?.();
  }
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (spec.kind !== 'text' || !e.shiftKey)) { e.preventDefault(); e.stopPropagation(); finish(true); }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); finish(false); }
  });
  showSheet(h('div', { class: 'sheet-panel entry' },
    h('div', { class: 'sheet-title', text: spec.title }),
    spec.hint ? h('div', { class: 'sheet-hint', text: spec.hint }) : null,
    input,
    h('div', { class: 'sheet-bar' }, commands.map((c) => cmdButton(c)))), {
    commands,
    dictation: (text) => spec.dictate ? spec.dictate(text, input) : ((input.value = text), true),
    input,
  });
  input.focus();
  return { input, finish };
}

/** The SHOW COMMANDS overlay: every command this screen offers, as buttons. */
export function openCommandList(commands) {
  const hide = { id: 'HIDE', primary: true, run: () => closeSheet() };
  const shown = commands.filter((c) => !['COMMANDS', 'SELECT', 'HIDE'].includes(c.id));
  const wrap = (c) => ({ ...c, bar: false, primary: false, run: (arg) => { closeSheet(); c.run(arg); } });
  const list = shown.map(wrap);
  const numbered = commands.find((c) => c.id === 'SELECT');
  showSheet(h('div', { class: 'sheet-panel commands' },
    h('div', { class: 'sheet-title', text: 'SAY OR SELECT A COMMAND' }),
    h('div', { class: 'command-grid scroller' }, list.map((c) => cmdButton(c))),
    h('div', { class: 'sheet-bar' },
      h('div', { class: 'sheet-hint', text: numbered ? `Say a number: ${labelOf(numbered)} 3` : 'Arrows move · Enter selects · Esc closes' }),
      cmdButton(hide))),
  { commands: [...list, hide], dictation: null });
  $('#sheet .command-grid .cmd')?.focus();
}

function showSheet(content, state) {
  sheet = state;
  const el = $('#sheet');
  el.replaceChildren(content);
  el.hidden = false;
  $('#app').setAttribute('aria-hidden', 'true');
}

export function closeSheet() {
  if (!sheet) return;
  sheet = null;
  const el = $('#sheet');
  el.hidden = true;
  el.replaceChildren();
  $('#app').removeAttribute('aria-hidden');
  ($('#bar .primary') || $('#screen [data-nav]'))?.focus();
}

// ---- touch: every [data-cmd] element dispatches through the same path ----

export function installTouch() {
  document.addEventListener('click', (e) => {
    const el = e.target.closest('[data-cmd]');
    if (!el || el.disabled) return;
    e.preventDefault();
    const arg = el.dataset.arg !== undefined ? Number(el.dataset.arg) || el.dataset.arg : undefined;
    run(el.dataset.cmd, arg, e.detail === 0 ? 'key' : 'touch');
  });
}
