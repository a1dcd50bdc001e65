import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { type CsvRecord, csvLineCounter, UPLOADED_CSV } from './csv.ts';
import { TrimmedCsvReader } from './trimmed-csv.ts';

/** What csv-parse makes of a document with the completions file's options: records with lines, or its error. */
function byCsvParse(text: string, maxRecordBytes = 64 * 1024): CsvRecord[] | string {
  try {
    const rows = parse(text, {
      ...UPLOADED_CSV,
      trim: true,
      info: true,
      max_record_size: maxRecordBytes,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const lineOf = csvLineCounter();
    return rows.map(({ record, info }) => ({ line: lineOf(record, info.lines), fields: record }));
  } catch (error) {
    if (error instanceof CsvError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** The same document through our reader, handed over in the given pieces. */
function byReader(pieces: readonly string[], maxRecordBytes?: number): CsvRecord[] | string {
  const reader = new TrimmedCsvReader({ maxRecordBytes });
  const records: CsvRecord[] = [];
  try {
    for (const piece of pieces) records.push(...reader.read(piece));
    records.push(...reader.end());
    return records;
  } catch (error) {
    if (error instanceof CsvError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/** Cuts a document into pieces at the given offsets, as a file stream might. */
function cut(text: string, offsets: readonly number[]): string[] {
  const at = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const to of at) {
    pieces.push(text.slice(from, to));
    from = to;
  }
  pieces.push(text.slice(from));
  return pieces;
}

// Everything that steers a CSV reader: quotes, commas, every kind of line break, ASCII and Unicode blanks, a
// byte-order mark, NUL, multi-byte letters and a character outside the BMP, besides plain letters.
const characters = [
  'a',
  'b',
  'Z',
  '1',
  ',',
  ',',
  '"',
  '"',
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '\v',
  '\f',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\0',
  'é',
  '€',
  '😀',
  ';',
];
const documents = fc.array(fc.constantFrom(...characters), { maxLength: 60 }).map((chars) => chars.join(''));
// Documents shaped like real files: rows of values, some quoted with commas, quotes and line breaks inside.
const value = fc.oneof(
  fc.constantFrom('', ' ', 'S1', ' MATH 101 ', '2025 Fall', 'A', '3'),
  fc
    .array(fc.constantFrom('x', ',', '""', '\r\n', '\n', '\r', ' '), { maxLength: 6 })
    .map((v) => `"${v.join('')}"`),
  fc.array(fc.constantFrom('x', ' ', '"', '\u00a0'), { maxLength: 4 }).map((v) => v.join('')),
);
const rowsDocuments = fc
  .tuple(
    fc.array(fc.array(value, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
    fc.constantFrom('\r\n', '\n', '\r'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([rows, end, bom, lastEnds]) => {
    const body = rows.map((row) => row.join(',')).join(end);
    return `${bom ? '\ufeff' : ''}${body}${lastEnds ? end : ''}`;
  });
const offsets = fc.array(fc.nat(), { maxLength: 6 });

test('reads any short document as csv-parse does: the same records on the same lines, or the same error', () => {
  fc.assert(
    fc.property(documents, offsets, (text, at) => {
      assert.deepEqual(byReader(cut(text, at)), byCsvParse(text));
    }),
    { numRuns: 20_000 },
  );
});

test('reads documents shaped like completions files as csv-parse does, however the file arrives in pieces', () => {
  fc.assert(
    fc.property(rowsDocuments, offsets, (text, at) => {
      assert.deepEqual(byReader(cut(text, at)), byCsvParse(text));
    }),
    { numRuns: 5_000 },
  );
});

test('refuses a record over the size limit where csv-parse does, counting bytes as it does', () => {
  fc.assert(
    fc.property(documents, fc.integer({ min: 1, max: 24 }), offsets, (text, max, at) => {
      assert.deepEqual(byReader(cut(text, at), max), byCsvParse(text, max));
    }),
    { numRuns: 20_000 },
  );
});

test('a value in quotes keeps its commas, doubled quotes and line breaks, and later rows keep their line', () => {
  const records = byReader(['id,note\r\n1,"a, ""b""\r\nc"\r\n2,x\r\n']);
  assert.deepEqual(records, [
    { line: 1, fields: ['id', 'note'] },
    { line: 2, fields: ['1', 'a, "b"\r\nc'] },
    { line: 4, fields: ['2', 'x'] },
  ]);
});
