// Console machines: the printable A4 sheet holds one scannable QR label per
// machine (each decoded here with jsQR), with the machine's name and code;
// the machine page shows its reliability and label.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { go, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/machines')));
after(() => closeConsole({ server, browser, session }));

/** Renders each label's SVG onto a canvas in the page; returns [{id, code, name, width, height, pixels(base64 RGBA)}]. */
function rasterize(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const fig of document.querySelectorAll('.label')) {
      const img = fig.querySelector('img.label-qr');
      if (!img.complete || !img.naturalWidth) await img.decode();
      const size = 480;
      const canvas = document.createElement('canvas');
      canvas.width = size;
      canvas.height = size;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, size, size);
      ctx.drawImage(img, 0, 0, size, size);
      const data = ctx.getImageData(0, 0, size, size).data;
      let bin = '';
      for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
      out.push({ id: fig.dataset.id, code: fig.dataset.code, name: fig.querySelector('.label-name').textContent,
        caption: fig.querySelector('.label-code').textContent, width: size, height: size, pixels: btoa(bin) });
    }
    return out;
  });
}

test('the QR label sheet has one scannable code per machine, with its name and code', async () => {
  const { page } = session;
  const all = [];
  let after = 0;
  for (;;) {
    const res = await mgr.get(`/api/v1/equipment?limit=100&after=${after}`);
    all.push(...res.json.items);
    if (!res.json.next_after) break;
    after = res.json.next_after;
  }
  assert.ok(all.length >= 20, 'the demo plant has machines');

  await go(page, '/machines/labels');
  await page.waitForFunction((n) => document.querySelectorAll('.label img.label-qr').length === n, all.length);
  const pages = await page.$$eval('.sheet', (els) => els.length);
  assert.equal(pages, Math.ceil(all.length / 15), 'A4 pages of 3 × 5 labels');
  const size = await page.$eval('.sheet', (el) => [el.getBoundingClientRect().width, el.getBoundingClientRect().height]);
  assert.ok(Math.abs(size[0] / size[1] - 210 / 297) < 0.01, 'sheets have the A4 aspect ratio');

  const labels = await rasterize(page);
  assert.equal(labels.length, all.length);
  const byId = new Map(all.map((m) => [String(m.id), m]));
  const seen = new Set();
  for (const l of labels) {
    const m = byId.get(l.id);
    assert.ok(m, `label ${l.id} is a machine`);
    assert.equal(l.name, m.name);
    assert.equal(l.caption, m.code);
    const pixels = new Uint8ClampedArray(Buffer.from(l.pixels, 'base64'));
    const qr = jsQR(pixels, l.width, l.height);
    assert.ok(qr, `label of ${m.code} decodes`);
    assert.ok(qr.data.endsWith(`/m/${m.code}`), `${m.code}: ${qr.data}`);
    seen.add(m.id);
  }
  assert.equal(seen.size, all.length, 'every machine exactly once');

  // A selection prints only the chosen machines.
  await go(page, `/machines/labels?ids=${all[0].id},${all[5].id}`);
  await page.waitForFunction(() => document.querySelectorAll('.label').length === 2);
  const two = await rasterize(page);
  assert.deepEqual(two.map((l) => l.code), [all[0].code, all[5].code]);
  for (const l of two) assert.ok(jsQR(new Uint8ClampedArray(Buffer.from(l.pixels, 'base64')), l.width, l.height));
});

test('print styles: only the sheets are printed, one A4 page each', async () => {
  const { page } = session;
  await go(page, '/machines/labels');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.sidebar'), false);
  assert.equal(await page.isVisible('.toolbar'), false);
  assert.equal(await page.isVisible('.sheet'), true);
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const count = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  await page.emulateMedia({ media: 'screen' });
  assert.equal(count, await page.$$eval('.sheet', (els) => els.length));
});

test('a machine page shows its open work, history, MTBF/MTTR and its QR code', async () => {
  const { page } = session;
  const m = (await mgr.get('/api/v1/equipment?limit=1')).json.items[0];
  await go(page, `/machines/${m.id}`);
  await page.waitForSelector('[data-stat="mtbf"]');
  const img = page.locator('.qr-img');
  await img.evaluate((el) => el.decode());
  assert.equal(await img.getAttribute('src'), `/api/v1/equipment/${m.id}/qr.svg`);
  assert.ok(await page.isVisible('text=Open work'));
  assert.deepEqual(page.errors, []);
});
