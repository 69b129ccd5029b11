// Wall-clock arithmetic in the plant's timezone with nothing but Intl: the
// console shows and plans times as they are on the shop floor, whatever the
// browser's own timezone. Instants are epoch milliseconds.

let zone = 'UTC';
const partFormats = new Map();

export function setZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    zone = tz;
  } catch {
    zone = 'UTC';
  }
}

export function getZone() {
  return zone;
}

function partsFormat(tz) {
  let f = partFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
    });
    partFormats.set(tz, f);
  }
  return f;
}

const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The plant's wall clock at `ms`: {y, m (1-12), d, h, mi, s, wd (1 = Monday)}. */
export function parts(ms, tz = zone) {
  const out = {};
  for (const p of partsFormat(tz).formatToParts(new Date(ms))) {
    if (p.type === 'year') out.y = +p.value;
    else if (p.type === 'month') out.m = +p.value;
    else if (p.type === 'day') out.d = +p.value;
    else if (p.type === 'hour') out.h = +p.value;
    else if (p.type === 'minute') out.mi = +p.value;
    else if (p.type === 'second') out.s = +p.value;
    else if (p.type === 'weekday') out.wd = WEEKDAYS[p.value];
  }
  return out;
}

function offsetAt(ms, tz) {
  const p = parts(ms, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant when the plant's clock shows y-m-d h:mi (months 1-12; out-of-range values roll over). */
export function zoned(y, m, d, h = 0, mi = 0, tz = zone) {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  let ms = guess - offsetAt(guess, tz);
  const again = guess - offsetAt(ms, tz);
  if (again !== ms) ms = again;  // across a DST change
  return ms;
}

/** Plant midnight of the day holding `ms`, moved by `days` days. */
export function startOfDay(ms, days = 0) {
  const p = parts(ms);
  return zoned(p.y, p.m, p.d + days);
}

/** Monday 00:00 of the plant's week holding `ms`, moved by `weeks` weeks. */
export function startOfWeek(ms, weeks = 0) {
  const p = parts(ms);
  return zoned(p.y, p.m, p.d - (p.wd - 1) + weeks * 7);
}

export function startOfMonth(ms, months = 0) {
  const p = parts(ms);
  return zoned(p.y, p.m + months, 1);
}

/** Keeps the wall-clock time of `ms` but on the plant day `dayMs` falls in. */
export function onDay(ms, dayMs) {
  const t = parts(ms);
  const d = parts(dayMs);
  return zoned(d.y, d.m, d.d, t.h, t.mi);
}

const pad = (n) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:MM" for <input type="datetime-local">, in the plant's time. */
export function toInput(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  const p = parts(ms);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/** "YYYY-MM-DD" for <input type="date">. */
export function toDateInput(ms) {
  const p = parts(ms);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** Parses toInput()/toDateInput() forms back to an instant; null if empty or malformed. */
export function fromInput(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(text || '');
  if (!m) return null;
  return zoned(+m[1], +m[2], +m[3], +(m[4] || 0), +(m[5] || 0));
}

/** ISO 8601 UTC without milliseconds, as the API writes it. */
export function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseIso(text) {
  return text ? Date.parse(text) : null;
}
