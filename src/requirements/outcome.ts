/**
 * Internal working types of the evaluator: what a rule sees while it is evaluated (context) and what it
 * hands back to its parent (outcome). Not exported from the package; callers only see `Evaluation`.
 */
import type { Evaluation } from './evaluation.ts';
import type { RecordIndex } from './record-index.ts';
import type { Witness } from './witness.ts';

/** The time window set by the nearest `within` rule: only work dated on or after `start` counts. */
export interface TimeWindow {
  start: number;
  years: number;
}

export interface EvaluationContext {
  index: RecordIndex;
  /**
   * Evidence (see courseKey/experienceKey) already used by an earlier sibling of an enclosing `choose`,
   * which this rule must not use again.
   */
  blocked: ReadonlySet<string>;
  window: TimeWindow | null;
  /**
   * How many alternative witnesses a rule reports. 0 outside any `choose`: nothing there needs evidence
   * sets, so rules report only whether they are met (`metWithoutEvidence`) and skip `touched`, which
   * keeps the common case cheap.
   */
  witnessCap: number;
  /** Search steps left for this whole evaluation, shared by every `choose` and credits rule. */
  budget: { remaining: number };
}

export interface Outcome {
  evaluation: Evaluation;
  /** 0..1, finer than `met`, for the progress bar. */
  fraction: number;
  /** Minimal evidence sets that meet the rule (see witness.ts); empty exactly when not met. */
  witnesses: readonly Witness[];
  /** Evidence whose blocking could change this outcome; when none is blocked the outcome can be reused. */
  touched: ReadonlySet<string>;
  /** Credits counted, per canonical course code actually taken. */
  counted: ReadonlyMap<string, number>;
  /** Work that would have counted but is older than the time window, e.g. 'COMM 101 (completed 2019-05-01)'. */
  expired: readonly string[];
}

export const noKeys: ReadonlySet<string> = new Set();

/** The witnesses of a met rule evaluated with `witnessCap` 0: met, evidence not tracked. */
export const metWithoutEvidence: readonly Witness[] = [noKeys];
export const noCredits: ReadonlyMap<string, number> = new Map();

/** Evidence key for a course actually taken: retakes and the course's credits are one piece of evidence. */
export function courseKey(code: string): string {
  return `course:${code}`;
}

export function experienceKey(key: string): string {
  return `experience:${key}`;
}

/** Whether a dated piece of work falls inside the window. Undated work never does when a window applies. */
export function isInWindow(day: number | null, window: TimeWindow | null): boolean {
  if (window === null) return true;
  return day !== null && day >= window.start;
}
