/**
 * The rules for the academic structure's records (departments, terms, courses), without I/O. Forms, the JSON API
 * and the CSV imports all hand their values here as they arrived (strings from a form or a file, numbers and
 * booleans from JSON), so the three ways in accept and refuse exactly the same things with the same words.
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { Level } from '../programs/program-vocabulary.ts';
import { formatCalendarDay, parseCalendarDay } from '../requirements/index.ts';

/** Values as they arrived, by field name. */
export type RawRecord = Readonly<Record<string, unknown>>;

export interface DepartmentValues {
  code: string;
  name: string;
  /** The head's e-mail address, or null for none; the service finds the account. */
  headEmail: string | null;
}

export interface TermValues {
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface CourseValues {
  subject: string;
  number: string;
  title: string;
  credits: number;
  departmentCode: string;
  /** Null when the input did not say (an import without a level column): kept, or guessed for a new course. */
  level: Level | null;
  /** Null when the input did not say: kept as stored, active for a new course. */
  isActive: boolean | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

const departmentCodePattern = /^[A-Z0-9][A-Z0-9_&-]{0,19}$/;
const termCodePattern = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const subjectPattern = /^[A-Z][A-Z0-9&]{0,9}$/;
const numberPattern = /^[0-9A-Z][0-9A-Z.-]{0,9}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The stored course code: subject and number joined by one space, as transcripts and rules write it. */
export const courseCodeOf = (subject: string, number: string): string => `${subject} ${number}`;

/** Splits 'COMM 499' into its subject and number; null when the code is not written that way. */
export function splitCourseCode(code: string): { subject: string; number: string } | null {
  const match = /^(\S+) (\S+)$/.exec(code.trim().toUpperCase().replace(/\s+/g, ' '));
  if (!match || !subjectPattern.test(match[1]!) || !numberPattern.test(match[2]!)) return null;
  return { subject: match[1]!, number: match[2]! };
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

/** Reads a whole number of credits: 3, '3', '3.0' and Banner's '3.000' all read as 3. */
export function readCredits(value: unknown): number | undefined {
  const raw = typeof value === 'number' ? String(value) : text(value);
  if (!/^\d{1,3}(\.0+)?$/.test(raw)) return undefined;
  const credits = Number.parseInt(raw, 10);
  return credits <= 30 ? credits : undefined;
}

/** A level in our words or in the codes student systems use (Banner UG/GR, PeopleSoft UGRD/GRAD). */
export function readLevel(value: unknown): Level | undefined {
  const raw = text(value).toLowerCase();
  if (['undergraduate', 'ug', 'ugrd', 'u'].includes(raw)) return 'undergraduate';
  if (['graduate', 'gr', 'grad', 'g'].includes(raw)) return 'graduate';
  return undefined;
}

/** Active or not: a boolean, yes/no, 1/0, or the A/I status letters both Banner and PeopleSoft export. */
export function readActive(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const raw = text(value).toLowerCase();
  if (['true', 'yes', 'y', '1', 'a', 'active', 'on'].includes(raw)) return true;
  if (['false', 'no', 'n', '0', 'i', 'inactive', 'off'].includes(raw)) return false;
  return undefined;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A calendar day as 'YYYY-MM-DD', from ISO (a time after it is ignored), US 'MM/DD/YYYY', or Oracle's
 * 'DD-MON-YYYY' that Banner extracts often carry. Undefined when it is none of these or no such day.
 */
export function readDay(value: unknown): string | undefined {
  const raw = text(value).toUpperCase();
  let iso = raw.slice(0, 10);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const oracle = /^(\d{1,2})-([A-Z]{3})-(\d{2}|\d{4})$/.exec(raw);
  if (us) iso = `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  else if (oracle) {
    const month = months.indexOf(oracle[2]!) + 1;
    if (month === 0) return undefined;
    const year = oracle[3]!.length === 2 ? `20${oracle[3]}` : oracle[3]!;
    iso = `${year}-${String(month).padStart(2, '0')}-${oracle[1]!.padStart(2, '0')}`;
  } else if (raw.length > 10 && raw[10] !== 'T' && raw[10] !== ' ') return undefined;
  const day = parseCalendarDay(iso);
  return day === null ? undefined : formatCalendarDay(day);
}

function collector() {
  const problems: FieldProblem[] = [];
  return {
    problems,
    add: (field: string, reason: string) => problems.push({ field, reason }),
    words(raw: RawRecord, field: string, max: number): string {
      const value = text(raw[field]);
      if (value === '') problems.push({ field, reason: 'is required' });
      else if (value.length > max) problems.push({ field, reason: `must be at most ${max} characters` });
      return value;
    },
  };
}

/** A department: a short code, a name, and optionally the e-mail address of its head. */
export function checkDepartment(raw: RawRecord): Checked<DepartmentValues> {
  const c = collector();
  const code = text(raw.code).toUpperCase();
  if (code === '') c.add('code', 'is required');
  else if (!departmentCodePattern.test(code)) {
    c.add('code', 'must be 1 to 20 letters or digits (hyphens, underscores and & allowed after the first)');
  }
  const name = c.words(raw, 'name', 200);
  const head = text(raw.head).toLowerCase();
  // Length first: the pattern backtracks on long inputs, and an uploaded cell may hold 64 KB.
  if (head !== '' && (head.length > 254 || !emailPattern.test(head))) {
    c.add('head', 'must be the e-mail address of a person with an account here, or left blank');
  }
  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  return { ok: true, value: { code, name, headEmail: head === '' ? null : head } };
}

/** A term: its code in the student system, a name, and a first day before its last. */
export function checkTerm(raw: RawRecord): Checked<TermValues> {
  const c = collector();
  const code = text(raw.code).toUpperCase();
  if (code === '') c.add('code', 'is required');
  else if (!termCodePattern.test(code)) {
    c.add('code', 'must be 1 to 20 letters or digits, such as 202510 or 2257');
  }
  const name = c.words(raw, 'name', 100);
  const day = (field: string) => {
    if (text(raw[field]) === '') {
      c.add(field, 'is required');
      return undefined;
    }
    const read = readDay(raw[field]);
    if (read === undefined) c.add(field, 'must be a date such as 2025-08-25 (or 08/25/2025, or 25-AUG-2025)');
    return read;
  };
  const startsOn = day('startsOn');
  const endsOn = day('endsOn');
  if (startsOn && endsOn && startsOn >= endsOn) c.add('endsOn', 'must be after the first day of the term');
  if (c.problems.length > 0 || !startsOn || !endsOn) return { ok: false, problems: c.problems };
  return { ok: true, value: { code, name, startsOn, endsOn } };
}

/** A course. `department` is checked against the departments that exist by the service, which knows them. */
export function checkCourse(raw: RawRecord): Checked<CourseValues> {
  const c = collector();
  const subject = text(raw.subject).toUpperCase();
  if (subject === '') c.add('subject', 'is required');
  else if (!subjectPattern.test(subject)) {
    c.add('subject', 'must be 1 to 10 letters or digits starting with a letter, such as COMM');
  }
  const number = text(raw.number).toUpperCase();
  if (number === '') c.add('number', 'is required');
  else if (!numberPattern.test(number))
    c.add('number', 'must be 1 to 10 letters or digits, such as 330 or 101L');
  const title = c.words(raw, 'title', 200);
  const credits = readCredits(raw.credits);
  if (credits === undefined) c.add('credits', 'must be a whole number of credits from 0 to 30');
  const departmentCode = text(raw.department).toUpperCase();
  if (departmentCode === '') c.add('department', 'is required');
  const levelGiven = text(raw.level) !== '';
  const level = levelGiven ? readLevel(raw.level) : null;
  if (level === undefined) c.add('level', 'must be undergraduate or graduate (or UG, GR, UGRD, GRAD)');
  const activeGiven = typeof raw.active === 'boolean' || text(raw.active) !== '';
  const isActive = activeGiven ? readActive(raw.active) : null;
  if (isActive === undefined) c.add('active', 'must be yes or no (or A for active, I for inactive)');
  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  return {
    ok: true,
    value: {
      subject,
      number,
      title,
      credits: credits!,
      departmentCode,
      level: level ?? null,
      isActive: isActive ?? null,
    },
  };
}

/**
 * The level of a new course that came without one: numbers from 500 up are graduate, as most North American
 * catalogs number them. Documented in docs/academic-structure-import.md.
 */
export function guessLevel(number: string): Level {
  const leading = /^\d+/.exec(number)?.[0];
  return leading !== undefined && Number(leading.slice(0, 3)) >= 500 && leading.length >= 3
    ? 'graduate'
    : 'undergraduate';
}
