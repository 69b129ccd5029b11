// One dispatcher for voice, keys and touch. Screens declare the commands
// they offer ({id, label, run}); this module matches spoken text against
// labels and synonyms, runs the command, and times it (command → frame).
import { normalize, parseNumber } from './words.js';

/**
 * The vocabulary. `label` is the default visible (and sayable) text; `say`
 * are further phrases our own recogniser accepts; `arg` says what may follow
 * the phrase ("VALUE 42.5", "NOTE hose is cracked", "OPEN 3").
 */
export const VOCAB = {
  START: { label: 'START TASK', say: ['start', 'start task', 'start work', 'begin', 'begin task'] },
  PAUSE: { label: 'PAUSE TASK', say: ['pause', 'pause task', 'hold', 'take a break'] },
  RESUME: { label: 'RESUME TASK', say: ['resume', 'resume task', 'continue task', 'restart task'] },
  NEXT: { label: 'NEXT STEP', say: ['next', 'next step', 'forward', 'skip', 'skip step', 'go next'] },
  BACK: { label: 'GO BACK', say: ['back', 'go back', 'previous', 'previous step', 'return', 'escape'] },
  DONE: { label: 'STEP DONE', say: ['done', 'step done', 'mark done', 'finished', 'check', 'checked', 'ok done'] },
  UNDO: { label: 'UNDO STEP', say: ['undo', 'undo step', 'not done', 'mark not done'] },
  COMPLETE: { label: 'COMPLETE TASK', say: ['complete', 'complete task', 'finish task', 'task done', 'close task', 'task complete'] },
  NOTE: { label: 'ADD NOTE', say: ['note', 'add note', 'take note', 'add a note', 'comment'], arg: 'text' },
  PHOTO: { label: 'TAKE PHOTO', say: ['photo', 'take photo', 'take a photo', 'picture', 'take picture', 'capture', 'camera'] },
  VALUE: { label: 'ENTER VALUE', say: ['value', 'enter value', 'record value', 'set value', 'measurement', 'reading'], arg: 'number' },
  REPORT: { label: 'REPORT PROBLEM', say: ['report', 'report problem', 'report a problem', 'report fault', 'new problem'] },
  HOME: { label: 'MY WORK', say: ['home', 'go home', 'my work', 'task list', 'my tasks', 'home screen', 'work list'] },
  COMMANDS: { label: 'SHOW COMMANDS', say: ['show commands', 'commands', 'help', 'what can i say', 'show help', 'menu'] },
  HIDE: { label: 'HIDE COMMANDS', say: ['hide commands', 'close commands', 'hide'] },
  PLACE: { label: 'PLACE CARD', say: ['place card', 'pin card', 'place the card', 'pin the card'] },
  SCAN: { label: 'SCAN MACHINE', say: ['scan', 'scan machine', 'scan label', 'scan code', 'scan qr code', 'scan the label'] },
  SELECT: { label: 'OPEN', say: ['select', 'open', 'number', 'item', 'task', 'choose', 'open task', 'open number', 'line'], arg: 'index' },
  SCROLL_DOWN: { label: 'SCROLL DOWN', say: ['scroll down', 'page down', 'more', 'show more', 'down'] },
  SCROLL_UP: { label: 'SCROLL UP', say: ['scroll up', 'page up', 'up'] },
  SAVE: { label: 'SAVE', say: ['save', 'okay', 'ok', 'confirm', 'send', 'submit', 'yes', 'enter'] },
  CANCEL: { label: 'CANCEL', say: ['cancel', 'close', 'never mind', 'no', 'discard'] },
  CLEAR: { label: 'CLEAR TEXT', say: ['clear', 'clear text', 'erase', 'delete', 'start over'] },
  SETTINGS: { label: 'SETTINGS', say: ['settings', 'device settings', 'display settings', 'display mode', 'change display'] },
  SEE_THROUGH: { label: 'SEE-THROUGH MODE', say: ['see-through', 'see through', 'see-through mode', 'see through mode', 'dark mode', 'transparent mode'] },
  OPAQUE: { label: 'OPAQUE MODE', say: ['opaque', 'opaque mode', 'light mode', 'high contrast', 'high contrast mode'] },
  PHONE: { label: 'PHONE MODE', say: ['phone mode', 'phone layout', 'phone view'] },
  REFRESH: { label: 'REFRESH LIST', say: ['refresh', 'refresh list', 'reload', 'sync now', 'update list'] },
  MACHINE: { label: 'OPEN MACHINE', say: ['machine', 'open machine', 'show machine', 'equipment', 'machine page'] },
  SPEECH: { label: 'SPEECH OFF', say: ['speech off', 'speech on', 'mute', 'unmute', 'mute speech', 'toggle speech'] },
  UNPAIR: { label: 'UNPAIR DEVICE', say: ['unpair', 'unpair device', 'forget device', 'sign out', 'log out'] },
  PAIR: { label: 'PAIR DEVICE', say: ['pair', 'pair device', 'pair this device', 'connect'] },
  URGENT: { label: 'MARK URGENT', say: ['urgent', 'mark urgent', 'high priority', 'not urgent'] },
  CHOOSE: { label: 'CHOOSE PHOTO', say: ['choose photo', 'choose file', 'from gallery', 'gallery'] },
};

let provider = () => ({ commands: [], dictation: null });
const stats = { samples: [], last: null };
const listeners = new Set();

/** `fn()` returns { commands: [...], dictation: (text) => bool | null } for the current view. */
export function setProvider(fn) { provider = fn; }
/** Called with {id, label, source} after every command (for the latency figures and tests). */
export function onCommand(fn) { listeners.add(fn); }

export function labelOf(cmd) { return cmd.label || VOCAB[cmd.id]?.label || cmd.id; }

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

function phrasesOf(cmd) {
  const phrases = new Set([normalize(labelOf(cmd)), ...(VOCAB[cmd.id]?.say || []).map(normalize), ...(cmd.say || []).map(normalize)]);
  phrases.delete('');
  return phrases;
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
    const kind = cmd.arg || VOCAB[cmd.id]?.arg;
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
