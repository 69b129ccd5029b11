// Keys: arrows/d-pad move focus (in step mode ← → are BACK/NEXT), Enter
// selects, Escape/Backspace/Back go back, the context-menu key shows the
// commands, digits open numbered items or run the n-th bar button.
import { available, run } from './commands.js';
import { moveFocus, scrollPage, currentView, sheetOpen } from './ui.js';
import { $$ } from './dom.js';

function primary() {
  return available().find((c) => c.primary);
}

function has(id) { return available().some((c) => c.id === id); }

export function installKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const inField = t instanceof HTMLElement && t.matches('input, textarea, select, [contenteditable]');
    const onButton = t instanceof HTMLElement && t.matches('button, a[href], [role=button]');
    const stepNav = !sheetOpen() && currentView().nav === 'step';
    const handled = (ok) => { if (ok) e.preventDefault(); };
    switch (e.key) {
      case 'Escape':
      case 'GoBack':
      case 'BrowserBack':
        handled(sheetOpen() ? run(has('CANCEL') ? 'CANCEL' : 'HIDE', undefined, 'key') : run('BACK', undefined, 'key'));
        return;
      case 'Backspace':
        if (!inField) handled(sheetOpen() ? run(has('CANCEL') ? 'CANCEL' : 'HIDE', undefined, 'key') : run('BACK', undefined, 'key'));
        return;
      case 'ArrowDown':
      case 'ArrowUp':
        // In a text area the arrows move the caret, until it reaches the end (or start): then focus moves on.
        if (t instanceof HTMLTextAreaElement && (e.key === 'ArrowDown' ? t.selectionEnd < t.value.length : t.selectionStart > 0)) return;
        e.preventDefault();
        moveFocus(e.key === 'ArrowDown' ? 1 : -1);
        return;
      case 'ArrowRight':
      case 'ArrowLeft':
        if (inField) return;
        e.preventDefault();
        if (stepNav) run(e.key === 'ArrowRight' ? 'NEXT' : 'BACK', undefined, 'key');
        else moveFocus(e.key === 'ArrowRight' ? 1 : -1);
        return;
      case 'Enter':
      case ' ':
        if (inField || onButton) return; // the field or the button's own click handles it
        handled(primary() ? run(primary().id, undefined, 'key') : false);
        return;
      case 'ContextMenu':
      case 'F1':
      case '?':
        if (inField && e.key === '?') return;
        handled(run(sheetOpen() && has('HIDE') ? 'HIDE' : 'COMMANDS', undefined, 'key'));
        return;
      case 'Home':
        if (!inField) handled(run('HOME', undefined, 'key'));
        return;
      case 'PageDown':
      case 'PageUp':
        e.preventDefault();
        scrollPage(e.key === 'PageDown' ? 1 : -1);
        return;
      default:
        if (!inField && /^[0-9]$/.test(e.key) && (e.key !== '0' || digits)) handled(digit(Number(e.key)));
    }
  });
}

// Digits pick numbered items; "2" then "6" within a moment opens item 26.
let digits = '';
let digitTimer = null;

function digit(n) {
  if (!sheetOpen() && has('SELECT')) {
    clearTimeout(digitTimer);
    digits += String(n);
    const count = $$('#screen [data-cmd="SELECT"]').length;
    const fire = () => { const k = Number(digits); digits = ''; run('SELECT', k, 'key'); };
    if (Number(digits) * 10 > count) fire();
    else digitTimer = setTimeout(fire, 700);
    return true;
  }
  // In a list to pick from, digits pick its items.
  if (sheetOpen() && $$('#sheet [data-cmd="OPTION"]').length) return run('OPTION', n, 'key');
  const buttons = (sheetOpen() ? $$('#sheet .cmd') : $$('#bar .cmd')).filter((b) => b.offsetParent !== null);
  const b = buttons[n - 1];
  if (!b || b.disabled) return false;
  return run(b.dataset.cmd, undefined, 'key');
}
