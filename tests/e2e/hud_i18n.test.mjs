// The HUD's languages, without a browser: the English and French catalogues
// hold the same keys, kinds and placeholders; no user-facing literal is left
// in the HUD's code or page (everything shown or said comes from a
// catalogue); and web/hud/README.md tells what a technician says, in both
// languages. (The French UI itself is walked, screen by screen, for text
// that is neither catalogue nor data in hud_layout.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './harness.mjs';
import { literals, userFacing } from './hud_source.mjs';
import { CATALOGUES } from '../../web/hud/js/i18n.js';
import { COMMAND_IDS, VARIANTS } from '../../web/hud/js/commands.js';

const hud = join(repoRoot, 'web/hud');
const { en, fr } = CATALOGUES;
const placeholders = (v) => (typeof v === 'string' ? [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort() : []);

test('English and French hold the same keys, kinds and placeholders, none empty', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(Array.isArray(fr[key]), Array.isArray(en[key]), `${key}: text in one, phrases in the other`);
    assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), `placeholders of ${key}`);
    for (const v of [en[key], fr[key]].flat()) assert.ok(typeof v === 'string' && v.trim(), `${key} is not empty`);
  }
  const ids = new Set([...COMMAND_IDS, ...Object.keys(VARIANTS)]);
  for (const key of Object.keys(en).filter((k) => k.startsWith('cmd.'))) assert.ok(ids.has(key.slice(4)), `${key} is a command or a variant`);
  for (const id of COMMAND_IDS) assert.ok(`say.${id}` in en, `say.${id}: every command has further phrases`);
});

test('French is French: an entry the same in both languages is one of the words they share', () => {
  // Spelt alike in both: the brand, units, "MACHINE", "PHOTO", "NOTE", "PAUSE", "OPAQUE", "DESCRIPTION", "CORRECTIVE", counters.
  const shared = ['app.name', 'profile.opaque', 'type.corrective', 'unit.hm', 'unit.m', 'unit.s', 'title.machine', 'title.photo',
    'action.pause', 'action.note', 'action.photo', 'work.group', 'tag.steps_short', 'tag.photos.one', 'tag.photos.other',
    'card.description', 'scan.machine'];
  const same = Object.keys(en).filter((k) => typeof en[k] === 'string' && en[k] === fr[k]);
  assert.deepEqual(same.sort(), shared.sort());
  for (const k of Object.keys(en).filter((key) => Array.isArray(en[key]))) {
    assert.ok(fr[k].some((p) => !en[k].includes(p)), `${k}: French phrases of their own`);
  }
});

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('no user-facing literal in the HUD code: every word comes from the catalogues', () => {
  const ids = new Set([...COMMAND_IDS, ...Object.keys(VARIANTS), 'Bearer']);
  // words.js is the speech grammar (number words, units, range phrases in each language), not text shown.
  const sources = files(join(hud, 'js')).filter((f) => f.endsWith('.js') && !f.includes('/i18n/') && !f.endsWith('/words.js'));
  assert.ok(sources.length > 20);
  const found = [];
  for (const f of sources) {
    for (const l of literals(readFileSync(f, 'utf8'))) {
      if (userFacing(l.value, ids)) found.push(`${relative(hud, f)}:${l.line}: ${JSON.stringify(l.value)}`);
    }
  }
  assert.deepEqual(found, []);
  // The check itself: it would see a literal toast, a label, a French word.
  const seen = (code) => literals(code).some((l) => userFacing(l.value, ids));
  assert.ok(seen("ctx.toast('Task paused', 'info');"));
  assert.ok(seen("h('span', { text: 'SAFETY' })"));
  assert.ok(seen('const x = `Étape ${n}`;'));
  assert.ok(!seen("h('div', { class: 'tag tag-danger', data: { cmd: 'SEE_THROUGH' } }); if (e.key === 'ArrowDown') x = /Safety: (.*)/;"));
});

test('the page itself holds no words but the brand (and a bilingual no-script line)', () => {
  const page = readFileSync(join(hud, 'index.html'), 'utf8');
  const body = page.slice(page.indexOf('<body'), page.indexOf('</body>')).replace(/<noscript>[\s\S]*?<\/noscript>/, '');
  const texts = body.replace(/<[^>]+>/g, '\n').split('\n').map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(texts, ['VISOR']);
  assert.match(page, /<body[^>]*title="hf_no_number"/, 'RealWear: no number bubbles over the HUD');
  assert.match(page, /<noscript><p[^>]*lang="en"[^>]*>[^<]+<\/p><p[^>]*lang="fr"[^>]*>[^<]+<\/p><\/noscript>/);
});

test('web/hud/README.md tells what a technician says, in English and in French', () => {
  const readme = readFileSync(join(hud, 'README.md'), 'utf8');
  for (const cat of [en, fr]) {
    for (const [key, label] of Object.entries(cat)) {
      if (key.startsWith('cmd.')) assert.ok(readme.includes(label), `README names ${key} "${label}"`);
    }
  }
  for (const directive of ['hf_no_number', 'hf_use_text', 'hf_use_description']) assert.ok(readme.includes(directive), directive);
});
