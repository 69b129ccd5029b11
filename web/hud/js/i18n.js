// The HUD's words: every visible word, spoken command and announcement
// comes from a catalogue (i18n/en.js, i18n/fr.js: the same keys, checked by
// tests/e2e/hud_i18n.test.mjs). The technician's profile picks the language
// (GET /me → locale); before anyone is known (pairing, the public form) the
// browser's language does. Both catalogues are part of the cold load (a few
// KB gzipped), so switching never waits on the network.
import en from './i18n/en.js';
import fr from './i18n/fr.js';

export const CATALOGUES = { en, fr };
export const LOCALES = Object.keys(CATALOGUES);

const SPEECH = { en: 'en-US', fr: 'fr-FR' };
const INTL = { en: 'en-GB', fr: 'fr-FR' };

let lang = 'en';
let cat = en;
const missing = new Set();
const listeners = new Set();

/** The first supported language among `codes` ("fr-CA" → "fr"), else English. */
export function pickLocale(...codes) {
  for (const c of codes.flat()) {
    const base = String(c || '').toLowerCase().split(/[-_]/)[0];
    if (CATALOGUES[base]) return base;
  }
  return 'en';
}

/** Switches the catalogue; returns the language in use. Listeners run when it changed. */
export function setLocale(code) {
  const next = pickLocale(code);
  const changed = next !== lang;
  lang = next;
  cat = CATALOGUES[next];
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (changed) for (const fn of listeners) fn(next);
  return next;
}

export function onLocale(fn) { listeners.add(fn); }
export function locale() { return lang; }
/** BCP 47 tag for speech recognition and synthesis. */
export function speechLang() { return SPEECH[lang]; }
/** Locale for Intl date formats. */
export function intlLocale() { return INTL[lang]; }
/** Keys asked for that the current catalogue lacks (the tests read this). */
export function missingKeys() { return [...missing]; }

function lookup(key) {
  let v = cat[key];
  if (v === undefined) {
    missing.add(key);
    v = en[key];
  }
  return v;
}

/** The text of `key` with {placeholders} filled; arrays (spoken phrases) are returned as they are. */
export function t(key, params) {
  const v = lookup(key);
  if (v === undefined) return key;
  if (typeof v !== 'string' || !params) return v;
  return v.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Plural forms: `key.one` / `key.other` chosen by the language's rules for `n`. */
export function tn(key, n, params = {}) {
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { n, ...params });
}

/** Spoken phrases for `key` (an array, possibly empty). */
export function phrases(key) {
  const v = lookup(key);
  return Array.isArray(v) ? v : [];
}
