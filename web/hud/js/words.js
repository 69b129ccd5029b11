// Turning recognised speech into what the HUD needs: normalised phrases,
// numbers ("forty two point five" → "42.5") and pairing codes
// ("bravo seven kilo…" → "B7K…").

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

const SMALL = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  to: 2, too: 2, for: 4, won: 1,
};

/**
 * A number from digits or English words, as a string ready for the API, or
 * null. "42,5" → "42.5"; "minus three point two" → "-3.2"; "one hundred and five" → "105".
 */
export function parseNumber(text) {
  const t = normalize(text).replace(/\s*(bar|psi|litres?|liters?|l|mm|cm|m|degrees?|°c|c|kg|g|rpm|hz|v|a|kw|%)$/, '');
  if (/^-?\d+(\.\d+)?$/.test(t)) return t;
  const digits = t.replace(/\s+/g, '');
  if (/^-?\d+(\.\d+)?$/.test(digits)) return digits;
  const words = t.replace(/([a-z])-([a-z])/g, '$1 $2').split(' ').filter((w) => w && w !== 'and');
  if (!words.length) return null;
  let sign = '';
  if (words[0] === 'minus' || words[0] === 'negative') { sign = '-'; words.shift(); }
  const point = words.findIndex((w) => w === 'point' || w === 'comma' || w === 'dot');
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
  for (const w of words) {
    if (/^\d+$/.test(w)) current += Number(w);
    else if (w in SMALL) current += SMALL[w];
    else if (w === 'hundred') current = (current || 1) * 100;
    else if (w === 'thousand') { total += (current || 1) * 1000; current = 0; }
    else return null;
  }
  return total + current;
}

const NATO = {
  alpha: 'A', alfa: 'A', bravo: 'B', charlie: 'C', delta: 'D', echo: 'E', foxtrot: 'F', golf: 'G', hotel: 'H',
  india: 'I', juliet: 'J', juliett: 'J', kilo: 'K', lima: 'L', mike: 'M', november: 'N', oscar: 'O', papa: 'P',
  quebec: 'Q', romeo: 'R', sierra: 'S', tango: 'T', uniform: 'U', victor: 'V', whiskey: 'W', whisky: 'W',
  xray: 'X', 'x-ray': 'X', yankee: 'Y', zulu: 'Z',
};
const DIGITS = { zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', to: '2', too: '2', for: '4' };
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A 6-character pairing code from typed or spoken text, or null. */
export function parsePairingCode(text) {
  const t = normalize(text).replace(/x-ray/g, 'xray').replace(/^(pairing code|pair code|the code is|pairing|pair|code)\s+/, '');
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
