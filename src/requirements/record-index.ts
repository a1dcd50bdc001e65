/**
 * The learner record rearranged once per evaluation into lookups keyed by course code and experience key,
 * so each rule reads only the few attempts it cares about. Input records are never modified or copied.
 */
import { parseCalendarDay } from './calendar-day.ts';
import { normalizeCourseCode } from './course-code.ts';
import { gradeStrength } from './grades.ts';
import type { LearnerRecord } from './learner-record.ts';

/** One completion, checked and with its grade and date precomputed. */
export interface Attempt {
  /** Canonical code of the course actually taken. */
  code: string;
  /** Non-negative; unreadable credit values count as 0. */
  credits: number;
  level: string;
  /** As recorded, trimmed, for messages. */
  grade: string;
  /** See gradeStrength: 1 (D-) to 12 (A+), negative when not passing. */
  strength: number;
  /** Day number, or null when the date cannot be read. */
  day: number | null;
}

export interface SignOff {
  day: number | null;
}

export interface RecordIndex {
  /** The evaluation day as a day number. */
  asOf: number;
  /** Every attempt per course, strongest grade first (ties: most recent first). */
  attemptsByCourse: ReadonlyMap<string, readonly Attempt[]>;
  /** Approved substitutes per required course. */
  substitutesFor: ReadonlyMap<string, readonly string[]>;
  /** Sign-offs per experience key, most recent first. */
  signOffsByKey: ReadonlyMap<string, readonly SignOff[]>;
}

/**
 * Builds the lookups for one evaluation. Work dated after `asOf` is left out so that evaluating "as of" a
 * past day reproduces what the learner had then. Malformed entries are skipped rather than thrown on:
 * a bad row from a registrar feed must not break a learner's whole progress page.
 */
export function indexLearnerRecord(record: LearnerRecord, asOf: number): RecordIndex {
  const attemptsByCourse = new Map<string, Attempt[]>();
  for (const completion of record.completions ?? []) {
    if (typeof completion?.course !== 'string') continue;
    const day = parseCalendarDay(completion.completedOn);
    if (day !== null && day > asOf) continue;
    const code = normalizeCourseCode(completion.course);
    const grade = typeof completion.grade === 'string' ? completion.grade.trim() : '';
    const credits = Number.isFinite(completion.credits) && completion.credits > 0 ? completion.credits : 0;
    const attempt: Attempt = {
      code,
      credits,
      level: completion.level,
      grade,
      strength: gradeStrength(grade),
      day,
    };
    const attempts = attemptsByCourse.get(code);
    if (attempts === undefined) attemptsByCourse.set(code, [attempt]);
    else attempts.push(attempt);
  }
  for (const attempts of attemptsByCourse.values()) {
    if (attempts.length > 1) attempts.sort(compareAttempts);
  }

  const substitutesFor = new Map<string, string[]>();
  for (const substitution of record.substitutions ?? []) {
    if (typeof substitution?.required !== 'string' || typeof substitution.substitute !== 'string') continue;
    if (!isFilled(substitution.approvedBy)) continue;
    const required = normalizeCourseCode(substitution.required);
    const substitute = normalizeCourseCode(substitution.substitute);
    if (required === substitute) continue;
    const substitutes = substitutesFor.get(required);
    if (substitutes === undefined) substitutesFor.set(required, [substitute]);
    else if (!substitutes.includes(substitute)) substitutes.push(substitute);
  }

  const signOffsByKey = new Map<string, SignOff[]>();
  for (const experience of record.experiences ?? []) {
    if (typeof experience?.key !== 'string' || !isFilled(experience.signedOffBy)) continue;
    const day = parseCalendarDay(experience.signedOffOn);
    if (day !== null && day > asOf) continue;
    const key = experience.key.trim();
    const signOffs = signOffsByKey.get(key);
    if (signOffs === undefined) signOffsByKey.set(key, [{ day }]);
    else signOffs.push({ day });
  }
  for (const signOffs of signOffsByKey.values()) {
    if (signOffs.length > 1) signOffs.sort((a, b) => compareDaysLatestFirst(a.day, b.day));
  }

  return { asOf, attemptsByCourse, substitutesFor, signOffsByKey };
}

function compareAttempts(a: Attempt, b: Attempt): number {
  if (a.strength !== b.strength) return b.strength - a.strength;
  return compareDaysLatestFirst(a.day, b.day);
}

// Undated entries sort last: they cannot be shown to fall inside any time window.
function compareDaysLatestFirst(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

function isFilled(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
