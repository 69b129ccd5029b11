// A printable A4 sheet of QR labels: several per page, each the machine's
// QR code (the server's equipment/{id}/qr.svg, without its own caption, the
// same code the glasses scan) over its name (two lines at most), its code
// once, and what anyone may do with it: scan to report a problem. The code
// keeps its size and place whatever the length of the name. Machines: ?ids=1,2,3 or a machine
// filter (q, category, team); all of them when nothing is given.
import { h, clear, raw } from '../core/dom.js';
import { get, query } from '../core/api.js';
import { t } from '../core/i18n.js';
import { setQuery } from '../core/router.js';
import { select, empty, loading } from '../ui/common.js';
import { icon } from '../ui/icons.js';

const LAYOUTS = { small: { cols: 4, rows: 6 }, medium: { cols: 3, rows: 5 }, large: { cols: 2, rows: 3 } };
const MAX = 1000;

async function machines(q) {
  if (q.ids) {
    const ids = q.ids.split(',').map(Number).filter((n) => n > 0).slice(0, MAX);
    return Promise.all(ids.map((id) => get(`/equipment/${id}`)));
  }
  const out = [];
  let after = null;
  do {
    const page = await get(`/equipment${query({ q: q.q, category: q.category, team: q.team, after, limit: 500 })}`);
    out.push(...page.items);
    after = page.next_after;
  } while (after && out.length < MAX);
  return out;
}

export async function render(root, ctx) {
  let layout = LAYOUTS[ctx.query.size] ? ctx.query.size : 'medium';
  const sheets = h('div', { class: 'sheets' }, loading());
  const count = h('span', { class: 'muted small' });
  const sizeSel = select(Object.keys(LAYOUTS).map((k) => ({ value: k, label: t(`labels.size.${k}`, LAYOUTS[k]) })), layout,
    { 'aria-label': t('labels.size'), on: { change: (e) => { layout = e.target.value; setQuery({ ...ctx.query, size: layout }); draw(); } } });
  root.append(h('div', { class: 'toolbar no-print' },
    h('button', { class: 'btn btn-primary', type: 'button', on: { click: () => window.print() } }, icon('print', 16), t('labels.print')),
    sizeSel, count, h('span', { class: 'muted small' }, t('labels.hint'))), sheets);

  const list = await machines(ctx.query);
  function draw() {
    const { cols, rows } = LAYOUTS[layout];
    const per = cols * rows;
    clear(sheets);
    sheets.dataset.layout = layout;
    count.textContent = t('labels.count', { n: list.length, pages: Math.ceil(list.length / per) });
    if (!list.length) { sheets.append(empty('labels.none')); return; }
    for (let i = 0; i < list.length; i += per) {
      const page = h('div', { class: ['sheet', `sheet-${layout}`] });
      for (const m of list.slice(i, i + per)) {
        page.append(h('figure', { class: 'label', dataset: { id: m.id, code: m.code } },
          h('img', { class: 'label-qr', src: `/api/v1/equipment/${m.id}/qr.svg?caption=false`, alt: t('machine.qr_alt', { code: m.code }), decoding: 'async' }),
          h('figcaption', {}, raw(m.name, 'span', { class: 'label-name', title: m.name }), raw(m.code, 'span', { class: 'label-code' }),
            h('span', { class: 'label-hint' }, t('labels.scan_hint')))));
      }
      sheets.append(page);
    }
  }
  draw();
}
