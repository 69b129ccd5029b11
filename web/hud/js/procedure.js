// What a typed step asks for and what its answer means, on the device (the
// server applies the same rules, src/domain/steps.cpp): the expected range
// (the step's own, else its words), the flag of an answer, whether a step is
// answered, what completing still needs, which steps propose a follow-up.
import { expectedRange, outsideRange, parseNumber } from './words.js';

/** The expected range of a number step: {min, max, unit} (API strings) or null. */
export function rangeOf(step) {
  const written = expectedRange(step.text);
  if (step.kind === 'number' && (step.min != null || step.max != null)) {
    // The planner's own writing ("3.0–3.5") when the words hold the same range.
    const same = (a, b) => (a == null ? b == null : b != null && Number(parseNumber(a)) === Number(b));
    if (written && same(written.min, step.min) && same(written.max, step.max)) return written;
    return { min: step.min == null ? null : String(step.min), max: step.max == null ? null : String(step.max), unit: step.unit || '' };
  }
  return written;
}

/** 'none' | 'flag' | 'fail' | 'out_of_range' for the step's current answer. */
export function flagOf(step) {
  if (!step.value) return 'none';
  if (step.kind === 'check') return step.value === 'fail' ? 'fail' : step.value === 'flag' ? 'flag' : 'none';
  if (step.kind === 'number' || step.wants_value) {
    const v = parseNumber(step.value);
    if (v !== null && outsideRange(v, rangeOf(step))) return 'out_of_range';
  }
  return 'none';
}

/** A FAIL or a value out of range proposes a follow-up (until one is raised). */
export function proposesFollowUp(step) {
  const f = flagOf(step);
  return (f === 'fail' || f === 'out_of_range') && !step.follow_up;
}

/**
 * Photos taken for step `n`: the server counts them (the card holds only the
 * newest work-log entries); photos still waiting to be sent are the local ones.
 */
export function photosOf(card, n) {
  const step = (card.step_list || []).find((s) => s.number === n);
  const pending = (card.work_log || []).filter((e) => e.kind === 'photo' && e.step === n && e.pending).length;
  return ((step && step.photos) || 0) + pending;
}

/** Whether the step has its answer. */
export function answered(card, step) {
  switch (step.kind) {
    case 'check': case 'number': case 'choice': case 'text': return Boolean(step.value);
    case 'photo': return photosOf(card, step.number) > 0;
    default: return step.done;
  }
}

/** Required steps still without an answer (completing waits for them). */
export function missingAnswers(card) {
  return (card.step_list || []).filter((s) => s.required && s.kind && s.kind !== 'instruction' && !answered(card, s));
}

/** The sign-off the task asks for: 'none' | 'technician' | 'supervisor'. */
export function signoffOf(card) { return card.procedure?.signoff || 'none'; }
