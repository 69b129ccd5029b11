// Tiny DOM helpers: build elements without innerHTML (server text is never
// parsed as markup), and turn CMMS HTML into plain text safely.

/**
 * h('div', {class: 'x', data: {key: 'a'}, on: {click: f}}, 'text', child…)
 * Attributes whose value is false/null/undefined are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'data') for (const [k, v] of Object.entries(value)) el.dataset[k] = v;
    else if (name === 'on') for (const [k, f] of Object.entries(value)) el.addEventListener(k, f);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Plain text of an HTML fragment from the CMMS; scripts never run (inert document). */
export function htmlToText(html) {
  if (!html) return '';
  if (!/[<&]/.test(html)) return html.trim();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  for (const p of doc.querySelectorAll('p, li, div')) p.append('\n');
  return doc.body.textContent.replace(/\n{3,}/g, '\n\n').trim();
}

/** Shrinks `el`'s font size in 2 px steps until its content fits, not below `min`. */
export function fitText(el, max, min) {
  let size = max;
  el.style.fontSize = `${size}px`;
  while (size > min && el.scrollHeight > el.clientHeight + 1) {
    size -= 2;
    el.style.fontSize = `${size}px`;
  }
  el.classList.toggle('scrolls', el.scrollHeight > el.clientHeight + 1);
}
