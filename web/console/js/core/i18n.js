// Translations and locale-aware formatting. Catalogues are flat maps of
// keys to strings ("{name}" placeholders; plural forms as {one, other});
// every user-visible word of the console goes through t(). Dates and times
// are shown in the plant's timezone (tz.js) and the user's locale.
import { getZone } from './tz.js';

export const LOCALES = ['en', 'fr'];
let locale = 'en';
let catalog = {};
let fallback = {};
const missing = new Set();

export async function loadLocale(code) {
  const wanted = LOCALES.includes(code) ? code : 'en';
  const [main, en] = await Promise.all([
    import(`../i18n/${wanted}.js`),
    wanted === 'en' ? null : import('../i18n/en.js'),
  ]);
  catalog = main.default;
  fallback = en ? en.default : catalog;
  locale = wanted;
  document.documentElement.lang = wanted;
  formats.clear();
}

export function getLocale() {
  return locale;
}

/** Keys the running page asked for that the catalogue lacks (tests read this). */
export function missingKeys() {
  return [...missing];
}

function pick(entry, params) {
  if (entry && typeof entry === 'object') {
    const n = params && typeof params.n === 'number' ? params.n : 0;
    const form = new Intl.PluralRules(locale).select(n);
    return entry[form] ?? entry.other;
  }
  return entry;
}

/** The text of `key` with {placeholders} filled. */
export function t(key, params) {
  let entry = catalog[key];
  if (entry === undefined) {
    missing.add(key);
    entry = fallback[key];
    if (entry === undefined) return key;
  }
  const text = pick(entry, params);
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in params)) return m;
    const v = params[name];
    return typeof v === 'number' ? num(v) : String(v);
  });
}

/** True when `key` exists in the current catalogue. */
export function has(key) {
  return key in catalog;
}

const formats = new Map();
function fmt(kind, options) {
  const cacheKey = `${kind}|${getZone()}|${JSON.stringify(options)}`;
  let f = formats.get(cacheKey);
  if (!f) {
    const opts = { ...options };
    if (kind === 'date') opts.timeZone = getZone();
    f = kind === 'date' ? new Intl.DateTimeFormat(locale, opts)
      : kind === 'rel' ? new Intl.RelativeTimeFormat(locale, opts)
      : new Intl.NumberFormat(locale, opts);
    formats.set(cacheKey, f);
  }
  return f;
}

const toDate = (v) => (v instanceof Date ? v : new Date(typeof v === 'string' ? Date.parse(v) : v));

export function num(n, options = {}) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return fmt('num', options).format(n);
}

export function pct(ratio) {
  if (ratio === null || ratio === undefined) return '—';
  return fmt('num', { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

export function hours(h) {
  if (h === null || h === undefined) return '—';
  return t('unit.hours', { h: num(h, { maximumFractionDigits: h < 10 ? 1 : 0 }) });
}

/** "1 h 05 min", "12 min", "45 s" */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('unit.seconds', { s });
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  if (hh === 0) return t('unit.minutes', { m: mm });
  if (hh >= 48) return t('unit.dh', { d: Math.floor(hh / 24), h: hh % 24 });
  return t('unit.hm', { h: hh, m: String(mm).padStart(2, '0') });
}

export function date(v, style = { dateStyle: 'medium' }) {
  if (v === null || v === undefined || v === '') return '—';
  return fmt('date', style).format(toDate(v));
}

/**
 * One clock per language, everywhere (lists, calendar, floor, exports):
 * English 12-hour ("9:30 AM"), French 24-hour ("09:30").
 */
export function clockOptions() {
  return locale === 'fr' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' };
}

/** "Dec 3, 2026, 9:30 AM" / "3 déc. 2026, 09:30" */
export function dateTime(v) {
  return date(v, { year: 'numeric', month: 'short', day: 'numeric', ...clockOptions() });
}

/** "Thu, Dec 3, 9:30 AM" — for lists and tables: one short line, no year. */
export function shortDateTime(v) {
  return date(v, { weekday: 'short', month: 'short', day: 'numeric', ...clockOptions() });
}

export function time(v) {
  return date(v, clockOptions());
}

/** An hour of the plant's day as a label: "6 AM" / "06 h". */
export function hourLabel(v) {
  return date(v, locale === 'fr' ? { hour: '2-digit', hourCycle: 'h23' } : { hour: 'numeric', hourCycle: 'h12' });
}

export function weekday(v, style = 'short') {
  return date(v, { weekday: style, day: 'numeric', month: 'short' });
}

export function dayMonth(v) {
  return date(v, { day: 'numeric', month: 'short' });
}

/** A measured value with its unit once: "0.05 mm" (a value typed with its unit keeps it). */
export function measured(value, unit) {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value).trim();
  if (!unit || text.toLowerCase().endsWith(String(unit).toLowerCase())) return text;
  return `${text} ${unit}`;
}

/** "5 minutes ago", "in 2 hours". */
export function relative(v, now = Date.now()) {
  if (v === null || v === undefined) return '—';
  const diff = (toDate(v).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  const f = fmt('rel', { numeric: 'auto' });
  if (abs < 60) return f.format(Math.round(diff), 'second');
  if (abs < 3600) return f.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return f.format(Math.round(diff / 3600), 'hour');
  return f.format(Math.round(diff / 86400), 'day');
}
