import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testBackend } from '../../test/support/test-database.ts';
import type { Database, Db } from './db/database.ts';
import { EventRegistry } from './events.ts';

interface TestEvents {
  'thing.done': { label: string };
  'thing.ignored': { count: number };
}

describe(`the event registry on ${testBackend}`, () => {
  let database: Database;
  let drop: () => Promise<void>;

  // A table of the test's own: no migrations needed to see what committed.
  const note = async (db: Db, text: string) => {
    await sql`insert into event_notes (text) values (${text})`.execute(db);
  };
  const notes = async () =>
    (await sql<{ text: string }>`select text from event_notes order by id`.execute(database.db)).rows.map(
      (row) => row.text,
    );

  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await sql`create table event_notes (id serial primary key, text text not null)`.execute(database.db);
  });
  after(() => drop());
  beforeEach(() => sql`delete from event_notes`.execute(database.db));

  test("subscribers run in the order they subscribed, inside the publisher's transaction", async () => {
    const events = new EventRegistry<TestEvents>();
    events.subscribe('thing.done', (trx, { label }) => note(trx, `first ${label}`));
    events.subscribe('thing.done', (trx, { label }) => note(trx, `second ${label}`));
    await database.db.transaction().execute(async (trx) => {
      await note(trx, 'publisher');
      await events.publish(trx, 'thing.done', { label: 'A' });
    });
    assert.deepEqual(await notes(), ['publisher', 'first A', 'second A']);
  });

  test('a failing subscriber reaches the publisher and rolls back everything the transaction wrote', async () => {
    const events = new EventRegistry<TestEvents>();
    events.subscribe('thing.done', (trx) => note(trx, 'before the failure'));
    events.subscribe('thing.done', async () => {
      throw new Error('subscriber refused');
    });
    events.subscribe('thing.done', (trx) => note(trx, 'never reached'));
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await note(trx, 'publisher');
        await events.publish(trx, 'thing.done', { label: 'B' });
      }),
      /subscriber refused/,
    );
    assert.deepEqual(await notes(), []);
  });

  test("only the named event's subscribers run, and an event nobody subscribed to does nothing", async () => {
    const events = new EventRegistry<TestEvents>();
    events.subscribe('thing.done', (trx) => note(trx, 'done'));
    await database.db.transaction().execute((trx) => events.publish(trx, 'thing.ignored', { count: 1 }));
    assert.deepEqual(await notes(), []);
  });

  test('publishing outside a transaction is refused before any subscriber runs', async () => {
    const events = new EventRegistry<TestEvents>();
    events.subscribe('thing.done', (trx) => note(trx, 'outside'));
    await assert.rejects(
      events.publish(database.db, 'thing.done', { label: 'C' }),
      /published outside a transaction/,
    );
    assert.deepEqual(await notes(), []);
  });
});
