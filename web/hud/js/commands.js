// One dispatcher for voice, keys and touch. Screens declare the commands
// they offer ({id, label, run}); this module matches spoken text against
// labels and synonyms (from the catalogue of the technician's language),
// runs the command, and times it (command → frame).
import { normalize, parseNumber } from './words.js';
import { t, phrases } from './i18n.js';

/** Command ids; each has a label (`cmd.ID`) and further phrases (`say.ID`) in every catalogue. */
export const COMMAND_IDS = ['START', 'PAUSE', 'RESUME', 'NEXT', 'BACK', 'DONE', 'UNDO', 'COMPLETE', 'NOTE', 'PHOTO', 'VALUE',
  'REPORT', 'HOME', 'COMMANDS', 'HIDE', 'MORE', 'PLACE', 'SCAN', 'SELECT', 'SCROLL_DOWN', 'SCROLL_UP', 'SAVE', 'CANCEL', 'CLEAR',
  'SETTINGS', 'SEE_THROUGH', 'OPAQUE', 'DARK', 'PHONE', 'REFRESH', 'MACHINE', 'SPEECH', 'LANGUAGE', 'UNPAIR', 'PAIR', 'URGENT',
  'CHOOSE', 'PASS', 'FLAG', 'FAIL', 'OPTION', 'ANSWER', 'FOLLOW_UP', 'SIGN', 'CODES', 'SKIP', 'METER'];

/**
 * Labels some screens give a command instead of its own (`cmd.OPEN_STEPS`
 * is NEXT on the task card): their phrases run that command.
 */
export const VARIANTS = {
  OPEN_STEPS: 'NEXT', SAVE_VALUE: 'SAVE', SAVE_NOTE: 'SAVE', SEND_REPORT: 'SAVE', GO_TO_STEP: 'SELECT', END_AR: 'CANCEL',
  SCAN_CODE: 'SCAN', REPORT_ANOTHER: 'REPORT', NOT_URGENT: 'URGENT', SPEECH_ON: 'SPEECH', UNPAIR_NOW: 'UNPAIR',
  SIGN_OUT: 'UNPAIR', SIGN_OUT_NOW: 'UNPAIR', NOT_NOW: 'CANCEL', CONFIRM: 'SAVE', SAVE_ANSWER: 'SAVE', SAVE_COMMENT: 'SAVE',
  SAVE_READING: 'SAVE',
};

/**
 * What may follow a command's phrase: "VALUE 42.5", "ADD NOTE hose is cracked", "OPEN 3",
 * "OPTION 2", "CHECK FAILED leaking at the flange", "ENTER ANSWER SN 4411".
 */
const ARGS = { NOTE: 'text', VALUE: 'number', SELECT: 'index', OPTION: 'index', FLAG: 'text', FAIL: 'text', ANSWER: 'text' };

let provider = () => ({ commands: [], dictation: null });
const stats = { samples: [], last: null };
const listeners = new Set();

/** `fn()` returns { commands: [...], dictation: (text) => bool | null } for the current view. */
export function setProvider(fn) { provider = fn; }
/** Called with {id, label, source} after every command (for the latency figures and tests). */
export function onCommand(fn) { listeners.add(fn); }

/** The visible (and spoken) label of a command: its own, else the catalogue's. */
export function labelOf(cmd) { return cmd.label || t(`cmd.${cmd.id}`); }

/** The kind of argument a command takes after its phrase, if any. */
export function argOf(cmd) { return cmd.arg || ARGS[cmd.id] || null; }

export function available() { return provider().commands.filter((c) => !c.disabled); }

/** Runs command `id` (with `arg`) if the current view offers it. Returns true when it ran. */
export function run(id, arg, source = 'touch') {
  const cmd = available().find((c) => c.id === id);
  if (!cmd) return false;
  const t0 = performance.now();
  cmd.run(arg);
  const record = { id, label: labelOf(cmd), source, ms: null };
  stats.last = record;
  // "Visible result": the frame after the command's DOM update is painted.
  requestAnimationFrame(() => setTimeout(() => {
    record.ms = performance.now() - t0;
    stats.samples.push(record.ms);
    if (stats.samples.length > 200) stats.samples.shift();
  }, 0));
  for (const fn of listeners) fn(record);
  return true;
}

/** Every phrase that runs `cmd`, normalised: its label, the catalogue's phrases for its id, its own. */
export function phrasesOf(cmd) {
  const own = [...phrases(`say.${cmd.id}`), ...(cmd.say || [])];
  const out = new Set([normalize(labelOf(cmd)), ...own.map(normalize)]);
  out.delete('');
  return out;
}

/**
 * Matches recognised text (one or several alternatives) against the current
 * commands. Returns {id, arg} or null. Exact phrases win over phrases with an
 * argument; among those, the longest phrase wins.
 */
export function match(text) {
  const said = normalize(text);
  if (!said) return null;
  const cmds = available();
  for (const cmd of cmds) if (phrasesOf(cmd).has(said)) return { cmd, arg: undefined };
  let best = null;
  for (const cmd of cmds) {
    const kind = argOf(cmd);
    if (!kind) continue;
    for (const p of phrasesOf(cmd)) {
      if (!said.startsWith(`${p} `) || (best && best.len >= p.length)) continue;
      const rest = said.slice(p.length + 1).trim();
      const arg = kind === 'text' ? rest : parseNumber(rest);
      if (arg === null || arg === '') continue;
      if (kind === 'index' && !/^\d+$/.test(arg)) continue;
      best = { cmd, arg: kind === 'index' ? Number(arg) : arg, len: p.length };
    }
  }
  if (best) return best;
  // A bare number picks a numbered item ("three" → OPEN 3).
  const select = cmds.find((c) => c.id === 'SELECT');
  const n = parseNumber(said);
  if (select && n && /^\d+$/.test(n)) return { cmd: select, arg: Number(n) };
  return null;
}

/**
 * Feeds recognised text into the dispatcher: a command runs; otherwise the
 * view's dictation (value, note, pairing code…) gets the text. Returns the
 * command id, 'DICTATION', or null when nothing understood it.
 */
export function handleText(input, source = 'voice') {
  const alternatives = Array.isArray(input) ? input : [input];
  const view = provider();
  // While a field is open the view offers only that field's commands (SAVE,
  // CANCEL, CLEAR…), so everything else said is dictation.
  for (const alt of alternatives) {
    const m = match(alt);
    if (m) {
      run(m.cmd.id, m.arg, source);
      return m.cmd.id;
    }
  }
  if (view.dictation) {
    for (const alt of alternatives) if (view.dictation(alt)) return 'DICTATION';
  }
  return null;
}

/** Command latencies so far (ms, command → next painted frame). */
export function latency() {
  const s = [...stats.samples].sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null);
  return { count: s.length, median: q(0.5), p95: q(0.95), max: s.length ? s[s.length - 1] : null, last: stats.last };
}
