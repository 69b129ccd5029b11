// Turning recognised speech into what the HUD needs: normalised phrases,
// numbers in English or French ("forty two point five", "quarante-deux
// virgule cinq" → "42.5"), pairing codes ("bravo seven kilo…" → "B7K…"),
// and the expected range a step's text gives for its value.

/** Lower case, no punctuation except inside numbers, single spaces. */
export function normalize(text) {
  return String(text || '')
    .toLowerCase()
    .replace(/[‐-―]/g, '-')
    .replace(/(\d)[,](\d)/g, '$1.$2')
    .replace(/[^\p{L}\p{N}.\- ]+/gu, ' ')
    .replace(/(^|\s)[.\-]+|[.\-]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words without case, accents or punctuation ("Usé !" → "use"), to compare an answer said with one written. */
export function plainWords(text) {
  return String(text || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

const SMALL = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  to: 2, too: 2, for: 4, won: 1,
  // French (the recognisers mostly write digits; these cover the rest).
  zéro: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11,
  douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30, quarante: 40,
  cinquante: 50, soixante: 60,
};
const JOINERS = new Set(['and', 'et']);
const MINUS = new Set(['minus', 'negative', 'moins']);
const POINT = new Set(['point', 'comma', 'dot', 'virgule']);
const HUNDRED = new Set(['hundred', 'cent', 'cents']);
const THOUSAND = new Set(['thousand', 'mille']);

/**
 * A number from digits or English words, as a string ready for the API, or
 * null. "42,5" → "42.5"; "minus three point two" → "-3.2"; "one hundred and five" → "105".
 */
export function parseNumber(text) {
  const t = normalize(text).replace(/\s*(bars?|psi|litres?|liters?|l|mm|millimètres?|cm|m|mètres?|degrees?|degrés?|°c|c|kg|g|rpm|tr min|hz|v|volts?|a|kw|%)$/, '');
  if (/^-?\d+(\.\d+)?$/.test(t)) return t;
  const digits = t.replace(/\s+/g, '');
  if (/^-?\d+(\.\d+)?$/.test(digits)) return digits;
  const words = t.replace(/(\p{L})-(\p{L})/gu, '$1 $2').split(' ').filter((w) => w && !JOINERS.has(w));
  if (!words.length) return null;
  let sign = '';
  if (MINUS.has(words[0])) { sign = '-'; words.shift(); }
  const point = words.findIndex((w) => POINT.has(w));
  const whole = wordsToInt(point < 0 ? words : words.slice(0, point));
  if (whole === null) return null;
  if (point < 0) return sign + whole;
  const frac = words.slice(point + 1).map((w) => (/^\d+$/.test(w) ? w : SMALL[w] ?? null));
  if (!frac.length || frac.some((d) => d === null || (typeof d === 'number' && d > 9))) return null;
  return `${sign}${whole}.${frac.join('')}`;
}

function wordsToInt(words) {
  if (!words.length) return null;
  let total = 0;
  let current = 0;
  let previous = '';
  for (const w of words) {
    if (/^\d+$/.test(w)) current += Number(w);
    else if ((w === 'vingt' || w === 'vingts') && previous === 'quatre') current += 76; // quatre-vingts = 4 × 20
    else if (w in SMALL) current += SMALL[w];
    else if (HUNDRED.has(w)) current = (current || 1) * 100;
    else if (THOUSAND.has(w)) { total += (current || 1) * 1000; current = 0; }
    else return null;
    previous = w;
  }
  return total + current;
}

const NATO = {
  alpha: 'A', alfa: 'A', bravo: 'B', charlie: 'C', delta: 'D', echo: 'E', foxtrot: 'F', golf: 'G', hotel: 'H',
  india: 'I', juliet: 'J', juliett: 'J', kilo: 'K', lima: 'L', mike: 'M', november: 'N', oscar: 'O', papa: 'P',
  quebec: 'Q', romeo: 'R', sierra: 'S', tango: 'T', uniform: 'U', victor: 'V', whiskey: 'W', whisky: 'W',
  xray: 'X', 'x-ray': 'X', yankee: 'Y', zulu: 'Z',
};
const DIGITS = { zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', to: '2', too: '2', for: '4',
  deux: '2', trois: '3', quatre: '4', cinq: '5', sept: '7', huit: '8', neuf: '9' };
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A 6-character pairing code from typed or spoken text, or null. */
export function parsePairingCode(text) {
  const t = normalize(text).replace(/x-ray/g, 'xray').replace(/^(pairing code|pair code|the code is|pairing|pair|code|le code est|code d association|code)\s+/, '');
  let out = '';
  for (const word of t.split(/[\s-]+/)) {
    if (!word) continue;
    if (NATO[word]) out += NATO[word];
    else if (DIGITS[word]) out += DIGITS[word];
    else out += word.toUpperCase();
  }
  if (out.length !== 6) return null;
  for (const c of out) if (!PAIRING_ALPHABET.includes(c)) return null;
  return out;
}

const UNIT = '(bars?|psi|mbar|kpa|mpa|°c|°f|°|degrees?|degrés?|litres?|liters?|l|ml|mm|cm|µm|m|kg|g|nm|rpm|tr/min|hz|v|a|kw|w|%)';
const NUM = '(-?\\d+(?:[.,]\\d+)?)';
const RANGE_PATTERNS = [
  // "between 3 and 3.5 bar", "entre 3 et 3,5 bar"
  [new RegExp(`(?:between|entre)\\s+${NUM}\\s*${UNIT}?\\s+(?:and|et)\\s+${NUM}\\s*${UNIT}?`, 'iu'), (m) => ({ min: m[1], max: m[3], unit: m[4] || m[2] })],
  // "3.0–3.5 bar", "40 to 60 °C", "3 à 4 bar"
  [new RegExp(`${NUM}\\s*(?:–|—|-|to|à)\\s*${NUM}\\s*${UNIT}(?![\\p{L}])`, 'iu'), (m) => ({ min: m[1], max: m[2], unit: m[3] })],
  // "max. 70 °C", "at most 0.5 mm", "≤ 0.5 mm", "au plus 2 bar"
  [new RegExp(`(?:max(?:imum)?\\.?|maxi|at most|no more than|not above|au plus|au maximum|inférieure? à|≤|<)\\s*${NUM}\\s*${UNIT}?`, 'iu'), (m) => ({ min: null, max: m[1], unit: m[2] })],
  // "min. 2 bar", "at least 40 °C", "≥ 2 bar", "au moins 2 bar"
  [new RegExp(`(?:min(?:imum)?\\.?|mini|at least|no less than|au moins|au minimum|supérieure? à|≥|>)\\s*${NUM}\\s*${UNIT}?`, 'iu'), (m) => ({ min: m[1], max: null, unit: m[2] })],
];

/**
 * The range a step's text expects its value in ("… (expected 3.0–3.5 bar)",
 * "between 40 and 60 °C", "max. 0.5 mm", "entre 3 et 4 bar"), or null.
 * Numbers come back as API strings ("3.5"); `unit` may be empty.
 */
export function expectedRange(text) {
  const s = String(text || '');
  for (const [re, pick] of RANGE_PATTERNS) {
    const m = re.exec(s);
    if (!m) continue;
    const r = pick(m);
    const fix = (v) => (v === null || v === undefined ? null : v.replace(',', '.'));
    const out = { min: fix(r.min), max: fix(r.max), unit: r.unit || '' };
    if (out.min !== null && out.max !== null && Number(out.min) > Number(out.max)) [out.min, out.max] = [out.max, out.min];
    return out;
  }
  return null;
}

/** Whether `value` (an API number string) lies outside `range` (from expectedRange). */
export function outsideRange(value, range) {
  if (!range) return false;
  const v = Number(value);
  if (Number.isNaN(v)) return false;
  return (range.min !== null && v < Number(range.min)) || (range.max !== null && v > Number(range.max));
}
