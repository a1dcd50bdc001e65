import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  MIGRATION_LOCK_ID,
  type Migration,
  sql,
} from 'kysely';
import { AppError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { migrateToLatest } from '../migrate.ts';
import type { DB } from '../schema.ts';
import {
  type ArchiveHeader,
  type ArchiveRecord,
  unknownMigrations,
  unreadableArchive,
} from './archive-format.ts';
import { appliedMigrations, describeTables, resetSequences, type TableShape } from './schema-catalog.ts';
import { describeTarget, wipeTarget } from './target-state.ts';

/** Rows per INSERT, carried as one JSON parameter: at most this many, and fewer large ones (uploaded files). */
const INSERT_ROWS = 500;
const INSERT_BYTES = 8 * 1024 * 1024;

export interface RestoreOptions {
  /** Delete everything already in the target first (inside the same transaction). */
  replace: boolean;
  /** The migrations this code knows, by name. */
  migrations: Record<string, Migration>;
}

export interface RestoreResult {
  header: ArchiveHeader;
  /** Rows restored per table, counted in the target before committing. */
  tables: Record<string, number>;
  /** Migrations applied after the restore, to bring the backup's schema up to this code's. */
  upgradedBy: string[];
}

/**
 * Loads an archive into `database` in one transaction: the backup's own migrations first (exactly those, so the
 * rows meet the schema they were taken from), then the rows table by table, each table's count checked in the
 * database, then the sequences. It commits only after the trailer, whose checksum the reader has verified, so a
 * refused or damaged archive leaves the target as it was. Afterwards the remaining migrations of this code run.
 */
export async function restoreSnapshot(
  database: Pick<Database, 'db'>,
  records: AsyncIterable<ArchiveRecord>,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const iterator = records[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (first.done || first.value.kind !== 'header') throw unreadableArchive(1, 'it has no header');
    const header = first.value.header;
    refuseNewerSchema(header, options.migrations);
    const target = await describeTarget(database.db);
    if (!target.isEmpty && !options.replace) {
      throw new AppError(
        'CONFLICT',
        `The target database is not empty (${target.summary}). Restore into a new, empty database, or replace ` +
          'everything in this one with --replace --yes.',
      );
    }
    const tables = await database.db.transaction().execute(async (trx) => {
      if (!target.isEmpty) await wipeTarget(trx);
      await applyMigrations(trx, header.migrations, options.migrations);
      const shapes = await describeTables(trx);
      await clearSeededRows(trx, shapes);
      return loadRows(trx, new Map(shapes.map((shape) => [shape.name, shape])), iterator);
    });
    const upgradedBy = await migrateToLatest(database.db);
    return { header, tables, upgradedBy };
  } finally {
    await iterator.return?.();
  }
}

function refuseNewerSchema(header: ArchiveHeader, known: Record<string, Migration>): void {
  const unknown = unknownMigrations(header, Object.keys(known));
  if (unknown.length === 0) return;
  throw new AppError(
    'INVALID_STATE',
    `This backup was taken by Stackable ${header.appVersion} at a newer schema than this version knows ` +
      `(unknown migrations: ${unknown.join(', ')}). Restore it with Stackable ${header.appVersion} or later.`,
  );
}

/**
 * Applies exactly the named migrations, in name order, through the open transaction and records them where
 * Kysely's migrator looks, so the later `migrateToLatest` carries on from there. (Kysely's own migrator opens its
 * own transaction and cannot join ours.)
 */
async function applyMigrations(trx: Kysely<DB>, names: readonly string[], known: Record<string, Migration>) {
  await sql`create table ${sql.id(DEFAULT_MIGRATION_TABLE)} (
    name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(trx);
  await sql`create table ${sql.id(DEFAULT_MIGRATION_LOCK_TABLE)} (
    id varchar(255) not null primary key, is_locked integer not null default 0)`.execute(trx);
  await sql`insert into ${sql.id(DEFAULT_MIGRATION_LOCK_TABLE)} (id, is_locked) values (${MIGRATION_LOCK_ID}, 0)`.execute(
    trx,
  );
  for (const name of [...names].sort()) {
    await known[name]?.up(trx);
    await sql`insert into ${sql.id(DEFAULT_MIGRATION_TABLE)} (name, timestamp)
      values (${name}, ${new Date().toISOString()})`.execute(trx);
  }
  const applied = await appliedMigrations(trx);
  if (applied.join() !== [...names].sort().join())
    throw new Error('The migrations applied differ from the backup.');
}

/** Rows the migrations themselves write (the default approval chains): the backup holds the real ones. */
async function clearSeededRows(trx: Kysely<DB>, shapes: readonly TableShape[]) {
  for (const { name } of [...shapes].reverse()) {
    if (name === DEFAULT_MIGRATION_TABLE || name === DEFAULT_MIGRATION_LOCK_TABLE) continue;
    const { rows } = await sql<{
      found: boolean;
    }>`select exists (select from ${sql.id(name)}) as found`.execute(trx);
    if (rows[0]?.found) await sql`delete from ${sql.id(name)}`.execute(trx);
  }
}

/** Reads table sections up to the trailer, inserting their rows; returns the rows counted per table. */
async function loadRows(
  trx: Kysely<DB>,
  shapes: Map<string, TableShape>,
  records: AsyncIterator<ArchiveRecord>,
): Promise<Record<string, number>> {
  const counted: Record<string, number> = {};
  let section: Section | undefined;
  let position = 1; // records read, for messages: the header was the first
  for (let next = await records.next(); !next.done; next = await records.next()) {
    position += 1;
    const record = next.value;
    if (record.kind === 'row') {
      if (!section) throw unreadableArchive(position, 'a row outside any table');
      section.batch.push(record.json);
      section.bytes += record.json.length;
      section.rows += 1;
      if (section.batch.length >= INSERT_ROWS || section.bytes >= INSERT_BYTES)
        await insertBatch(trx, section).catch((error: unknown) => blameDamage(records, error));
    } else if (record.kind === 'table') {
      if (section) throw unreadableArchive(position, `table ${section.table} has no end`);
      if (record.table in counted) throw unreadableArchive(position, `table ${record.table} appears twice`);
      checkColumns(shapes.get(record.table), record, position);
      section = { table: record.table, columns: record.columns, rows: 0, batch: [], bytes: 0 };
    } else if (record.kind === 'end') {
      if (section?.table !== record.table)
        throw unreadableArchive(position, `an end for ${record.table} out of place`);
      await insertBatch(trx, section).catch((error: unknown) => blameDamage(records, error));
      const stored = await countRows(trx, section.table);
      if (section.rows !== record.rows || stored !== record.rows) {
        throw unreadableArchive(
          position,
          `table ${record.table} should have ${record.rows} rows; the file held ${section.rows} and ${stored} were stored`,
        );
      }
      counted[record.table] = stored;
      section = undefined;
    } else if (record.kind === 'trailer') {
      if (section) throw unreadableArchive(position, `table ${section.table} has no end`);
      const expected = Object.entries(record.trailer.tables).sort().join();
      if (expected !== Object.entries(counted).sort().join()) {
        throw unreadableArchive(position, 'the tables and row counts differ from those the trailer lists');
      }
      await resetSequences(trx);
      return counted;
    } else {
      throw unreadableArchive(position, 'a second header');
    }
  }
  throw unreadableArchive(position, 'the archive ends before its trailer');
}

/**
 * Rows that could not be stored may be a damaged file's garbage: the encryption tag and the checksum that would say so
 * come at the end, after the rows were decrypted and read. So the rest of the file is read (storing nothing), and its
 * damage, when the reader finds some, is the reason given; otherwise the rows themselves were refused.
 */
async function blameDamage(records: AsyncIterator<ArchiveRecord>, storing: unknown): Promise<never> {
  for (let next = await records.next(); !next.done; next = await records.next()) {
    // Read through to the trailer: the reader throws when the file proves damaged.
  }
  throw storing;
}

/** A table section must name one of the target's tables and only its columns: names from the file reach SQL. */
function checkColumns(
  shape: TableShape | undefined,
  record: { table: string; columns: string[] },
  at: number,
) {
  if (!shape) throw unreadableArchive(at, `table ${record.table} is not in the backup's schema`);
  const unknown = record.columns.filter((column) => !shape.columns.includes(column));
  if (unknown.length > 0) {
    throw unreadableArchive(
      at,
      `table ${record.table} has no column ${unknown.join(', ')} in the backup's schema`,
    );
  }
}

/** The table being read: its columns, rows so far, and the rows not yet inserted. */
interface Section {
  table: string;
  columns: string[];
  rows: number;
  batch: string[];
  bytes: number;
}

async function insertBatch(trx: Kysely<DB>, section: Section) {
  if (section.batch.length === 0) return;
  const columns = sql.join(section.columns.map((column) => sql.id(column)));
  const rows = `[${section.batch.join(',')}]`;
  section.batch = [];
  section.bytes = 0;
  try {
    // OVERRIDING SYSTEM VALUE keeps the stored ids of identity columns (the audit log's).
    await sql`insert into ${sql.id(section.table)} (${columns}) overriding system value
      select ${columns} from json_populate_recordset(null::${sql.id(section.table)}, ${rows}::json)`.execute(
      trx,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('UNPROCESSABLE', `The rows of table ${section.table} could not be stored: ${reason}`, [
      { field: 'file', reason },
    ]);
  }
}

async function countRows(trx: Kysely<DB>, table: string): Promise<number> {
  const { rows } = await sql<{
    count: number | string;
  }>`select count(*) as count from ${sql.id(table)}`.execute(trx);
  return Number(rows[0]?.count ?? 0);
}
