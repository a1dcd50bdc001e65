import { type Kysely, sql } from 'kysely';
import { invalidState } from '../../errors.ts';
import type { Database } from '../database.ts';
import type { DB } from '../schema.ts';
import { type ArchiveRecord, FORMAT_VERSION, TABLES_NOT_BACKED_UP } from './archive-format.ts';
import { appliedMigrations, describeTables } from './schema-catalog.ts';

/**
 * Rows fetched from the database at a time: at most this many, and fewer when rows are large (uploaded files live
 * in the database), so a fetch stays near `FETCH_BYTES` whatever the tables hold.
 */
const FETCH_ROWS = 500;
const FETCH_BYTES = 8 * 1024 * 1024;

/**
 * Every row of our tables as archive records, read in one REPEATABLE READ, read-only transaction: one snapshot, so
 * a backup taken while the app runs (on PostgreSQL) is consistent across tables. Rows are fetched through a cursor
 * a few hundred at a time. The writer adds the trailer: it needs the checksum of what it wrote.
 */
export async function* exportSnapshot(
  database: Pick<Database, 'db' | 'kind'>,
  appVersion: string,
): AsyncGenerator<ArchiveRecord> {
  const trx = await database.db.startTransaction().execute();
  let finished = false;
  try {
    // The first statement of the transaction, so it applies (PGlite's driver opens transactions without settings).
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    // The same text on every server: offsets in UTC, bytea in hex.
    await sql`set local time zone 'UTC'`.execute(trx);
    await sql`set local bytea_output = 'hex'`.execute(trx);
    const migrations = await appliedMigrations(trx);
    if (migrations.length === 0) {
      throw invalidState(
        'The database has no Stackable tables (it was never migrated): there is nothing to back up.',
      );
    }
    yield {
      kind: 'header',
      header: {
        formatVersion: FORMAT_VERSION,
        appVersion,
        createdAt: new Date().toISOString(),
        source: database.kind,
        migrations,
      },
    };
    for (const table of await describeTables(trx)) {
      if (TABLES_NOT_BACKED_UP.includes(table.name)) continue;
      yield { kind: 'table', table: table.name, columns: table.columns };
      let rows = 0;
      for await (const batch of cursorRows(trx, table.name, table.selfReferences)) {
        for (const json of batch) yield { kind: 'row', json };
        rows += batch.length;
      }
      yield { kind: 'end', table: table.name, rows };
    }
    await trx.commit().execute();
    finished = true;
  } finally {
    if (!finished) await trx.rollback().execute();
  }
}

/**
 * A table's rows as `row_to_json` text, `FETCH_ROWS` at a time, through a cursor in the open transaction. In a
 * table that references itself, rows that reference no other row come first, so a restore (which checks each
 * batch's foreign keys as it inserts it) meets every referenced row before the rows that name it. That covers one
 * level, which is all our schema has: a wallet's copy names the award's own credential, never another copy.
 */
async function* cursorRows(
  trx: Kysely<DB>,
  table: string,
  selfReferences: readonly string[],
): AsyncGenerator<string[]> {
  const order =
    selfReferences.length > 0
      ? sql` order by ${sql.join(selfReferences.map((column) => sql`${sql.ref(`t.${column}`)} is not null`))}`
      : sql``;
  await sql`declare backup_rows no scroll cursor for select row_to_json(t)::text as line from ${sql.id(table)} t${order}`.execute(
    trx,
  );
  let size = FETCH_ROWS;
  for (;;) {
    const { rows } = await sql<{
      line: string;
    }>`fetch forward ${sql.raw(String(size))} from backup_rows`.execute(trx);
    if (rows.length === 0) break;
    const lines = rows.map((row) => row.line);
    yield lines;
    const bytes = lines.reduce((sum, line) => sum + line.length, 0);
    size = Math.max(1, Math.min(FETCH_ROWS, Math.floor((size * FETCH_BYTES) / Math.max(bytes, 1))));
  }
  // Only on success: after an error the transaction is rolled back, which closes the cursor with it.
  await sql`close backup_rows`.execute(trx);
}
