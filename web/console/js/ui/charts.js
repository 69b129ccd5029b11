// Hand-drawn charts: SVG for series over time, HTML bars for rankings.
// Each element carries a <title> (hover) and the chart an aria-label.
import { h, s } from '../core/dom.js';
import { num, t } from '../core/i18n.js';

const W = 320;
const H = 120;
const PAD = { l: 4, r: 4, t: 8, b: 2 };

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

/**
 * The axis under a chart, as HTML: at most ~6 labels evenly spread. Drawn
 * in the SVG they would shrink with it (a 320-unit chart in a 250 px card
 * printed its labels at 6.5 px); here they keep the page's type size.
 */
function axisLabels(labels) {
  const axis = h('div', { class: 'chart-axis', translate: 'no' });
  const n = labels.length;
  if (!n) return axis;
  const step = Math.max(1, Math.ceil(n / 6));
  labels.forEach((label, i) => {
    if (i % step !== 0 && i !== n - 1) return;
    if (i !== n - 1 && n - 1 - i < step && i !== 0) return;
    const el = h('span', { class: ['chart-tick', i === 0 && 'is-first', i === n - 1 && n > 1 && 'is-last'] }, label);
    el.style.left = `${((i + 0.5) / n) * 100}%`;
    axis.append(el);
  });
  return axis;
}

/** The SVG and its HTML axis in one box. */
function withAxis(svg, labels) {
  return h('div', { class: 'chart-box' }, svg, axisLabels(labels));
}

function frame(aria) {
  return s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': aria });
}

/**
 * Stacked (or single) bars per bucket.
 * series: [{key, cls, label}], buckets: [{label, title, values: {key: n}}]
 */
export function barChart({ series, buckets, aria = '', format = num }) {
  const svg = frame(aria);
  const totals = buckets.map((b) => series.reduce((sum, se) => sum + (b.values[se.key] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const cw = (W - PAD.l - PAD.r) / Math.max(1, buckets.length);
  const ih = H - PAD.t - PAD.b;
  svg.append(s('line', { class: 'baseline', x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b }));
  buckets.forEach((b, i) => {
    let y = H - PAD.b;
    for (const se of series) {
      const v = b.values[se.key] || 0;
      if (!v) continue;
      const bh = (v / max) * ih;
      y -= bh;
      svg.append(s('rect', { class: `bar ${se.cls}`, x: PAD.l + cw * i + cw * 0.15, y, width: Math.max(1, cw * 0.7), height: bh },
        s('title', {}, t('chart.bucket_value', { bucket: b.title, label: se.label, value: format(v) }))));
    }
  });
  return withAxis(svg, buckets.map((b) => b.label));
}

/** A line (with a soft area) through one value per bucket; null values break the line. */
export function lineChart({ points, aria = '', cls = 'line-accent', format = num, min = 0, maxValue }) {
  const svg = frame(aria);
  const values = points.map((p) => p.value).filter((v) => v !== null && v !== undefined);
  const max = maxValue ?? niceMax(Math.max(min, ...values));
  const cw = (W - PAD.l - PAD.r) / Math.max(1, points.length);
  const ih = H - PAD.t - PAD.b;
  const xy = (i, v) => [PAD.l + cw * (i + 0.5), H - PAD.b - ((v - min) / (max - min || 1)) * ih];
  svg.append(s('line', { class: 'baseline', x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b }));
  let path = '';
  let area = '';
  let runStart = null;
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      if (runStart !== null) area += `L${xy(i - 1, min)[0]},${H - PAD.b}Z`;
      runStart = null;
      return;
    }
    const [x, y] = xy(i, p.value);
    if (runStart === null) {
      path += `M${x},${y}`;
      area += `M${x},${H - PAD.b}L${x},${y}`;
      runStart = i;
    } else {
      path += `L${x},${y}`;
      area += `L${x},${y}`;
    }
    if (i === points.length - 1) area += `L${x},${H - PAD.b}Z`;
  });
  svg.append(s('path', { class: `area ${cls}`, d: area }), s('path', { class: `line ${cls}`, d: path }));
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    const [x, y] = xy(i, p.value);
    svg.append(s('circle', { class: `dot ${cls}`, cx: x, cy: y, r: points.length > 40 ? 0.8 : 2 },
      s('title', {}, t('chart.value', { label: p.title, value: format(p.value) }))));
  });
  return withAxis(svg, points.map((p) => p.label));
}

/** Ranked horizontal bars: rows [{label (Node|string), value, text, href, cls}]. */
export function hbars(rows, { format = num, max } = {}) {
  const top = max ?? Math.max(0, ...rows.map((r) => r.value || 0));
  return h('ol', { class: 'hbars' }, rows.map((r) => {
    const fill = h('span', { class: ['hbar-fill', r.cls] });
    fill.style.width = `${top > 0 ? Math.max(1, (100 * (r.value || 0)) / top) : 0}%`;
    const label = r.href ? h('a', { href: r.href }, r.label) : r.label;
    return h('li', { class: 'hbar' }, h('span', { class: 'hbar-label' }, label),
      h('span', { class: 'hbar-track' }, fill), h('span', { class: 'hbar-value' }, r.text ?? format(r.value)));
  }));
}

/** A 100% split bar with a legend: parts [{label, value, cls}]. */
export function splitBar(parts, { format = num } = {}) {
  const total = parts.reduce((a, p) => a + (p.value || 0), 0);
  const bar = h('div', { class: 'split' });
  for (const p of parts) {
    const seg = h('span', { class: ['split-seg', p.cls], title: t('chart.value', { label: p.label, value: format(p.value) }) });
    seg.style.width = `${total ? (100 * p.value) / total : 0}%`;
    bar.append(seg);
  }
  const legend = h('div', { class: 'legend' }, parts.map((p) =>
    h('span', { class: 'legend-item' }, h('span', { class: ['swatch', p.cls] }), p.label, ' ', h('b', {}, format(p.value)))));
  return h('div', {}, bar, legend);
}

/** A legend for series. */
export function legend(series) {
  return h('div', { class: 'legend' }, series.map((se) =>
    h('span', { class: 'legend-item' }, h('span', { class: ['swatch', se.cls] }), se.label)));
}
