// The HUD's pure parts, without a browser: speech → numbers and pairing
// codes (English and French), the expected range a step's words give,
// phrase → command matching, the spoken vocabulary of each language
// (upper case, distinct, two syllables or more), and the shape of web/hud
// itself (the offline shell lists every module, no inline script or style
// for the CSP, small files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './harness.mjs';
import { parseNumber, parsePairingCode, normalize, expectedRange, outsideRange } from '../../web/hud/js/words.js';
import { setProvider, match, handleText, COMMAND_IDS, VARIANTS, phrasesOf, labelOf } from '../../web/hud/js/commands.js';
import { CATALOGUES, setLocale } from '../../web/hud/js/i18n.js';

const hud = join(repoRoot, 'web/hud');

test('numbers from speech', () => {
  const cases = {
    '42.5': '42.5', '42,5': '42.5', 'forty two point five': '42.5', 'minus three point two': '-3.2',
    'one hundred and five': '105', 'twenty-one': '21', '12 bar': '12', '7.5 litres': '7.5', 'zero point zero five': '0.05',
    'two thousand three hundred': '2300', hello: null, '': null,
  };
  for (const [said, want] of Object.entries(cases)) assert.equal(parseNumber(said), want, said);
  const french = {
    'quarante-deux virgule cinq': '42.5', '42,5 bar': '42.5', 'moins trois virgule deux': '-3.2', 'soixante-dix': '70',
    'soixante-dix-sept': '77', 'quatre-vingts': '80', 'quatre-vingt-dix-neuf': '99', 'vingt et un': '21', 'deux cents': '200',
    'mille deux cent cinquante': '1250', 'zéro virgule zéro cinq': '0.05', 'trois litres': '3', bonjour: null,
  };
  for (const [said, want] of Object.entries(french)) assert.equal(parseNumber(said), want, said);
});

test('the expected range a step gives for its value, in English and French', () => {
  const cases = {
    'Measure the pump pressure at idle (expected 3.0–3.5 bar).': { min: '3.0', max: '3.5', unit: 'bar' },
    'Record the bearing temperature, between 40 and 60 °C.': { min: '40', max: '60', unit: '°C' },
    'Check the play: max. 0.5 mm': { min: null, max: '0.5', unit: 'mm' },
    'Oil pressure at least 2 bar': { min: '2', max: null, unit: 'bar' },
    'Relever la pression (entre 3 et 3,5 bar)': { min: '3', max: '3.5', unit: 'bar' },
    'Température 60 à 40 °C': { min: '40', max: '60', unit: '°C' },
    'Grease each bearing with two strokes, then measure after 10 minutes (°C).': null,
    'Lock out line 3-4 first.': null,
  };
  for (const [text, want] of Object.entries(cases)) assert.deepEqual(expectedRange(text), want, text);
  const r = expectedRange('(3.0–3.5 bar)');
  assert.equal(outsideRange('3.2', r), false);
  assert.equal(outsideRange('4.2', r), true);
  assert.equal(outsideRange('2.9', r), true);
  assert.equal(outsideRange('99', null), false, 'no range: nothing is outside');
});

test('pairing codes from typing and speech', () => {
  assert.equal(parsePairingCode('k7m2qx'), 'K7M2QX');
  assert.equal(parsePairingCode('K7M 2QX'), 'K7M2QX');
  assert.equal(parsePairingCode('kilo seven mike two quebec x-ray'), 'K7M2QX');
  assert.equal(parsePairingCode('pair code K 7 M 2 Q X'), 'K7M2QX');
  assert.equal(parsePairingCode('K7M2Q'), null, 'too short');
  assert.equal(parsePairingCode('K7M2Q0'), null, '0 is not in the alphabet');
  assert.equal(parsePairingCode('hello there'), null);
  assert.equal(parsePairingCode('K sept M deux Q X'), 'K7M2QX', 'French digits');
  assert.equal(parsePairingCode('le code est kilo sept mike deux quebec x-ray'), 'K7M2QX');
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

/** Spoken syllables of an upper-case label, roughly: vowel groups, less a silent final e. */
export function syllables(label, lang) {
  return label.toLowerCase().split(/[\s-]+/).filter(Boolean).reduce((sum, word) => {
    let w = word.replace(/[^a-zàâäéèêëîïôöûùüÿœæç]/g, '');
    if (lang === 'fr') w = w.replace(/(?<=[^aeiouyàâäéèêëîïôöûùüÿœæ])es?$/, '').replace(/ent$/, '');
    else w = w.replace(/(?<=[^aeiouy])e$/, '').replace(/(?<=[^aeiouy])es$/, 's');
    return sum + Math.max(1, (w.match(/[aeiouyàâäéèêëîïôöûùüÿœæ]+/g) || []).length);
  }, 0);
}

for (const lang of Object.keys(CATALOGUES)) {
  test(`the ${lang} vocabulary: upper case, two syllables or more, distinct labels and phrases`, () => {
    const cat = CATALOGUES[lang];
    const labels = Object.entries(cat).filter(([k]) => k.startsWith('cmd.'));
    assert.ok(labels.length >= COMMAND_IDS.length);
    for (const id of COMMAND_IDS) assert.equal(typeof cat[`cmd.${id}`], 'string', `cmd.${id}`);
    for (const [key, label] of labels) {
      assert.equal(label, label.toUpperCase(), `${key} is upper case`);
      assert.ok(syllables(label, lang) >= 2, `${key} "${label}" has two syllables or more`);
    }
    const base = COMMAND_IDS.map((id) => cat[`cmd.${id}`]);
    assert.equal(new Set(base).size, base.length, `labels are distinct: ${base.join(', ')}`);
    // Every phrase means one command. A variant label (OPEN STEPS is NEXT on the task card…) means its command.
    const seen = new Map();
    for (const [key] of labels) {
      const name = key.slice(4);
      const id = VARIANTS[name] || name;
      for (const p of [cat[key], ...(cat[`say.${name}`] || [])].map(normalize)) {
        assert.ok(!seen.has(p) || seen.get(p) === id, `${lang}: "${p}" means both ${seen.get(p)} and ${id}`);
        seen.set(p, id);
      }
    }
  });
}

test('phrases in French run the same commands', () => {
  globalThis.requestAnimationFrame ??= (f) => setTimeout(f, 0);
  setLocale('fr');
  try {
    const cmd = (id, extra = {}) => ({ id, run: () => {}, ...extra });
    const commands = [cmd('DONE'), cmd('NEXT'), cmd('BACK'), cmd('VALUE'), cmd('NOTE'), cmd('SELECT'), cmd('DARK')];
    setProvider(() => ({ commands, dictation: null }));
    assert.equal(labelOf(commands[0]), 'ÉTAPE FAITE');
    assert.ok(phrasesOf(commands[1]).has('étape suivante'));
    assert.equal(match('Étape suivante.').cmd.id, 'NEXT');
    assert.equal(match('c\'est fait').cmd.id, 'DONE');
    assert.equal(match('retour').cmd.id, 'BACK');
    assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('saisir valeur quarante-deux virgule cinq')), ['VALUE', '42.5']);
    assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('ajouter note collier desserré')), ['NOTE', 'collier desserré']);
    assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('ouvrir 12')), ['SELECT', 12]);
    assert.deepEqual(((m) => [m.cmd.id, m.arg])(match('trois')), ['SELECT', 3]);
    assert.equal(match('mode sombre').cmd.id, 'DARK');
    assert.equal(match('next step'), null, 'English phrases are not French commands');
  } finally {
    setLocale('en');
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
