import { createReadStream } from 'node:fs';
import { CsvError, type Options as CsvParseOptions, parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * CSV as RFC 4180 describes it (comma separated, CRLF line ends, fields holding a comma, quote or line break
 * wrapped in double quotes with inner quotes doubled), for the files staff open in spreadsheets and the student
 * systems import. Values often come from people or uploaded files, so a text cell a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe. Signed numbers written
 * as text, such as a refund of -10.00, stay numbers.
 */
export type CsvCell = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^-?\d+(\.\d+)?$/;
const needsQuotes = /[",\r\n]/;

/** One CSV field. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = formulaStart.test(cell) && !plainNumber.test(cell) ? `'${cell}` : cell;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line with its CRLF ending. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The rows (the first is usually the header) as one CSV document. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvLine).join('');
}

/** One record read from a CSV document, with the line of the file it starts on (1 is the header). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Gives each record read by csv-parse (with `info: true`) the line it starts on, as an editor numbers lines, so row
 * problems point where people look. csv-parse's `info.lines` is the line a record ends on, and it counts a CRLF
 * inside a quoted value as two lines, so every later record would be reported one line too far. The counter takes
 * those back (it must see every record in order) and steps back over the line breaks inside the record's own
 * values. A line break is CRLF, LF or a lone CR, as in editors.
 */
export function csvLineCounter(): (record: readonly string[], parserLines: number) => number {
  let overcounted = 0;
  return (record, parserLines) => {
    let breaks = 0;
    for (const value of record) {
      if (!value.includes('\n') && !value.includes('\r')) continue;
      const crlf = value.split('\r\n').length - 1;
      overcounted += crlf;
      breaks += (value.match(/\r\n|\r|\n/g) ?? []).length;
    }
    return parserLines - overcounted - breaks;
  };
}

/**
 * How the files staff upload (completions, tracking lists) are read: a byte-order mark allowed, stray quotes and
 * ragged rows taken as they are (each row is judged on its own), blank rows skipped.
 */
export const UPLOADED_CSV = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  // A "line" longer than this is not a row of either file; most likely the file is not CSV at all.
  max_record_size: 64 * 1024,
} as const;

/**
 * The records of a CSV file on disk, one at a time as the parser reads them, each with the line it starts on: the
 * file is never held whole, and the next record is not read until the caller asks for it (the uploads that judge
 * and store rows in parts). Throws csv-parse's `CsvError` where the file stops being CSV.
 */
export async function* streamCsvFile(path: string, options: CsvParseOptions): AsyncGenerator<CsvRecord> {
  const parser = parseCsvStream({ ...options, info: true });
  const input = createReadStream(path, { encoding: 'utf8' });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  const lineOf = csvLineCounter();
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      yield { line: lineOf(record, info.lines), fields: record };
    }
  } finally {
    input.destroy();
  }
}

/** The document could not be read as CSV at all; `reason` says where and why, for people. */
export class CsvReadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CsvReadError';
  }
}

/**
 * Reads a whole CSV document held in memory (small uploads such as the academic structure's), trimming cells and
 * skipping blank lines, with each record's starting line so problems can be reported by line number.
 */
export function readCsv(text: string): CsvRecord[] {
  try {
    const rows = parseCsv(text, {
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const lineOf = csvLineCounter();
    return rows.map(({ record, info }) => ({ line: lineOf(record, info.lines), fields: record }));
  } catch (error) {
    if (error instanceof CsvError) throw new CsvReadError(error.message.replace(/\.$/, ''));
    throw error;
  }
}
