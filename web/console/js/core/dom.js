// Small DOM helpers: an element builder, SVG builder, and a few UI
// primitives (toasts, dialogs, confirmation). The CSP forbids inline style
// attributes, so styles are only ever set through the CSSOM (el.style).

import { t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'style') Object.assign(el.style, value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'props') Object.assign(el, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h('div', {class: 'x', on: {click}}, 'text', child…) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs && (attrs instanceof Node || typeof attrs !== 'object' || Array.isArray(attrs))) children.unshift(attrs);
  else apply(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Data from the store (names, titles): never translated, marked as such. */
export function raw(text, tag = 'span', attrs = {}) {
  return h(tag, { ...attrs, translate: 'no' }, text ?? '');
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return [...root.querySelectorAll(selector)];
}

let toastHost;
/**
 * A short message in the corner; `kind` is info, ok or error. With
 * `action` ({label, run}) it carries a button (e.g. Undo) that runs once
 * and closes the message.
 */
export function toast(message, kind = 'info', ms = 4000, action = null) {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const el = h('div', { class: ['toast', `toast-${kind}`] }, h('span', { class: 'toast-text' }, message));
  if (action) {
    el.append(h('button', { class: 'toast-action', type: 'button', on: { click: () => { el.remove(); action.run(); } } }, action.label));
  }
  toastHost.append(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

/**
 * A modal dialog. `build(close)` returns its body; resolves with what
 * close(value) is called with (undefined when dismissed).
 */
export function dialog(title, build, { wide = false } = {}) {
  return new Promise((resolve) => {
    const el = h('dialog', { class: ['dialog', wide && 'dialog-wide'] });
    let done = false;
    const close = (value) => {
      if (done) return;
      done = true;
      el.close();
      el.remove();
      resolve(value);
    };
    el.addEventListener('cancel', (e) => { e.preventDefault(); close(undefined); });
    el.append(
      h('header', { class: 'dialog-head' }, h('h2', {}, title),
        h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('common.close'), title: t('common.close'), on: { click: () => close(undefined) } }, '×')),
      h('div', { class: 'dialog-body' }, build(close)),
    );
    document.body.append(el);
    el.showModal();
    const first = el.querySelector('input, select, textarea, [contenteditable]');
    if (first) first.focus();
  });
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/**
 * Runs `fn` at most once per `ms`, and always once more after the last call
 * (a steady stream of calls cannot starve it, unlike a debounce).
 */
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  const wrapped = () => {
    if (timer) return;
    timer = setTimeout(run, Math.max(0, last + ms - Date.now()));
  };
  wrapped.cancel = () => { clearTimeout(timer); timer = null; };
  return wrapped;
}

/** Downloads a Blob under `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
