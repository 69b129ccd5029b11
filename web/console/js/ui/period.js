// Report periods in the plant's calendar: the instants the server needs
// (from, to, bucket bounds, today, this week), computed with tz.js.
import { startOfDay, startOfWeek, startOfMonth, iso, zoned } from '../core/tz.js';
import { dayMonth, date, weekday } from '../core/i18n.js';

export const PERIODS = ['7d', '30d', '90d', '12m'];

/** The buckets of `period` ending with the current day/week/month. */
export function periodBounds(period, now = Date.now()) {
  const starts = [];
  let unit;
  if (period === '7d' || period === '30d') {
    unit = 'day';
    const n = period === '7d' ? 7 : 30;
    for (let i = n - 1; i >= -1; i--) starts.push(startOfDay(now, -i));
  } else if (period === '90d') {
    unit = 'week';
    for (let i = 12; i >= -1; i--) starts.push(startOfWeek(now, -i));
  } else {
    unit = 'month';
    for (let i = 11; i >= -1; i--) starts.push(startOfMonth(now, -i));
  }
  const from = starts[0];
  const to = starts[starts.length - 1];
  return {
    unit,
    from: iso(from),
    to: iso(to),
    bounds: starts.slice(1, -1).map(iso),
    dayStart: iso(startOfDay(now)),
    weekFrom: iso(startOfWeek(now)),
    weekTo: iso(startOfWeek(now, 1)),
  };
}

/** Axis label and tooltip title of a bucket. */
export function bucketLabels(bucket, unit) {
  if (unit === 'month') {
    return { label: date(bucket.start, { month: 'short' }), title: date(bucket.start, { month: 'long', year: 'numeric' }) };
  }
  if (unit === 'week') return { label: dayMonth(bucket.start), title: weekday(bucket.start, 'long') };
  return { label: dayMonth(bucket.start), title: weekday(bucket.start, 'long') };
}

/** An explicit period [from, to) from two plant dates "YYYY-MM-DD" (to inclusive). */
export function dateRange(fromDate, toDate) {
  const [fy, fm, fd] = fromDate.split('-').map(Number);
  const [ty, tm, td] = toDate.split('-').map(Number);
  return { from: iso(zoned(fy, fm, fd)), to: iso(zoned(ty, tm, td + 1)) };
}
