// Words for what the HUD shows: times in the plant's time zone, priority,
// status. Short, upper case where they act as labels.

let zone;
export function setTimeZone(tz) {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); zone = tz; } catch { zone = undefined; }
}

const fmt = (opts) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...opts });

export function dayKey(date) {
  return fmt({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function clock(date = new Date()) {
  return fmt({ hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

/** "TODAY 08:30", "TOMORROW 14:00", "MON 25 NOV 08:30". */
export function when(iso) {
  if (!iso) return 'NOT SCHEDULED';
  const d = new Date(iso);
  const today = dayKey(new Date());
  const tomorrow = dayKey(new Date(Date.now() + 86400000));
  const yesterday = dayKey(new Date(Date.now() - 86400000));
  const k = dayKey(d);
  const day = k === today ? 'TODAY' : k === tomorrow ? 'TOMORROW' : k === yesterday ? 'YESTERDAY'
    : fmt({ weekday: 'short', day: 'numeric', month: 'short' }).format(d).toUpperCase();
  return `${day} ${clock(d)}`;
}

export function isToday(iso) { return Boolean(iso) && dayKey(new Date(iso)) === dayKey(new Date()); }
export function isPastDay(iso) { return Boolean(iso) && dayKey(new Date(iso)) < dayKey(new Date()); }

export const PRIORITY = ['VERY LOW', 'LOW', 'NORMAL', 'HIGH'];
export function priority(p) { return PRIORITY[p] ?? 'NORMAL'; }

export function status(execution) {
  return { not_started: 'NOT STARTED', in_progress: 'IN PROGRESS', paused: 'PAUSED', completed: 'COMPLETED' }[execution] || String(execution || '').toUpperCase();
}

/** "1 H 05 MIN", "12 MIN", "45 S". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h} H ${String(m).padStart(2, '0')} MIN`;
  if (m) return `${m} MIN`;
  return `${s} S`;
}

export function where(equipment) {
  if (!equipment) return 'NO MACHINE';
  return [equipment.name, equipment.location].filter(Boolean).join(' · ');
}
