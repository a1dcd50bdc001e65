// pglite-only: the pool lends in-memory PGlite instances, whatever DATABASE_URL says.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { isConnectionFailure } from '../../src/platform/db/connection-failure.ts';
import { DataFolderImage } from '../../src/platform/db/data-folder-image.ts';
import { type Database, openMemoryDatabase } from '../../src/platform/db/database.ts';
import { PglitePool } from './pglite-pool.ts';
import { cachedTarball } from './test-snapshots.ts';

// An image of its own: the schema, some departments and some audit entries (an identity sequence part-way, rows behind a
// trigger that refuses deletes), a sequence never used, an enum, and a table with rows that another inherits from.
let image: DataFolderImage;
const pool = new PglitePool();

before(async () => {
  const database = await openMemoryDatabase(await cachedTarball('migrated'));
  await sql`insert into departments (code, name)
    select 'D' || n, 'Department ' || n from generate_series(1, 3) n`.execute(database.db);
  await sql`insert into audit_log (actor_label, action, entity_type)
    select 'registrar', 'import', 'completions' from generate_series(1, 4)`.execute(database.db);
  await sql`create sequence pool_test_numbers start 100`.execute(database.db);
  await sql`create type pool_test_mood as enum ('calm')`.execute(database.db);
  await sql`create table pool_test_parent (label text)`.execute(database.db);
  await sql`create table pool_test_child () inherits (pool_test_parent)`.execute(database.db);
  await sql`insert into pool_test_parent values ('parent')`.execute(database.db);
  await sql`insert into pool_test_child values ('child')`.execute(database.db);
  await sql`checkpoint`.execute(database.db);
  image = new DataFolderImage(new Uint8Array(await (await database.snapshot()).arrayBuffer()));
  await database.close();
});

after(() => pool.close());

const neverRuns = () => assert.fail('a closed handle ran a statement');

/** The instance's transaction counter: it only grows, so an instance lent again shows the work done before. */
async function transactionCount(database: Database): Promise<number> {
  const { rows } = await sql<{ xid: string }>`select txid_current()::text as xid`.execute(database.db);
  return Number(rows[0]?.xid);
}

/** Everything a test could see: every table's rows, every sequence, the session's settings and channels. */
async function contents(database: Database): Promise<Record<string, unknown>> {
  const { rows: tables } = await sql<{ name: string }>`select format('%I.%I', n.nspname, c.relname) as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_to%' order by 1`.execute(database.db);
  const seen: Record<string, unknown> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{
      rows: string | null;
    }>`select string_agg(t::text, E'\\n' order by t::text) as rows
      from ${sql.raw(name)} t`.execute(database.db);
    seen[name] = rows[0]?.rows;
  }
  const { rows: sequences } = await sql`select schemaname, sequencename, last_value from pg_sequences
    where schemaname <> 'pg_catalog' order by 1, 2`.execute(database.db);
  const { rows: session } = await sql`select current_setting('TimeZone') as zone,
    current_setting('statement_timeout') as timeout,
    (select count(*) from pg_listening_channels()) as channels`.execute(database.db);
  return { ...seen, sequences, session };
}

/** What a new instance started from the image holds, read once. */
let fresh: Promise<Record<string, unknown>> | undefined;
function freshContents(): Promise<Record<string, unknown>> {
  fresh ??= openMemoryDatabase(image).then(async (database) => {
    try {
      return await contents(database);
    } finally {
      await database.close();
    }
  });
  return fresh;
}

/** The next database lent is the instance a file just closed (its transactions went on), holding the image. */
async function assertLentAgainAsTheImage(used: number): Promise<void> {
  const again = await pool.open(image);
  try {
    assert.ok((await transactionCount(again)) > used, 'the instance was not lent again');
    assert.deepEqual(await contents(again), await freshContents());
  } finally {
    await again.close();
  }
}

test('a database lent again holds exactly what a new one started from the image holds', async () => {
  const first = await pool.open(image);
  await sql`delete from departments where code = 'D1'`.execute(first.db);
  await sql`update departments set name = 'Renamed ' || code`.execute(first.db);
  await sql`insert into departments (code, name) values ('NURS', 'Nursing')`.execute(first.db);
  await sql`insert into audit_log (actor_label, action, entity_type)
    select 'office', 'issue', 'credential' from generate_series(1, 7)`.execute(first.db);
  await sql`select nextval('pool_test_numbers')`.execute(first.db);
  await sql`set time zone 'Pacific/Auckland'`.execute(first.db);
  await sql`set statement_timeout = '7s'`.execute(first.db);
  await first.listen('pool_test', { heard: () => undefined, resumed: () => undefined });
  const used = await transactionCount(first);
  await first.close();
  await assertLentAgainAsTheImage(used);
});

