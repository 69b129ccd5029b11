// The HUD's pure parts, without a browser: speech → numbers and pairing
// codes, phrase → command matching, and the shape of web/hud itself (the
// offline shell lists every module, no inline script or style for the CSP,
// small files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './harness.mjs';
import { parseNumber, parsePairingCode, normalize } from '../../web/hud/js/words.js';
import { setProvider, match, handleText, VOCAB } from '../../web/hud/js/commands.js';

const hud = join(repoRoot, 'web/hud');

test('numbers from speech', () => {
  const cases = {
    '42.5': '42.5', '42,5': '42.5', 'forty two point five': '42.5', 'minus three point two': '-3.2',
    'one hundred and five': '105', 'twenty-one': '21', '12 bar': '12', '7.5 litres': '7.5', 'zero point zero five': '0.05',
    'two thousand three hundred': '2300', hello: null, '': null,
  };
  for (const [said, want] of Object.entries(cases)) assert.equal(parseNumber(said), want, said);
});

test('pairing codes from typing and speech', () => {
  assert.equal(parsePairingCode('k7m2qx'), 'K7M2QX');
  assert.equal(parsePairingCode('K7M 2QX'), 'K7M2QX');
  assert.equal(parsePairingCode('kilo seven mike two quebec x-ray'), 'K7M2QX');
  assert.equal(parsePairingCode('pair code K 7 M 2 Q X'), 'K7M2QX');
  assert.equal(parsePairingCode('K7M2Q'), null, 'too short');
  assert.equal(parsePairingCode('K7M2Q0'), null, '0 is not in the alphabet');
  assert.equal(parsePairingCode('hello there'), null);
});

test('phrases match commands: labels, synonyms, arguments, bare numbers', () => {
  const ran = [];
  const cmd = (id, extra = {}) => ({ id, run: (arg) => ran.push([id, arg]), ...extra });
  globalThis.requestAnimationFrame ??= (f) => setTimeout(f, 0);
  setProvider(() => ({ commands: [cmd('DONE'), cmd('NEXT'), cmd('BACK'), cmd('VALUE'), cmd('NOTE'), cmd('SELECT'), cmd('SEE_THROUGH')], dictation: null }));
  assert.equal(match('Step done.').cmd.id, 'DONE');
  assert.equal(match('NEXT STEP').cmd.id, 'NEXT');
  assert.equal(match('go back').cmd.id, 'BACK');
  assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('value forty two point five')), ['VALUE', '42.5']);
  assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('add note hose is cracked')), ['NOTE', 'hose is cracked']);
  assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('open 12')), ['SELECT', 12]);
  assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('three')), ['SELECT', 3]);
  assert.equal(match('see through mode').cmd.id, 'SEE_THROUGH');
  assert.equal(match('banana'), null);
  assert.equal(handleText(['banana', 'next step']), 'NEXT', 'the first alternative that matches wins');
  let dictated = null;
  setProvider(() => ({ commands: [cmd('SAVE')], dictation: (t) => { dictated = t; return true; } }));
  assert.equal(handleText('next step'), 'DICTATION', 'while a field is open, other phrases are dictation');
  assert.equal(dictated, 'next step');
  assert.equal(handleText('save'), 'SAVE');
});

test('the vocabulary: upper case, distinct labels and phrases', () => {
  const labels = Object.values(VOCAB).map((v) => v.label);
  assert.equal(new Set(labels).size, labels.length);
  for (const l of labels) assert.equal(l, l.toUpperCase());
  const seen = new Map();
  for (const [id, v] of Object.entries(VOCAB)) {
    for (const p of [v.label, ...v.say].map(normalize)) {
      assert.ok(!seen.has(p) || seen.get(p) === id, `"${p}" means both ${seen.get(p)} and ${id}`);
      seen.set(p, id);
    }
  }
});

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('web/hud: the offline shell and the preloads list every module; no inline code; small files', () => {
  const sw = readFileSync(join(hud, 'sw.js'), 'utf8');
  const index = readFileSync(join(hud, 'index.html'), 'utf8');
  const modules = files(join(hud, 'js')).filter((f) => f.endsWith('.js')).map((f) => `/hud/${relative(hud, f)}`);
  for (const m of modules) {
    assert.ok(sw.includes(`'${m}'`), `${m} is in the service worker's shell`);
    assert.ok(m === '/hud/js/main.js' ? index.includes(`src="${m}"`) : index.includes(`href="${m}"`), `${m} is preloaded by index.html`);
  }
  for (const m of sw.match(/'\/hud\/[^']*'/g)) {
    const path = m.slice(6, -1) || 'index.html';
    assert.ok(statSync(join(hud, path.endsWith('/') ? `${path}index.html` : path)).isFile(), `${m} exists`);
  }
  assert.doesNotMatch(index, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(index, /<style|style="/, 'no inline style');
  for (const f of files(hud).filter((x) => /\.(js|css|html)$/.test(x) && !x.includes('/vendor/'))) {
    const source = readFileSync(f, 'utf8');
    assert.doesNotMatch(source, /innerHTML\s*=|insertAdjacentHTML|document\.write/, `${relative(hud, f)} builds DOM without HTML strings`);
    const lines = source.split('\n').length;
    assert.ok(lines <= 420, `${relative(hud, f)} has ${lines} lines`);
  }
});
