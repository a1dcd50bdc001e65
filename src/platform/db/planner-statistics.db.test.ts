import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { analyzeChangedTables, vacuumChangedTables } from './planner-statistics.ts';

const TABLE = 'public.planner_statistics_probe';

describe("the planner's statistics are kept current where nothing else does it", () => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
    // Autovacuum off for these tables, so on PostgreSQL too only the function under test analyzes them.
    await sql`create table planner_statistics_probe (n int) with (autovacuum_enabled = false)`.execute(
      database.db,
    );
    await sql`create table planner_statistics_empty (n int) with (autovacuum_enabled = false)`.execute(
      database.db,
    );
  });
  after(() => drop());

  /**
   * Adds `count` rows, in one transaction that also has PostgreSQL publish its change counts at commit (it may
   * otherwise hold them for up to ten seconds); PGlite counts at once.
   */
  const addRows = (count: number) =>
    database.db.transaction().execute(async (trx) => {
      await sql`insert into planner_statistics_probe select generate_series(1, ${count})`.execute(trx);
      await sql`select pg_stat_force_next_flush()`.execute(trx);
    });

  const estimatedRows = async () => {
    const { rows } = await sql<{ reltuples: number }>`
      select reltuples::float8 as reltuples from pg_class where oid = 'planner_statistics_probe'::regclass
    `.execute(database.db);
    return rows[0]!.reltuples;
  };

  test("tables never analyzed are analyzed, then again only once they changed past autovacuum's threshold", async () => {
    await addRows(500);
    assert.ok((await estimatedRows()) < 500, 'the probe starts without statistics');

    const first = await analyzeChangedTables(database.db);
    assert.ok(first.includes(TABLE), first.join(' '));
    assert.ok(
      !first.includes('public.planner_statistics_empty'),
      'an empty table never analyzed is left to the planner',
    );
    assert.equal(await estimatedRows(), 500);

    assert.deepEqual(await analyzeChangedTables(database.db), [], 'nothing changed since');

    // The threshold for 500 rows is 50 + 10% of 500 = 100 changed rows.
    await addRows(40);
    assert.ok(!(await analyzeChangedTables(database.db)).includes(TABLE), '40 changes stay under it');
    await addRows(70);
    assert.ok((await analyzeChangedTables(database.db)).includes(TABLE), '110 changes pass it');
    assert.equal(await estimatedRows(), 610);
  });

  test('an empty table is analyzed only once it has rows, so a plan made while it is empty still takes its key', async () => {
    await sql`create table planner_statistics_keyed (id int primary key) with (autovacuum_enabled = false)`.execute(
      database.db,
    );
    assert.ok(!(await analyzeChangedTables(database.db)).includes('public.planner_statistics_keyed'));
    // What a foreign key's check asks, planned once for every value: on a table analyzed while empty the planner
    // believes it empty for good and scans it whole, for each row checked, however large it has grown since.
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
      await sql`prepare keyed_probe (int) as select 1 from planner_statistics_keyed where id = $1`.execute(
        trx,
      );
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain execute keyed_probe (1)`.execute(trx);
      await sql`deallocate keyed_probe`.execute(trx);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /Index (Only )?Scan using planner_statistics_keyed_pkey/, plan);

    await database.db.transaction().execute(async (trx) => {
      await sql`insert into planner_statistics_keyed values (1)`.execute(trx);
      await sql`select pg_stat_force_next_flush()`.execute(trx);
    });
    assert.ok((await analyzeChangedTables(database.db)).includes('public.planner_statistics_keyed'));
  });

  test("tables are vacuumed once inserts or dead rows pass autovacuum's thresholds, and not again before", async () => {
    await sql`create table vacuum_probe (n int) with (autovacuum_enabled = false)`.execute(database.db);
    const change = (statement: ReturnType<typeof sql>) =>
      database.db.transaction().execute(async (trx) => {
        await statement.execute(trx);
        await sql`select pg_stat_force_next_flush()`.execute(trx);
      });
    const state = async () => {
      const { rows } = await sql<{ dead: number; vacuumed: boolean }>`
        select n_dead_tup::int as dead, coalesce(last_vacuum, last_autovacuum) is not null as vacuumed
        from pg_stat_user_tables where relid = 'vacuum_probe'::regclass`.execute(database.db);
      return rows[0]!;
    };
    const vacuumed = async () => (await vacuumChangedTables(database.db)).includes('public.vacuum_probe');

    // Inserts: the threshold for an empty table is 1,000 rows.
    await change(sql`insert into vacuum_probe select generate_series(1, 900)`);
    assert.equal(await vacuumed(), false, '900 inserted rows stay under it');
    await change(sql`insert into vacuum_probe select generate_series(901, 2000)`);
    assert.equal(await vacuumed(), true, '2,000 inserted rows pass it');
    assert.equal((await state()).vacuumed, true);
    await analyzeChangedTables(database.db);

    // Dead rows: for 2,000 rows the threshold is 50 + 20% of 2,000 = 450.
    await change(sql`delete from vacuum_probe where n <= 300`);
    assert.equal(await vacuumed(), false, '300 dead rows stay under it');
    assert.equal((await state()).dead, 300);
    await change(sql`delete from vacuum_probe where n <= 500`);
    assert.equal(await vacuumed(), true, '500 dead rows pass it');
    assert.equal((await state()).dead, 0, 'the dead rows are reclaimed');
    assert.equal(await vacuumed(), false, 'nothing is due right after');
  });
});
