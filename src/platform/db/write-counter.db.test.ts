import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { newId } from '../ids.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

describe('the database counts its writes', () => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
  });
  after(() => drop());

  /** How far the generation moved while `work` ran. */
  const moved = async (work: () => Promise<unknown>) => {
    const before = database.writes.generation;
    await work();
    return database.writes.generation - before;
  };

  test('reads leave the generation alone; inserts, updates, deletes and raw writes move it', async () => {
    const db = database.db;
    assert.equal(await moved(() => db.selectFrom('departments').selectAll().execute()), 0);
    assert.equal(await moved(() => sql`select count(*) from departments`.execute(db)), 0);
    assert.equal(
      await moved(() => db.insertInto('departments').values({ code: 'BENCH', name: 'Benchmarks' }).execute()),
      1,
    );
    assert.equal(
      await moved(() =>
        db.updateTable('departments').set({ name: 'Benches' }).where('code', '=', 'BENCH').execute(),
      ),
      1,
    );
    assert.equal(
      await moved(() => sql`update departments set name = name where code = 'BENCH'`.execute(db)),
      1,
    );
    assert.equal(await moved(() => db.deleteFrom('departments').where('code', '=', 'BENCH').execute()), 1);
    assert.equal(
      await moved(() =>
        db
          .transaction()
          .execute((trx) => trx.insertInto('departments').values({ code: 'T', name: 'T' }).execute()),
      ),
      1,
    );
  });

  test('writes no public page shows (mail, audit entries) leave it alone', async () => {
    const db = database.db;
    assert.equal(
      await moved(() =>
        db
          .insertInto('mail_outbox')
          .values({
            id: newId(),
            to_address: 'a@b.example',
            subject: 's',
            text_body: 't',
            display_subject: 's',
            display_text: 't',
            kind: 'test',
          })
          .execute(),
      ),
      0,
    );
    assert.equal(
      await moved(() =>
        db
          .insertInto('audit_log')
          .values({ actor_label: 'test', action: 'test', entity_type: 'test' })
          .execute(),
      ),
      0,
    );
  });

  test('a write that changes no row leaves it alone', async () => {
    // The stalled-list watch runs such an update every ten seconds in every process.
    const db = database.db;
    assert.equal(
      await moved(() =>
        db.updateTable('departments').set({ name: 'Nobody' }).where('code', '=', 'NO-SUCH-CODE').execute(),
      ),
      0,
    );
    assert.equal(
      await moved(() => db.deleteFrom('departments').where('code', '=', 'NO-SUCH-CODE').execute()),
      0,
    );
    assert.equal(
      await moved(() => sql`update departments set name = name where code = 'NO-SUCH-CODE'`.execute(db)),
      0,
    );
  });
});
