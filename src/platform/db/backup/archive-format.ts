import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';

/**
 * The backup archive, as records. On disk it is gzip'd JSON lines: a line holding a JSON object is one row of the
 * table named by the last `table` marker; every other line is a marker, a JSON array whose first item names it.
 * Rows are PostgreSQL's own `row_to_json` text, so every type (timestamps with their offset, bytea as hex, jsonb,
 * arrays) reads back through `json_populate_recordset` exactly, on PGlite and PostgreSQL alike.
 *
 * ```
 * ["stackable-backup", {header}]
 * ["table", "users", ["id", "email", …]]
 * {"id": "…", "email": "…", …}
 * ["end", "users", 2]
 * …
 * ["trailer", {"tables": {"users": 2, …}, "sha256": "…"}]
 * ```
 * `sha256` covers every byte of the uncompressed text before the trailer line.
 */
export type ArchiveRecord =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'row'; json: string }
  | { kind: 'end'; table: string; rows: number }
  | { kind: 'trailer'; trailer: ArchiveTrailer };

/** What a backup says about itself, before any data. */
export interface ArchiveHeader {
  /** The archive layout; a reader refuses layouts it does not know. */
  formatVersion: number;
  /** The Stackable version (package.json) that wrote it. */
  appVersion: string;
  createdAt: string;
  /** The database it was taken from. */
  source: 'pglite' | 'postgres';
  /** Every migration applied to that database, in name order: the schema the rows fit. */
  migrations: string[];
}

/** The end of an archive: row counts per table and the checksum of everything before it. */
export interface ArchiveTrailer {
  tables: Record<string, number>;
  sha256: string;
}

export const FORMAT_MAGIC = 'stackable-backup';
export const FORMAT_VERSION = 1;

/** One record as its line of text (with the newline). */
export function encodeRecord(record: ArchiveRecord): string {
  switch (record.kind) {
    case 'header':
      return `${JSON.stringify([FORMAT_MAGIC, record.header])}\n`;
    case 'table':
      return `${JSON.stringify(['table', record.table, record.columns])}\n`;
    case 'row':
      // Already JSON from the database; a newline inside would break the line format, and JSON text never has one
      // outside a string, where it is escaped.
      return `${record.json}\n`;
    case 'end':
      return `${JSON.stringify(['end', record.table, record.rows])}\n`;
    case 'trailer':
      return `${JSON.stringify(['trailer', record.trailer])}\n`;
  }
}

/** A file that is not a readable backup: names the line and what is wrong with it. */
export const unreadableArchive = (line: number, reason: string) =>
  new AppError(
    'UNPROCESSABLE',
    `The backup file is damaged or not a Stackable backup (line ${line}): ${reason}.`,
    [{ field: 'file', reason, line }],
  );

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);

/** Reads one line (without its newline) back into a record; throws `unreadableArchive` when it cannot. */
export function decodeRecord(text: string, line: number): ArchiveRecord {
  if (text.startsWith('{')) return { kind: 'row', json: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadableArchive(line, 'the line is not JSON');
  }
  if (!Array.isArray(value)) throw unreadableArchive(line, 'expected a row or a marker');
  const [name, a, b] = value as unknown[];
  if (name === FORMAT_MAGIC && line === 1) return { kind: 'header', header: readHeader(a, line) };
  if (name === 'table' && isText(a) && isTextList(b)) return { kind: 'table', table: a, columns: b };
  if (name === 'end' && isText(a) && Number.isSafeInteger(b))
    return { kind: 'end', table: a, rows: b as number };
  if (name === 'trailer' && isTrailer(a)) return { kind: 'trailer', trailer: a };
  throw unreadableArchive(
    line,
    line === 1 ? 'it does not start with a Stackable backup header' : 'unknown marker',
  );
}

function readHeader(value: unknown, line: number): ArchiveHeader {
  const header = value as Partial<ArchiveHeader> | null;
  if (typeof header !== 'object' || header === null)
    throw unreadableArchive(line, 'the header is not an object');
  if (header.formatVersion !== FORMAT_VERSION) {
    throw unreadableArchive(
      line,
      `its layout is version ${String(header.formatVersion)}, this Stackable reads version ${FORMAT_VERSION}`,
    );
  }
  if (
    !isText(header.appVersion) ||
    !isText(header.createdAt) ||
    (header.source !== 'pglite' && header.source !== 'postgres') ||
    !isTextList(header.migrations)
  ) {
    throw unreadableArchive(line, 'the header lacks the app version, date, source or migrations');
  }
  return header as ArchiveHeader;
}

function isTrailer(value: unknown): value is ArchiveTrailer {
  const trailer = value as Partial<ArchiveTrailer> | null;
  return (
    typeof trailer === 'object' &&
    trailer !== null &&
    typeof trailer.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(trailer.sha256) &&
    typeof trailer.tables === 'object' &&
    trailer.tables !== null &&
    Object.values(trailer.tables).every((n) => Number.isSafeInteger(n) && n >= 0)
  );
}

/**
 * The migrations a backup was taken at that this code does not know: a newer Stackable wrote it, and its rows
 * may not fit our schema. Empty when the code knows all of them.
 */
export const unknownMigrations = (header: ArchiveHeader, known: readonly string[]): string[] =>
  header.migrations.filter((name) => !known.includes(name));

/**
 * Tables whose rows a backup leaves out on purpose. Sessions: a restored installation signs everybody out, and a
 * backup file then holds no live sign-in. Kysely's bookkeeping is rebuilt by migrating the target; its content is
 * the header's `migrations`.
 */
export const TABLES_NOT_BACKED_UP: readonly string[] = [
  'sessions',
  'kysely_migration',
  'kysely_migration_lock',
];

/**
 * The records with the trailer appended: row counts from the `end` markers and the SHA-256 of their encoded lines,
 * the same bytes a file holds before its trailer.
 */
export async function* sealRecords(records: AsyncIterable<ArchiveRecord>): AsyncGenerator<ArchiveRecord> {
  const hash = createHash('sha256');
  const tables: Record<string, number> = {};
  for await (const record of records) {
    if (record.kind === 'trailer') throw new Error('The records already carry a trailer.');
    if (record.kind === 'end') tables[record.table] = record.rows;
    hash.update(encodeRecord(record));
    yield record;
  }
  yield { kind: 'trailer', trailer: { tables, sha256: hash.digest('hex') } };
}