test('a database lent again and again holds the image, whichever tables each file changed', async () => {
  // Each put-back starts from what the one before left (its rows, its sequences, its marks of the schema), and a
  // change of any kind to any table must be undone. Each entry is one file's statements.
  const changes = [
    [sql`update departments set name = name || ' (renamed)' where code = 'D2'`],
    [sql`insert into audit_log (actor_label, action, entity_type) values ('office', 'issue', 'credential')`],
    [sql`delete from departments where code = 'D3'`],
    [
      sql`with gone as (delete from departments where code = 'D1' returning code)
        insert into departments (code, name) select 'X1', 'Replacement' from gone`,
    ],
    // Not counted as writes: seen by the new file it gives the table.
    [sql`truncate departments cascade`],
    // A table inherited from: put back by itself, the table inheriting from it left as it is.
    [sql`insert into pool_test_parent values ('one more')`],
    [sql`select 1`],
  ];
  let used = 0;
  for (const change of changes) {
    const lent = await pool.open(image);
    try {
      if (used > 0) assert.ok((await transactionCount(lent)) > used, 'the instance was not lent again');
      assert.deepEqual(await contents(lent), await freshContents());
      for (const statement of change) await statement.execute(lent.db);
      used = await transactionCount(lent);
    } finally {
      await lent.close();
    }
  }
  await assertLentAgainAsTheImage(used);
});

test('a file that resets the statistics after writing is still put back', async () => {
  // On an instance never lent before, whose counts were all nought: reset, they look untouched.
  await pool.close();
  const first = await pool.open(image);
  await sql`insert into departments (code, name) values ('GONE', 'Uncounted')`.execute(first.db);
  await sql`select pg_stat_force_next_flush()`.execute(first.db);
  await sql`select pg_stat_reset()`.execute(first.db);
  const used = await transactionCount(first);
  await first.close();
  await assertLentAgainAsTheImage(used);
});

test('a database whose schema a file changed is closed, not lent again', async () => {
  const first = await pool.open(image);
  await sql`create table file_of_its_own (id int)`.execute(first.db);
  const used = await transactionCount(first);
  await first.close();

  const next = await pool.open(image);
  try {
    assert.ok((await transactionCount(next)) < used, 'the changed instance was lent again');
    const { rows } = await sql<{
      found: string | null;
    }>`select to_regclass('file_of_its_own')::text as found`.execute(next.db);
    assert.equal(rows[0]?.found, null);
  } finally {
    await next.close();
  }
});

test('a database whose schema a file changed without adding to it is closed, not lent again', async () => {
  const changes = [
    // A definition replaced in place: the catalogs hold as many rows as before.
    sql`create or replace function audit_log_append_only() returns trigger language plpgsql
      as $$ begin return old; end $$`,
    sql`alter type pool_test_mood add value 'busy'`,
    sql`alter sequence pool_test_numbers increment by 5`,
  ];
  for (const change of changes) {
    const first = await pool.open(image);
    await change.execute(first.db);
    const used = await transactionCount(first);
    await first.close();

    const next = await pool.open(image);
    try {
      assert.ok((await transactionCount(next)) < used, 'the changed instance was lent again');
    } finally {
      await next.close();
    }
  }
});

test('a database closed inside a transaction is closed, not lent again', async () => {
  const first = await pool.open(image);
  await first.jobExecutor.executeSql('begin');
  await first.jobExecutor.executeSql(
    'insert into audit_log (actor_label, action, entity_type) values ($1, $2, $3)',
    ['office', 'half-done', 'credential'],
  );
  const used = await transactionCount(first);
  await first.close();

  const next = await pool.open(image);
  try {
    assert.ok((await transactionCount(next)) < used, 'the instance inside a transaction was lent again');
    assert.deepEqual(await contents(next), await freshContents());
  } finally {
    await next.close();
  }
});

test('a closed handle runs nothing more, though its instance is lent to the next file', async () => {
  const first = await pool.open(image);
  await transactionCount(first);
  await first.close();
  const next = await pool.open(image);
  try {
    // Refused as a closed database is, so a job that outlived its app is not taken for one that failed.
    const refusals = await Promise.all([
      first.jobExecutor.executeSql('select 1').then(neverRuns, (error: unknown) => error),
      sql`select 1`.execute(first.db).then(neverRuns, (error: unknown) => error),
      first
        .listen('pool_test', { heard: () => undefined, resumed: () => undefined })
        .then(neverRuns, (error) => error),
    ]);
    for (const refusal of refusals) assert.ok(isConnectionFailure(refusal), String(refusal));
    assert.equal((await transactionCount(next)) > 0, true);
  } finally {
    await next.close();
  }
});

test('a shard keeps two instances waiting at most: each holds at least 128 MB', async () => {
  const opened = [await pool.open(image), await pool.open(image), await pool.open(image)];
  const used = Math.min(...(await Promise.all(opened.map(transactionCount))));
  for (const database of opened) await database.close();

  const again = [await pool.open(image), await pool.open(image), await pool.open(image)];
  try {
    const counts = await Promise.all(again.map(transactionCount));
    assert.deepEqual(counts.map((count) => (count > used ? 'lent again' : 'new')).sort(), [
      'lent again',
      'lent again',
      'new',
    ]);
  } finally {
    for (const database of again) await database.close();
  }
});
