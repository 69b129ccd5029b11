// Reading the HUD's own source for the catalogue check: every string literal
// of a JavaScript file (quotes, template literals with their ${…} parts
// blanked; comments and regular expression literals skipped), and the rule
// that tells a user-facing text from a technical token.

/** String literals of `src`: [{value, line}]. Template parts `${…}` become \u0000. */
export function literals(src) {
  const out = [];
  const n = src.length;
  let i = 0;
  let prev = ''; // the last significant token, to tell a regex from a division
  const regexCanStart = () => prev === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(prev)
    || /(^|[^\w$])(return|typeof|case|in|of|delete|void|throw|new)$/.test(prev);
  const lineAt = (k) => src.slice(0, k).split('\n').length;
  while (i < n) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') { while (i < n && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') { i = src.indexOf('*/', i + 2) + 2; continue; }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let s = '';
      while (j < n && src[j] !== c) {
        if (src[j] === '\\') { s += src[j + 1]; j += 2; continue; }
        if (c === '`' && src[j] === '$' && src[j + 1] === '{') {
          let depth = 1;
          j += 2;
          while (j < n && depth) {
            if (src[j] === '{') depth++;
            else if (src[j] === '}') depth--;
            else if (src[j] === '`' || src[j] === "'" || src[j] === '"') { const q = src[j]; j++; while (j < n && src[j] !== q) j += src[j] === '\\' ? 2 : 1; }
            j++;
          }
          s += '\u0000';
          continue;
        }
        s += src[j];
        j++;
      }
      out.push({ value: s, line: lineAt(i) });
      i = j + 1;
      prev = 'str';
      continue;
    }
    if (c === '/' && regexCanStart()) {
      let j = i + 1;
      let cls = false;
      while (j < n && src[j] !== '\n') {
        if (src[j] === '\\') { j += 2; continue; }
        if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        else if (src[j] === '/' && !cls) break;
        j++;
      }
      i = j + 1;
      while (/[a-z]/.test(src[i] || '')) i++;
      prev = 're';
      continue;
    }
    if (/[\w$]/.test(c)) prev = /[\w$]$/.test(prev) ? prev + c : c;
    else if (!/\s/.test(c)) prev = c;
    else if (/[\w$]$/.test(prev)) prev += ' ';
    if (prev.endsWith(' ')) prev = prev.trimEnd();
    i++;
  }
  return out;
}

/** Technical tokens that look like words: header names, key names, DOM error names… */
const TECHNICAL = new Set([
  'GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'Date', 'ETag', 'Accept', 'Authorization', 'Content-Type', 'If-None-Match',
  'X-CSRF-Token', 'Last-Event-ID', 'Escape', 'Enter', 'Home', 'Backspace', 'GoBack', 'BrowserBack', 'ContextMenu',
  'ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'PageDown', 'PageUp', 'F1', 'UTC', 'DICTATION', 'Bearer',
]);

/**
 * Whether a literal reads as words for people rather than a token for the
 * program. `ids` are the command ids (SEE_THROUGH, SAVE…), which are tokens.
 */
export function userFacing(value, ids) {
  const s = value.replace(/\u0000/g, ' ').trim();
  if (!/\p{L}{2}/u.test(s)) return false; // numbers, punctuation, single letters
  if (TECHNICAL.has(s) || ids.has(s)) return false;
  if (/^(cmd|say)\.[A-Z_ ]+$/.test(s) || /^cmd-[A-Z_]+$/.test(s)) return false; // catalogue keys, focus keys
  if (/^[a-z]{2}-[A-Z]{2}$/.test(s)) return false; // BCP 47 tags
  if (/^[#.[/]/.test(s)) return false; // selectors, paths
  if (/^hf_[a-z_|:]*$/.test(s)) return false; // WearHF directives
  if (/^[a-z]+[A-Z][A-Za-z]*$/.test(s) || /^[A-Z][a-z]+[A-Z][A-Za-z]*$/.test(s)) return false; // camelCase identifiers
  return /\p{Lu}\p{L}/u.test(s) || /[^\x00-\x7f]/.test(s) || /\p{L}\s+\p{L}.*[.!?…:]$/u.test(s);
}
