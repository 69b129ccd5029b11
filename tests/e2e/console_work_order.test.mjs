// The work-order report (issue 13): one completed task as a page a plant
// files — steps with their times, values, notes, photos, who and when —
// printed by Chromium's own print engine from the print stylesheet (no PDF
// library in Visor). The PDF is read back with poppler's pdftotext and
// pdfimages (Debian's poppler-utils, a test dependency).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { outDir } from './harness.mjs';
import { techApi, userId, task, createTask, go, openConsole, closeConsole } from './console_support.mjs';

let server;
let browser;
let mgr;
let session;

before(async () => ({ server, browser, mgr, session } = await openConsole('/')));
after(() => closeConsole({ server, browser, session }));

/** A small PNG (a coloured rectangle) made here, so that the suite needs no file. */
function png(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);  // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const pdftotext = (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfimages = (file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
const pdfpages = (file) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);

test('a completed task prints as a work order: steps with times, values and notes, photos, who and when', async () => {
  const { page } = session;
  const alice = await techApi(server, 'alice');
  const aliceId = await userId(mgr, 'alice');
  const t = await createTask(mgr, {
    title: 'Replace the hydraulic filter of press 1', assignee_id: aliceId, schedule_start: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    description: 'Pressure drops after 20 minutes of running.',
    instructions: '<p>Safety: lock out the press first.</p><ol><li>Lock out the main power</li><li>Measure the filter gap (mm)</li><li>Fit the new cartridge</li></ol>',
  });
  assert.equal((await alice.post(`/api/v1/tasks/${t.id}/start`)).status, 200);
  await alice.post(`/api/v1/tasks/${t.id}/steps/1`, { done: true });
  await alice.post(`/api/v1/tasks/${t.id}/steps/2`, { done: true, value: '0.05', note: 'Gap within tolerance' });
  const up = await fetch(`${server.url}/api/v1/tasks/${t.id}/photos?step=3`, {
    method: 'POST', headers: { ...alice.headers, 'Content-Type': 'image/png' }, body: png(160, 120, [200, 60, 40]) });
  assert.equal(up.status, 201, await up.text());
  await alice.post(`/api/v1/tasks/${t.id}/steps/3`, { done: true });
  await alice.post(`/api/v1/tasks/${t.id}/notes`, { text: 'Old cartridge was clogged with metal chips.' });
  assert.equal((await alice.post(`/api/v1/tasks/${t.id}/complete`)).status, 200);
  const done = await task(mgr, t.id);
  assert.equal(done.execution, 'completed');

  await go(page, `/tasks/${t.id}`);
  await page.click('a[data-work-order]');
  await page.waitForURL(new RegExp(`/tasks/${t.id}/report$`));
  await page.waitForFunction(() => document.querySelector('#page')?.dataset.ready === '1');
  await page.waitForFunction(() => [...document.querySelectorAll('.work-order img')].every((i) => i.complete && i.naturalWidth > 0));

  const file = join(outDir, `work-order-${t.id}.pdf`);
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
  const text = pdftotext(file).replace(/[ \t]+/g, ' ');
  assert.match(text, /work order/i, 'the page says what it is');
  for (const expected of ['Replace the hydraulic filter of press 1', `Visor task ${t.id}`,
    'Pressure drops after 20 minutes of running.', 'Safety: lock out the press first.', 'Lock out the main power',
    'Measure the filter gap (mm)', '0.05 mm', 'Gap within tolerance', 'Fit the new cartridge', 'Old cartridge was clogged with metal chips.',
    'Alice Martin', 'Completed', 'Time on tool', 'Technician — name and signature']) {
    assert.ok(text.includes(expected), `the PDF says "${expected}"`);
  }
  // Who and when for each step.
  const stepLine = text.split('\n').find((l) => l.includes('Measure the filter gap'));
  assert.match(stepLine, /Done.*0\.05 mm.*Gap within tolerance.*Alice Martin/);
  assert.match(text, new RegExp(`${new Date().getUTCFullYear()}`));
  // Only the report: no navigation, no buttons.
  for (const absent of ['Live floor', 'Sign out', 'Print or save as PDF', 'New task']) assert.ok(!text.includes(absent), `no "${absent}" in print`);
  const images = pdfimages(file);
  assert.equal(images.length >= 1, true, `the photo is in the PDF (${images.length} image(s))`);
  assert.ok(pdfpages(file) >= 1);
  assert.deepEqual(page.errors, []);
});
