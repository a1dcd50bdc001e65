import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { csvLineCounter } from '../platform/csv.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { StagedRow } from './completion-imports.repository.ts';
import { type Header, type RowReading, readCompletionRow, readHeader } from './completion-row.ts';

/** How a completions file is read as CSV, with what each record's line number is worked out from (`info`). */
export const COMPLETIONS_CSV = {
  bom: true,
  info: true,
  trim: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  // A "line" longer than this is not a completions row; most likely the file is not CSV at all.
  max_record_size: 64 * 1024,
} as const;

/** What reading a file has found so far: whether it had a header row, and how many rows under it. */
export interface FileTally {
  hasHeader: boolean;
  rows: number;
}

/**
 * The data rows of a spooled completions file, each checked on its own and ready for the staging table, one at a
 * time as the CSV parser reads them: the file is never held whole. The header row is read first (a
 * `HeaderProblem` if the import cannot work with it); a file that is not readable CSV throws csv-parse's
 * `CsvError` where it breaks. `tally` is kept up to date for the caller.
 */
export async function* readCompletionFile(
  path: string,
  limits: { latestTermEnd: string },
  tally: FileTally,
): AsyncGenerator<StagedRow> {
  const parser = parse(COMPLETIONS_CSV);
  const input = createReadStream(path, { encoding: 'utf8' });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let header: Header | undefined;
  const lineOf = csvLineCounter();
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = lineOf(record, info.lines);
      if (!header) {
        header = readHeader(record);
        tally.hasHeader = true;
        continue;
      }
      tally.rows++;
      yield stagedRow(line, readCompletionRow(record, header, limits));
    }
  } finally {
    input.destroy();
  }
}

/** A checked row as the staging table takes it: identity always, the values only when the row passed. */
function stagedRow(line: number, reading: RowReading): StagedRow {
  const { studentId, course, term } = reading.identity;
  if (!reading.ok) return [line, studentId, course, term, reading.reason, null, null, null, null, null, null];
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
  ];
}
