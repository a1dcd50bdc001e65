/**
 * One tracking list as the offices write it: a CSV with one learner per line. This file reads and checks the
 * shape of the header and of each line without any I/O; whether the student, program and record qualify is
 * for the service to decide.
 */

import type { TermCalendar } from '../learners/academic-term.ts';
import { toCsv } from '../platform/csv.ts';
import { wordFor } from '../platform/words.ts';
import { parseCalendarDay } from '../requirements/index.ts';
import type { CreditMode } from './issuing.tables.ts';

export const requiredColumns = [
  'student_id',
  'email',
  'first_name',
  'last_name',
  'program',
  'completion_date',
  'term',
] as const;
export const optionalColumns = ['credit_mode', 'cohort', 'fee_waived', 'notes'] as const;
export type Column = (typeof requiredColumns)[number] | (typeof optionalColumns)[number];

const knownColumns: ReadonlySet<string> = new Set([...requiredColumns, ...optionalColumns]);
const maxNotes = 500;

/** The file cannot be used as a list; `reason` finishes the sentence "The list was not uploaded: …". */
export class ListRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ListRefusal';
  }
}

/** Where each column sits, by position. */
export type ListHeader = ReadonlyMap<Column, number>;

/** Reads the header row: names in any order and letter case, every required column and nothing unknown. */
export function readListHeader(fields: readonly string[]): ListHeader {
  const names = fields.map((f) =>
    f
      .trim()
      .toLowerCase()
      .replace(/^\uFEFF/, ''),
  );
  if (names.length === 1 && /[;\t|]/.test(names[0] ?? '')) {
    throw new ListRefusal('its columns are not separated by commas; save it as comma-separated CSV');
  }
  const positions = new Map<Column, number>();
  const unknown: string[] = [];
  names.forEach((name, index) => {
    if (name === '') return;
    if (!knownColumns.has(name)) unknown.push(name);
    else if (positions.has(name as Column)) throw new ListRefusal(`the column "${name}" appears twice`);
    else positions.set(name as Column, index);
  });
  const missing = requiredColumns.filter((c) => !positions.has(c));
  if (missing.length > 0) {
    throw new ListRefusal(
      `the header row lacks ${missing.join(', ')} (the first row names the columns: ${requiredColumns.join(', ')}, ` +
        `and optionally ${optionalColumns.join(', ')}; the template has them all)`,
    );
  }
  if (unknown.length > 0) {
    // Refused, not ignored: a misspelt optional column (fee_waved) would silently lose a waiver.
    throw new ListRefusal(
      `the header names columns a tracking list does not have: ${unknown
        .slice(0, 5)
        .map((u) => `"${u.slice(0, 40)}"`)
        .join(', ')} (allowed: ${[...requiredColumns, ...optionalColumns].join(', ')})`,
    );
  }
  return positions;
}

/** One line of the list, read; `problems` says what is wrong with the line itself (empty when it reads). */
export interface ListLine {
  line: number;
  studentId: string;
  email: string;
  firstName: string;
  lastName: string;
  programSlug: string;
  completionDate: string | null;
  term: string;
  creditMode: CreditMode | null;
  cohort: string;
  feeWaived: boolean;
  notes: string;
  problems: string[];
}

const yes = new Set(['yes', 'y', 'true', '1', 'waived']);
const no = new Set(['', 'no', 'n', 'false', '0']);

/**
 * Reads one line against the header; `today` ('YYYY-MM-DD') bounds the completion date, and `terms` (the
 * institution's, see termCalendar) says what the term column may name.
 */
export function readListLine(
  fields: readonly string[],
  header: ListHeader,
  line: number,
  today: string,
  terms: TermCalendar,
): ListLine {
  const cell = (column: Column) => {
    const at = header.get(column);
    return at === undefined ? '' : (fields[at] ?? '').trim();
  };
  const problems: string[] = [];
  for (const column of requiredColumns) {
    if (cell(column) === '') problems.push(`${column} is empty`);
  }
  const studentId = cell('student_id').toUpperCase();
  const email = cell('email');
  // Length first: the pattern backtracks on long inputs, and a cell may hold 64 KB.
  if (email !== '' && (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    problems.push(`email "${email}" is not an e-mail address`);

  const dateText = cell('completion_date');
  let completionDate: string | null = null;
  if (dateText !== '') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateText) || parseCalendarDay(dateText) === null) {
      problems.push(`completion_date "${dateText}" is not a date written YYYY-MM-DD`);
    } else if (dateText > today) {
      problems.push(`completion_date ${dateText} is in the future`);
    } else {
      completionDate = dateText;
    }
  }

  const termText = cell('term');
  const term = terms.read(termText);
  if (termText !== '' && !term) problems.push(`term "${termText}" is not ${terms.expected}`);

  const modeText = cell('credit_mode')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  let creditMode: CreditMode | null = null;
  if (modeText === 'credit' || modeText === 'non_credit') creditMode = modeText;
  else if (modeText === 'noncredit') creditMode = 'non_credit';
  else if (modeText !== '')
    problems.push(`credit_mode "${cell('credit_mode')}" must be credit or non_credit`);

  const waivedText = cell('fee_waived').toLowerCase();
  if (!yes.has(waivedText) && !no.has(waivedText)) {
    problems.push(`fee_waived "${cell('fee_waived')}" must be yes or no`);
  }
  const notes = cell('notes');
  if (notes.length > maxNotes) problems.push(`notes are longer than ${maxNotes} characters`);

  return {
    line,
    studentId,
    email,
    firstName: cell('first_name'),
    lastName: cell('last_name'),
    programSlug: cell('program').toLowerCase(),
    completionDate,
    term: term?.label ?? termText,
    creditMode,
    cohort: cell('cohort'),
    feeWaived: yes.has(waivedText),
    notes: notes.slice(0, maxNotes),
    problems,
  };
}

