// Speech in and out. Recognition (Web Speech API, where the browser has it)
// runs continuously and hands every final result — all its alternatives —
// to the dispatcher. Synthesis speaks short announcements. Both degrade to
// nothing: keys and touch always work, and head-worn devices with their own
// voice layer (RealWear) say the visible button labels instead.

const Recognition = self.SpeechRecognition || self.webkitSpeechRecognition;
const synth = self.speechSynthesis || null;
const state = { on: false, listening: false, failures: 0, speaking: false, speechOn: true, lang: 'en-US' };
let rec = null;
let handler = () => {};
let onStatus = () => {};

export const canListen = Boolean(Recognition);
export const canSpeak = Boolean(synth && self.SpeechSynthesisUtterance);
export function listening() { return state.listening; }
export function speechOn() { return state.speechOn; }
export function setSpeechOn(on) { state.speechOn = on; if (!on) synth?.cancel(); }

/** The language recognition listens for and synthesis speaks (BCP 47); restarts a running recogniser. */
export function setVoiceLang(lang) {
  if (!lang || lang === state.lang) return;
  state.lang = lang;
  if (rec && state.on) { rec.lang = lang; try { rec.abort(); } catch { /* restarts in onend */ } }
}
export function voiceLang() { return state.lang; }

/** Starts listening in `lang`; `onText(alternatives)` gets each final phrase. */
export function startListening(onText, status = () => {}, lang = state.lang) {
  state.lang = lang;
  if (!Recognition || state.on) return;
  handler = onText;
  onStatus = status;
  state.on = true;
  rec = new Recognition();
  rec.continuous = true;
  rec.interimResults = false;
  rec.maxAlternatives = 3;
  rec.lang = state.lang; // the technician's language: the commands come from its catalogue
  rec.onstart = () => { state.listening = true; onStatus(true); };
  rec.onresult = (e) => {
    if (state.speaking) return; // do not obey our own announcements
    for (let i = e.resultIndex; i < e.results.length; i++) {
      const r = e.results[i];
      if (!r.isFinal) continue;
      state.failures = 0;
      handler([...r].map((alt) => alt.transcript).filter(Boolean));
    }
  };
  rec.onerror = (e) => {
    if (e.error === 'not-allowed' || e.error === 'service-not-allowed' || e.error === 'language-not-supported') state.on = false;
    else if (e.error !== 'no-speech' && e.error !== 'aborted') state.failures += 1;
  };
  rec.onend = () => {
    state.listening = false;
    onStatus(false);
    if (state.on && state.failures < 5) setTimeout(() => { try { rec.start(); } catch { /* already started */ } }, 250 + 750 * state.failures);
  };
  try { rec.start(); } catch { state.on = false; }
}

export function stopListening() {
  state.on = false;
  try { rec?.abort(); } catch { /* not running */ }
}

/** Speaks a short line, if the device can and the technician has not muted it. */
export function say(text) {
  if (!canSpeak || !state.speechOn || !text) return;
  try {
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = state.lang;
    u.rate = 1.05;
    u.onstart = () => { state.speaking = true; };
    u.onend = u.onerror = () => { setTimeout(() => { state.speaking = false; }, 300); };
    synth.speak(u);
  } catch { /* speech is a bonus */ }
}
