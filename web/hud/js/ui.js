// The frame around every screen: title, status badge, the command bar,
// focus movement for d-pads, toasts, scroll hints, and the sheet (value/note
// entry and the SHOW COMMANDS overlay, paged to what fits on the display).
// Screens hand in {title, body, commands}.
import { h, $, $$ } from './dom.js';
import { labelOf, run } from './commands.js';
import { plainWords as normalizeWords } from './words.js';
import { t } from './i18n.js';

// RealWear's WearHF voice layer reads an element's `title` (with its
// placeholder) as Android's content description: `hf_*` directives there
// tune how it speech-enables the element (see web/hud/README.md).
/** Buttons: the visible label is the command; no number bubble (the HUD numbers its own lists). */
export const HF_BUTTON = 'hf_use_text|hf_no_number';
/** A numbered item or a field: `phrase` is its command instead of its text ("OPEN 3"). */
export function hfSay(phrase) { return `hf_use_description|hf_no_number|${phrase}`; }

let current = { commands: [], nav: 'list' };
let autoKey = null; // the element mount() focused by default (not chosen by the user)

const touch = () => document.documentElement.dataset.profile === 'phone';

/** A button that runs command `cmd` when touched; its text is the spoken command. */
export function cmdButton(cmd, cls = '') {
  return h('button', {
    type: 'button',
    class: `cmd ${cls} ${cmd.primary ? 'primary' : ''} ${cmd.tone ? `tone-${cmd.tone}` : ''}`,
    data: { cmd: cmd.id, key: `cmd-${cmd.id}`, nav: '' },
    disabled: cmd.disabled || false,
    title: HF_BUTTON,
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
  $('#title').translate = !view.titleIsData;
  $('#screen').replaceChildren(view.body);
  $('#screen').dataset.screen = view.name || '';
  const bar = view.commands.filter((c) => c.bar);
  $('#bar').replaceChildren(...bar.map((c) => cmdButton(c)));
  $('#bar').dataset.count = String(bar.length);
  view.mounted?.();
  scrollHints($('#screen'));
  if (!sheetOpen()) {
    const key = view.focus || (keep && !view.resetFocus ? keep : null);
    const target = (key && $(`#screen [data-key="${CSS.escape(key)}"], #bar [data-key="${CSS.escape(key)}"]`))
      || $('#bar .primary') || $('#screen .primary') || $('#screen [data-nav]') || $('#bar [data-nav]');
    target?.focus({ preventScroll: false });
    autoKey = target && !key ? target.dataset.key : null;
  }
}

export function currentView() { return current; }

// ---- scroll hints: a region that holds more than it shows says so -----------

/**
 * Gives every scrolling region under `root` (.scroller, .scrolls) a hint
 * pinned to its bottom edge ("MORE · SAY SCROLL DOWN"), shown while there is
 * more below. Nothing is ever cut off silently.
 */
export function scrollHints(root) {
  for (const box of $$('.scroller, .scrolls', root)) {
    let hint = box.querySelector(':scope > .more-hint');
    if (!hint) {
      hint = h('div', { class: 'more-hint', 'aria-hidden': 'true' }, h('span', { text: t(touch() ? 'hint.more_touch' : 'hint.more') }));
      box.append(hint);
      box.addEventListener('scroll', () => updateHint(box, hint), { passive: true });
    }
    updateHint(box, hint);
  }
}

/** Where the content of `box` ends on screen (its text, or its last child), leaving the hint out. */
function contentBottom(box, hint) {
  let bottom = -Infinity;
  for (const node of box.childNodes) {
    if (node === hint) continue;
    if (node.nodeType === 1) bottom = Math.max(bottom, node.getBoundingClientRect().bottom);
    else if (node.nodeType === 3 && node.textContent.trim()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      bottom = Math.max(bottom, range.getBoundingClientRect().bottom);
    }
  }
  return bottom;
}

function updateHint(box, hint) {
  const inner = box.getBoundingClientRect().top + box.clientTop + box.clientHeight - parseFloat(getComputedStyle(box).paddingBottom);
  const more = contentBottom(box, hint) > inner + 1;
  hint.hidden = !more;
  box.classList.toggle('has-more', more);
}

addEventListener('resize', () => { scrollHints(document); if (pager) pager(); });

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

/** Scrolls the screen's scrollable region (lists, long texts) by a page; pages the command list. */
export function scrollPage(dir) {
  if (pager) { pager(dir); return; }
  const box = $$('#screen .scroller, #screen .scrolls, #sheet .scrolls').find((el) => el.scrollHeight > el.clientHeight);
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
let pager = null; // pages the command list while it is open
export function sheetOpen() { return Boolean(sheet); }
export function sheetState() { return sheet; }

/**
 * Opens an entry sheet. spec: {title, context?, facts?: [[text, tone]], hint,
 * kind: 'number'|'text', value, placeholder, saveLabel, saveSay?, onSave(value),
 * onCancel(), validate?, dictate?, allowEmpty?}. `context` (the step's instruction) is
 * shown whole, scrolling with a hint when long. While open, the view's
 * commands are the sheet's (SAVE…, CLEAR TEXT, CANCEL) and speech is dictation.
 */
export function openEntry(spec) {
  const placeholder = spec.placeholder || t(spec.kind === 'text' ? 'entry.note_placeholder' : 'entry.value_placeholder');
  const input = spec.kind === 'text'
    ? h('textarea', { class: 'entry-input', rows: 3, maxLength: 4000, placeholder, title: hfSay(placeholder), data: { nav: '' } })
    : h('input', { class: 'entry-input entry-number', type: 'text', inputMode: 'decimal', autocomplete: 'off', maxLength: 100, placeholder, title: hfSay(placeholder), data: { nav: '' } });
  input.value = spec.value || '';
  const save = { id: 'SAVE', label: spec.saveLabel, say: spec.saveSay, primary: true, run: () => finish(true) };
  const clear = { id: 'CLEAR', run: () => { input.value = ''; input.focus(); } };
  const cancel = { id: 'CANCEL', run: () => finish(false) };
  const commands = [save, clear, cancel];
  // A long instruction above the field scrolls; saying so must not type it.
  if (spec.context) commands.push({ id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) });
  function finish(ok) {
    const value = input.value.trim();
    if (ok && !value && !spec.allowEmpty) { toast(t(spec.kind === 'text' ? 'entry.note_first' : 'entry.value_first'), 'warn'); input.focus(); return; }
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
  const panel = h('div', { class: `sheet-panel entry entry-kind-${spec.kind}` },
    h('div', { class: 'sheet-title', text: spec.title }),
    spec.context ? h('div', { class: 'entry-context scrolls', translate: 'no', text: spec.context }) : null,
    spec.facts?.length ? h('div', { class: 'entry-facts' }, spec.facts.map(([text, tone]) => h('span', { class: `tag ${tone ? `tag-${tone}` : ''}`, text }))) : null,
    spec.hint ? h('div', { class: 'sheet-hint', text: spec.hint }) : null,
    input,
    h('div', { class: 'sheet-bar' }, [save, clear, cancel].map((c) => cmdButton(c))));
  showSheet(panel, {
    commands,
    dictation: (text) => spec.dictate ? spec.dictate(text, input) : ((input.value = text), true),
    input,
  });
  scrollHints(panel);
  input.focus();
  return { input, finish };
}

/**
 * A question whose answers are commands (a follow-up proposal, a sign-off
 * without a field): spec {title, context?, facts?, hint?, commands: [{id,
 * label?, say?, primary?, run}]}. While open, only its commands are offered;
 * each closes the sheet before it runs.
 */
export function openPrompt(spec) {
  const commands = spec.commands.map((c) => ({ ...c, run: (arg) => { closeSheet(); c.run(arg); } }));
  const panel = h('div', { class: 'sheet-panel prompt' },
    h('div', { class: 'sheet-title', text: spec.title }),
    spec.context ? h('div', { class: 'entry-context scrolls', translate: 'no', text: spec.context }) : null,
    spec.facts?.length ? h('div', { class: 'entry-facts' }, spec.facts.map(([text, tone]) => h('span', { class: `tag ${tone ? `tag-${tone}` : ''}`, text }))) : null,
    spec.hint ? h('div', { class: 'sheet-hint', text: spec.hint }) : null,
    h('div', { class: 'sheet-bar' }, commands.map((c) => cmdButton(c))));
  showSheet(panel, { commands, dictation: null });
  scrollHints(panel);
  ($('#sheet .primary') || $('#sheet .cmd'))?.focus();
}

/**
 * A numbered list to pick one item from (a choice's answers, failure codes):
 * spec {title, hint?, items: [{label, detail?}], onPick(index), commands?
 * (more, e.g. SKIP)}. OPTION n / CHOISIR n, a digit, or the item's own words
 * pick; arrows and Enter too; a long list scrolls and says so.
 */
export function openPicker(spec) {
  const pick = (n) => {
    if (!(n >= 1 && n <= spec.items.length)) { toast(t('toast.no_number', { n }), 'warn'); return; }
    closeSheet();
    spec.onPick(n - 1);
  };
  const option = { id: 'OPTION', run: pick };
  const extra = (spec.commands || []).map((c) => ({ ...c, run: (arg) => { closeSheet(); c.run(arg); } }));
  const cancel = { id: 'CANCEL', run: () => { closeSheet(); spec.onCancel?.(); } };
  const list = h('ol', { class: 'picker scrolls' }, spec.items.map((item, i) => h('li', {},
    h('button', { type: 'button', class: 'item picker-item', data: { cmd: 'OPTION', arg: String(i + 1), nav: '', key: `opt-${i + 1}` },
      title: hfSay(`${t('cmd.OPTION')} ${i + 1}`) },
    h('span', { class: 'num', text: String(i + 1) }),
    h('span', { class: 'picker-label', translate: 'no', text: item.label }),
    item.detail ? h('span', { class: 'picker-detail', translate: 'no', text: item.detail }) : null))));
  const panel = h('div', { class: 'sheet-panel picker-panel' },
    h('div', { class: 'sheet-title', text: spec.title }),
    spec.hint ? h('div', { class: 'sheet-hint', text: spec.hint }) : null,
    list,
    h('div', { class: 'sheet-bar' }, [...extra, cancel].map((c) => cmdButton(c))));
  const words = spec.items.map((item) => normalizeWords(item.label));
  showSheet(panel, {
    commands: [option, ...extra, cancel, { id: 'SCROLL_DOWN', run: () => scrollPage(1) }, { id: 'SCROLL_UP', run: () => scrollPage(-1) }],
    // The item's own words pick it too ("worn", "external leakage").
    dictation: (text) => {
      const said = normalizeWords(text);
      const i = words.findIndex((w) => w === said);
      if (i < 0) return false;
      pick(i + 1);
      return true;
    },
    picker: true,
  });
  scrollHints(panel);
  list.querySelector('button')?.focus();
}

/**
 * The SHOW COMMANDS overlay: every command this screen offers, as buttons.
 * When they do not all fit (640×360, a phone), they are shown a page at a
 * time: MORE COMMANDS (or PageDown) turns the page, and the
 * page count says there is more.
 */
export function openCommandList(commands) {
  const hide = { id: 'HIDE', primary: true, run: () => closeSheet() };
  const shown = commands.filter((c) => c.overlay !== false && !['COMMANDS', 'SELECT', 'HIDE'].includes(c.id));
  const wrap = (c) => ({ ...c, bar: false, primary: false, run: (arg) => { closeSheet(); c.run(arg); } });
  const list = shown.map(wrap);
  const numbered = commands.find((c) => c.id === 'SELECT');
  let page = 0;
  let pages = 1;
  const more = { id: 'MORE', run: () => turn(1) };
  const grid = h('div', { class: 'command-grid' }, list.map((c) => cmdButton(c)));
  const moreButton = cmdButton(more);
  const pageInfo = h('div', { class: 'page-info' });
  const tips = [numbered ? t('commands.say_number', { cmd: labelOf(numbered) }) : null, touch() ? t('commands.touch_hint') : t('commands.keys_hint')];
  const hint = h('div', { class: 'sheet-hint' }, tips.filter(Boolean).map((text) => h('span', { text })));
  showSheet(h('div', { class: 'sheet-panel commands' },
    h('div', { class: 'sheet-head' }, h('div', { class: 'sheet-title', text: t('commands.title') }), pageInfo),
    grid,
    hint,
    h('div', { class: 'sheet-bar' }, moreButton, cmdButton(hide))),
  { commands: [...list, more, hide], dictation: null });

  const buttons = [...grid.children];
  function layout() {
    for (const b of buttons) b.hidden = false;
    moreButton.hidden = false;
    // How many buttons fit: those whose box ends inside the grid.
    const limit = grid.getBoundingClientRect().bottom + 0.5;
    let fit = buttons.findIndex((b) => b.getBoundingClientRect().bottom > limit);
    if (fit < 0) fit = buttons.length;
    fit = Math.max(1, fit);
    pages = Math.ceil(buttons.length / fit);
    page = Math.min(page, pages - 1);
    buttons.forEach((b, i) => { b.hidden = Math.floor(i / fit) !== page; });
    moreButton.hidden = pages < 2;
    pageInfo.textContent = pages > 1 ? t('commands.page', { n: page + 1, total: pages }) : '';
  }
  function turn(dir) {
    if (pages < 2) return;
    page = (page + dir + pages) % pages;
    layout();
    grid.querySelector('.cmd:not([hidden])')?.focus();
  }
  pager = (dir) => (dir ? turn(dir) : layout());
  layout();
  grid.querySelector('.cmd:not([hidden])')?.focus();
}

function showSheet(content, state) {
  sheet = state;
  pager = null;
  const el = $('#sheet');
  el.replaceChildren(content);
  el.hidden = false;
  $('#app').setAttribute('aria-hidden', 'true');
}

export function closeSheet() {
  if (!sheet) return;
  sheet = null;
  pager = null;
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