/** How many line numbers of each credit mode a refusal of a mixed file names. */
const namedLines = 5;
/** How many of a file's cohorts a refusal of a file with several names. */
const namedCohorts = 3;
/** The longest cohort name kept; one made of the terms is cut there too. */
const maxCohort = 200;
/**
 * Terms kept to name a cohort from: the sorted terms joined by ", " are cut at `maxCohort` characters, and every
 * term takes at least three of them (a character and the separator), so the smallest 68 already fill the name.
 */
const keptTerms = Math.ceil(maxCohort / 3) + 1;

/**
 * What a whole file must agree on, gathered line by line as it is read, in memory that does not grow with the
 * file: its one credit mode (the mode each line resolves to: its program's, or its credit_mode for a hybrid
 * program) and its one cohort (the file's one cohort value, or its terms).
 *
 * A file mixing both modes is refused: credit-bearing badges go to the registrar, the others to the credentials
 * office, so a hybrid program's cohort comes as two lists. A file naming more than one cohort is refused too.
 */
export class ListShape {
  readonly #modes: Record<CreditMode, { lines: number[]; count: number }> = {
    credit: { lines: [], count: 0 },
    non_credit: { lines: [], count: 0 },
  };
  readonly #cohorts: string[] = [];
  /** The smallest distinct terms, sorted (`keptTerms` of them at most). */
  readonly #terms: string[] = [];

  /** Counts a line: `mode` is the credit mode it resolves to, if any. */
  add(line: Pick<ListLine, 'line' | 'cohort' | 'term'>, mode: CreditMode | null): void {
    if (mode) {
      const seen = this.#modes[mode];
      seen.count++;
      if (seen.lines.length < namedLines) seen.lines.push(line.line);
    }
    if (line.cohort && this.#cohorts.length < namedCohorts && !this.#cohorts.includes(line.cohort)) {
      this.#cohorts.push(line.cohort);
    }
    if (line.term) this.#keepTerm(line.term);
  }

  /** Whether what was read so far already decides that the file is refused (what follows cannot change it). */
  get isRefused(): boolean {
    return (this.#modes.credit.count > 0 && this.#modes.non_credit.count > 0) || this.#cohorts.length > 1;
  }

  /** The file's credit mode, null when no line resolves to one; a file mixing both is a `ListRefusal`. */
  listMode(): CreditMode | null {
    const { credit, non_credit: nonCredit } = this.#modes;
    if (credit.count > 0 && nonCredit.count > 0) {
      const lines = ({ lines, count }: { lines: number[]; count: number }) =>
        `${wordFor(count, 'line')} ${lines.join(', ')}${count > namedLines ? ' and more' : ''}`;
      throw new ListRefusal(
        `it mixes credit-bearing rows (${lines(credit)}) with non-credit rows (${lines(nonCredit)}). ` +
          'Credit-bearing badges are issued by the registrar and non-credit ones by the credentials office, so ' +
          "upload each credit mode as a list of its own (a hybrid program's cohort becomes two lists)",
      );
    }
    return credit.count > 0 ? 'credit' : nonCredit.count > 0 ? 'non_credit' : null;
  }

  /** The cohort the list is for: the file's one cohort value, or its terms. More than one is a `ListRefusal`. */
  cohort(): string {
    if (this.#cohorts.length > 1) {
      throw new ListRefusal(
        `it holds more than one cohort (${this.#cohorts
          .map((c) => `"${c.slice(0, 40)}"`)
          .join(', ')}); upload one list per cohort`,
      );
    }
    if (this.#cohorts[0]) return this.#cohorts[0].slice(0, maxCohort);
    return (this.#terms.length > 0 ? this.#terms.join(', ') : 'Unnamed cohort').slice(0, maxCohort);
  }

  #keepTerm(term: string): void {
    const terms = this.#terms;
    // Sorted as Array.prototype.sort sorts strings (by UTF-16 code units), by binary search.
    let low = 0;
    let high = terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (terms[middle]! < term) low = middle + 1;
      else high = middle;
    }
    if (terms[low] === term || low >= keptTerms) return;
    terms.splice(low, 0, term);
    if (terms.length > keptTerms) terms.pop();
  }
}

/** The template people download: the header and one example line to overwrite. */
export function trackingListTemplate(): string {
  return toCsv([
    [...requiredColumns, ...optionalColumns],
    [
      'C00000000',
      'first.last@students.example.edu',
      'First',
      'Last',
      'program-slug',
      '2026-05-15',
      '2026 Spring',
      'non_credit',
      '2026 Spring cohort',
      'no',
      '',
    ],
  ]);
}
