import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { CompiledBatchLookup, CompiledLookup } from './compiled-lookup.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

describe('a lookup compiled once', () => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
    await database.db
      .insertInto('departments')
      .values([
        { code: 'LKA', name: 'Lookups A' },
        { code: 'LKB', name: 'Lookups B' },
      ])
      .execute();
  });
  after(() => drop());

  const byCode = () =>
    new CompiledLookup((db, code) =>
      db.selectFrom('departments').select(['code', 'name']).where('code', '=', code),
    );

  test('answers each key with its own row, as the builder would', async () => {
    const lookup = byCode();
    assert.deepEqual(await lookup.first(database.db, 'LKA'), { code: 'LKA', name: 'Lookups A' });
    assert.deepEqual(await lookup.first(database.db, 'LKB'), { code: 'LKB', name: 'Lookups B' });
    assert.equal(await lookup.first(database.db, 'NONE'), undefined);
  });

  test('runs inside a transaction and sees its writes', async () => {
    const lookup = byCode();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('departments').values({ code: 'LKT', name: 'In the transaction' }).execute();
        assert.equal((await lookup.first(trx, 'LKT'))?.name, 'In the transaction');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    assert.equal(await lookup.first(database.db, 'LKT'), undefined);
  });

  test('refuses a query with a parameter besides its key', async () => {
    const lookup = new CompiledLookup((db, code) =>
      db.selectFrom('departments').selectAll().where('code', '=', code).where('name', '=', 'Lookups A'),
    );
    await assert.rejects(lookup.first(database.db, 'LKA'), /exactly one parameter/);
  });

  const byCodes = () =>
    new CompiledBatchLookup((db, codes) =>
      db
        .selectFrom('departments')
        .select(['code', 'name'])
        .where('code', '=', sql<string>`any(${codes}::text[])`),
    );

  test('answers many keys in one query, the same compiled query for any number of them', async () => {
    const lookup = byCodes();
    const rows = await lookup.rows(database.db, ['LKB', 'NONE', 'LKA']);
    assert.deepEqual(
      rows.sort((a, b) => a.code.localeCompare(b.code)),
      [
        { code: 'LKA', name: 'Lookups A' },
        { code: 'LKB', name: 'Lookups B' },
      ],
    );
    assert.deepEqual(await lookup.rows(database.db, ['LKB']), [{ code: 'LKB', name: 'Lookups B' }]);
    assert.deepEqual(await lookup.rows(database.db, []), []);
  });

  test('refuses a batch query with a parameter besides its keys', async () => {
    const lookup = new CompiledBatchLookup((db, codes) =>
      db
        .selectFrom('departments')
        .selectAll()
        .where('code', '=', sql<string>`any(${codes}::text[])`)
        .where('name', '=', 'Lookups A'),
    );
    await assert.rejects(lookup.rows(database.db, ['LKA']), /exactly one parameter/);
  });
});
