// A small rich-text editor for instructions: paragraphs, numbered and bullet
// lists, bold, italic — the HTML Odoo's editor produces and the server turns
// into steps. Pasted or loaded HTML is reduced to those tags (no attributes),
// so nothing active ever enters the page.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

const ALLOWED = new Set(['P', 'BR', 'OL', 'UL', 'LI', 'B', 'STRONG', 'I', 'EM', 'U', 'H3', 'H4', 'DIV']);

/** The HTML reduced to the allowed tags, attributes dropped. */
export function sanitize(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  const clean = (node) => {
    const out = document.createDocumentFragment();
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.append(child.textContent);
      else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.tagName === 'SCRIPT' || child.tagName === 'STYLE') continue;
        const inner = clean(child);
        if (ALLOWED.has(child.tagName)) {
          const el = document.createElement(child.tagName === 'DIV' ? 'p' : child.tagName.toLowerCase());
          el.append(inner);
          out.append(el);
        } else {
          out.append(inner);
        }
      }
    }
    return out;
  };
  const holder = document.createElement('div');
  holder.append(clean(doc.body));
  return holder.innerHTML;
}

/** editor({value, onInput}) → {el, value(), set(html)} */
export function editor({ value = '', onInput = () => {}, label = '' }) {
  // The text is the planner's own (data): not for the translation check.
  const area = h('div', { class: 'editor-area', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true',
    'aria-label': label, spellcheck: 'true', translate: 'no' });
  area.innerHTML = sanitize(value);
  const cmd = (command, arg) => () => {
    area.focus();
    document.execCommand(command, false, arg);
    onInput();
  };
  // Glyphs are symbols (named by their title and aria-label).
  const tool = (key, glyph, fn) => h('button', { type: 'button', class: 'tool', title: t(key), 'aria-label': t(key),
    on: { mousedown: (e) => e.preventDefault(), click: fn } }, h('span', { translate: 'no', 'aria-hidden': 'true' }, glyph));
  const toolbar = h('div', { class: 'editor-tools', role: 'toolbar', 'aria-label': t('editor.tools') },
    tool('editor.numbered', '1.', cmd('insertOrderedList')),
    tool('editor.bullets', '•', cmd('insertUnorderedList')),
    tool('editor.paragraph', '¶', cmd('formatBlock', 'p')),
    tool('editor.bold', 'B', cmd('bold')),
    tool('editor.italic', 'I', cmd('italic')));
  area.addEventListener('input', () => onInput());
  area.addEventListener('paste', (e) => {
    e.preventDefault();
    const html = e.clipboardData.getData('text/html');
    const text = e.clipboardData.getData('text/plain');
    if (html) document.execCommand('insertHTML', false, sanitize(html));
    else document.execCommand('insertText', false, text);
    onInput();
  });
  document.execCommand('defaultParagraphSeparator', false, 'p');
  const el = h('div', { class: 'editor' }, toolbar, area);
  return {
    el,
    area,
    value: () => {
      const html = sanitize(area.innerHTML);
      return area.textContent.trim() ? html : '';
    },
    set(html) {
      area.innerHTML = sanitize(html);
      onInput();
    },
  };
}
