/**
 * One line of a completions file from the student information system, read and checked without any I/O.
 * Whether the student and the course exist is for the importer to decide; this file only checks the shape.
 */

import { formatDay } from '../platform/http/moment.ts';
import { countOf, wordFor } from '../platform/words.ts';
import { parseCalendarDay } from '../requirements/calendar-day.ts';
import { normalizeCourseCode } from '../requirements/course-code.ts';
import { isKnownGrade, normalizeGrade } from '../requirements/grades.ts';
import { type TermCalendar, termCalendar } from './academic-term.ts';

export const requiredColumns = ['student_id', 'course_code', 'term', 'grade', 'credits'] as const;
export const optionalColumns = ['completed_on', 'email', 'source'] as const;
export type Column = (typeof requiredColumns)[number] | (typeof optionalColumns)[number];

const knownColumns: ReadonlySet<string> = new Set([...requiredColumns, ...optionalColumns]);

/** Where each column sits in the file, by position. */
export type Header = ReadonlyMap<Column, number> & { readonly width: number };

/** A header the import cannot work with; `reason` finishes the sentence "The file was not imported: …". */
export class HeaderProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'HeaderProblem';
  }
}

/** Reads the header row: names in any order and letter case; every required column, nothing unknown. */
export function readHeader(fields: readonly string[]): Header {
  const names = fields.map((f) => f.trim().toLowerCase());
  if (names.length === 1 && /[;\t|]/.test(names[0] ?? '')) {
    throw new HeaderProblem(
      'its columns are not separated by commas (it looks like semicolons, tabs or bars were used); save it as comma-separated CSV',
    );
  }
  const positions = new Map<Column, number>();
  const unknown: string[] = [];
  names.forEach((name, index) => {
    if (name === '') return;
    if (!knownColumns.has(name)) {
      unknown.push(name);
      return;
    }
    if (positions.has(name as Column))
      throw new HeaderProblem(`the column "${name}" appears twice in the header`);
    positions.set(name as Column, index);
  });
  const missing = requiredColumns.filter((c) => !positions.has(c));
  if (missing.length > 0) {
    throw new HeaderProblem(
      `the header row is missing the required ${wordFor(missing.length, 'column')} ${missing.join(', ')} ` +
        `(the first row must name the columns: ${requiredColumns.join(', ')}, and optionally ${optionalColumns.join(', ')})`,
    );
  }
  if (unknown.length > 0) {
    // Refused rather than ignored: a misspelt optional column would otherwise lose its data without a word.
    const shown = unknown.slice(0, 5).map((u) => `"${u.slice(0, 40)}"`);
    throw new HeaderProblem(
      `the header names ${wordFor(unknown.length, 'column')} this import does not know: ${shown.join(', ')} ` +
        `(allowed: ${[...requiredColumns, ...optionalColumns].join(', ')})`,
    );
  }
  return Object.assign(positions, { width: fields.length });
}

/** A row whose values have the right form. Codes are in canonical spelling. */
export interface CompletionRow {
  studentId: string;
  courseCode: string;
  term: string;
  grade: string;
  credits: number;
  completedOn: string;
  email: string | null;
  source: string;
}

/** What a report shows of any row, valid or not: enough to find it in the file. */
export interface RowIdentity {
  studentId: string;
  course: string;
  term: string;
}

export type RowReading =
  | { ok: true; row: CompletionRow; identity: RowIdentity }
  | { ok: false; reason: string; identity: RowIdentity };

/** A column's value in a row, trimmed; '' when the header has no such column or the row is short. */
function columnValue(fields: readonly string[], header: Header, column: Column): string {
  const at = header.get(column);
  return at === undefined ? '' : (fields[at] ?? '').trim();
}

const quote = (value: string) => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;

/** What a row is read against: the institution's terms, and the last term end a file may give. */
export interface RowLimits {
  terms: TermCalendar;
  /** 'YYYY-MM-DD' (see latestTermEnd in academic-term.ts); a term ending later is refused. */
  latestTermEnd?: string;
}

/** Years and seasons, for a reading that has no institution to ask (tests, the bench's files). */
const seasonalTerms = termCalendar([]);

/** Checks one data row against the header. Several problems are reported together, separated by '; '. */
export function readCompletionRow(
  fields: readonly string[],
  header: Header,
  limits: RowLimits = { terms: seasonalTerms },
): RowReading {
  const rawStudent = columnValue(fields, header, 'student_id');
  const rawCourse = columnValue(fields, header, 'course_code');
  const rawTerm = columnValue(fields, header, 'term');
  const term = limits.terms.read(rawTerm);
  const identity: RowIdentity = {
    studentId: rawStudent.slice(0, 60),
    course: (rawCourse ? normalizeCourseCode(rawCourse) : '').slice(0, 60),
    term: term?.label ?? rawTerm.slice(0, 60),
  };
  if (fields.length !== header.width) {
    return {
      ok: false,
      reason: `has ${countOf(fields.length, 'value')} where the header has ${header.width} columns`,
      identity,
    };
  }

  const problems: string[] = [];
  if (rawStudent === '') problems.push('student_id is empty');
  else if (rawStudent.length > 40) problems.push('student_id is longer than 40 characters');

  if (rawCourse === '') problems.push('course_code is empty');
  else if (identity.course.length > 20) problems.push('course_code is longer than 20 characters');

  if (rawTerm === '') problems.push('term is empty');
  else if (!term) problems.push(`term ${quote(rawTerm)} is not ${limits.terms.expected}`);
  else if (limits.latestTermEnd && term.endsOn > limits.latestTermEnd) {
    problems.push(
      `term "${term.label}" is more than one academic year ahead (ends ${formatDay(term.endsOn)}; ` +
        `this import takes terms that end by ${limits.latestTermEnd})`,
    );
  }

  const rawGrade = columnValue(fields, header, 'grade');
  const grade = normalizeGrade(rawGrade);
  if (rawGrade === '') problems.push('grade is empty');
  else if (!isKnownGrade(grade))
    problems.push(`grade ${quote(rawGrade)} is not on the grade scale (A+ to F, P, NP, W, I)`);

  const rawCredits = columnValue(fields, header, 'credits');
  const credits = /^\d{1,2}(\.0+)?$/.test(rawCredits) ? Number.parseInt(rawCredits, 10) : Number.NaN;
  if (rawCredits === '') problems.push('credits is empty');
  else if (!(credits >= 0 && credits <= 30))
    problems.push(`credits ${quote(rawCredits)} is not a whole number from 0 to 30`);

  const rawDate = columnValue(fields, header, 'completed_on');
  if (rawDate !== '' && (rawDate.length !== 10 || parseCalendarDay(rawDate) === null)) {
    problems.push(`completed_on ${quote(rawDate)} is not a date written YYYY-MM-DD`);
  }

  const email = columnValue(fields, header, 'email');
  // Length first: the pattern backtracks on long inputs, and a cell may hold 64 KB.
  if (email !== '' && (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    problems.push(`email ${quote(email)} is not an e-mail address`);

  const source = columnValue(fields, header, 'source');
  if (source.length > 40) problems.push('source is longer than 40 characters');

  if (problems.length > 0 || !term) return { ok: false, reason: problems.join('; '), identity };
  return {
    ok: true,
    identity,
    row: {
      studentId: rawStudent,
      courseCode: identity.course,
      term: term.label,
      grade,
      credits,
      completedOn: rawDate === '' ? term.endsOn : rawDate,
      email: email === '' ? null : email,
      source: source === '' ? 'sis' : source,
    },
  };
}
