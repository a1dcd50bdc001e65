import { UPLOADED_CSV } from '../platform/csv.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { streamTrimmedCsvFile } from '../platform/trimmed-csv.ts';
import type { StagedRow } from './completion-imports.repository.ts';
import {
  type Header,
  type RowLimits,
  type RowReading,
  readCompletionRow,
  readHeader,
} from './completion-row.ts';
import { RepeatSieve } from './repeat-sieve.ts';

/**
 * How a completions file is read as CSV: as every upload, with each value trimmed. `TrimmedCsvReader` reads it so,
 * faster than csv-parse; the option set stays as the definition it follows (and for the bench's old importer).
 */
export const COMPLETIONS_CSV = { ...UPLOADED_CSV, trim: true } as const;

/** What reading a file has found so far: whether it had a header row, and how many rows under it. */
export interface FileTally {
  hasHeader: boolean;
  rows: number;
}

/**
 * The data rows of a spooled completions file, each checked on its own and ready for the staging table, a few
 * hundred at a time as the CSV reader reads them: the file is never held whole, and the rows go on in batches, not
 * a promise per row. The header row is read first (a `HeaderProblem` if the import cannot work with it); a file
 * that is not readable CSV throws csv-parse's `CsvError` where it breaks. `tally` is kept up to date for the caller.
 */
export async function* readCompletionFile(
  path: string,
  limits: RowLimits,
  tally: FileTally,
): AsyncGenerator<StagedRow[]> {
  let header: Header | undefined;
  const sieve = new RepeatSieve();
  for await (const records of streamTrimmedCsvFile(path)) {
    const rows: StagedRow[] = [];
    for (const { line, fields } of records) {
      if (!header) {
        header = readHeader(fields);
        tally.hasHeader = true;
        continue;
      }
      rows.push(stagedRow(line, readCompletionRow(fields, header, limits), sieve));
    }
    tally.rows += rows.length;
    if (rows.length > 0) yield rows;
  }
}

/**
 * A checked row as the staging table takes it: identity always, the values only when the row passed, and whether an
 * earlier row may have had the same identity (see `RepeatSieve`).
 */
function stagedRow(line: number, reading: RowReading, sieve: RepeatSieve): StagedRow {
  const { studentId, course, term } = reading.identity;
  const maybeRepeat = sieve.sees(studentId, course, term);
  if (!reading.ok) {
    return [line, studentId, course, term, reading.reason, null, null, null, null, null, null, maybeRepeat];
  }
  const row = reading.row;
  return [
    line,
    studentId,
    course,
    term,
    null,
    row.grade,
    row.credits,
    row.completedOn,
    row.email,
    row.email ? normaliseEmail(row.email) : null,
    row.source,
    maybeRepeat,
  ];
}
