// Words for what the HUD shows: times in the plant's time zone, in the
// technician's language; priority, status and durations from the catalogue.
// Upper case where they act as labels.
import { t, intlLocale, onLocale } from './i18n.js';

let zone;
const formats = new Map();
onLocale(() => formats.clear());

export function setTimeZone(tz) {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); zone = tz; } catch { zone = undefined; }
  formats.clear();
}

function fmt(opts) {
  const key = JSON.stringify(opts);
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(), { timeZone: zone, ...opts });
    formats.set(key, f);
  }
  return f;
}

// Day keys compare as strings: always year-month-day, whatever the language.
const dayFormat = () => fmt({ year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'iso8601' });
export function dayKey(date) {
  const p = Object.fromEntries(dayFormat().formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export function clock(date = new Date()) {
  return fmt({ hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

/** "MON 25 NOV" / "LUN. 25 NOV." */
export function day(date) {
  return fmt({ weekday: 'short', day: 'numeric', month: 'short' }).format(date).toUpperCase();
}

/** "TODAY", "TOMORROW", "YESTERDAY" or the day, for an ISO time. */
export function dayName(iso) {
  const d = new Date(iso);
  const k = dayKey(d);
  if (k === dayKey(new Date())) return t('when.today');
  if (k === dayKey(new Date(Date.now() + 86400000))) return t('when.tomorrow');
  if (k === dayKey(new Date(Date.now() - 86400000))) return t('when.yesterday');
  return day(d);
}

/** "TODAY 08:30", "TOMORROW 14:00", "MON 25 NOV 08:30"; "NOT SCHEDULED". */
export function when(iso) {
  if (!iso) return t('when.none');
  return `${dayName(iso)} ${clock(new Date(iso))}`;
}

/** A date without time ("25 NOV 2026"), for close dates ("2026-11-25" is a calendar day, not a UTC instant). */
export function date(iso) {
  if (!iso) return '';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const f = plain ? new Intl.DateTimeFormat(intlLocale(), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })
    : fmt({ day: 'numeric', month: 'short', year: 'numeric' });
  return f.format(new Date(plain ? `${iso}T00:00:00Z` : iso)).toUpperCase();
}

export function isToday(iso) { return Boolean(iso) && dayKey(new Date(iso)) === dayKey(new Date()); }
export function isPastDay(iso) { return Boolean(iso) && dayKey(new Date(iso)) < dayKey(new Date()); }

export function priority(p) { return t(`priority.${[0, 1, 2, 3].includes(p) ? p : 2}`); }

export function status(execution) {
  return ['not_started', 'in_progress', 'paused', 'completed'].includes(execution) ? t(`status.${execution}`) : String(execution || '').toUpperCase();
}

/** "1 H 05 MIN", "12 MIN", "45 S". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return t('unit.hm', { h, m: String(m).padStart(2, '0') });
  if (m) return t('unit.m', { m });
  return t('unit.s', { s });
}

/** "Press 3 · Hall B" */
export function where(equipment) {
  if (!equipment) return t('task.no_machine');
  return [equipment.name, equipment.location].filter(Boolean).join(' · ');
}

/** A number as the technician's language writes it ("42,5" in French). */
export function number(value) {
  const s = String(value ?? '');
  return intlLocale().startsWith('fr') ? s.replace('.', ',') : s;
}
