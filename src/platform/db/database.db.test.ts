import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openTestDatabase, testBackend } from '../../../test/support/test-database.ts';
import type { Database } from './database.ts';
import { isMigrated, migrateToLatest, migrations } from './migrate.ts';

describe(`database on ${testBackend}`, () => {
  let database: Database;
  let drop: () => Promise<void>;

  before(async () => {
    ({ database, drop } = await openTestDatabase());
  });
  after(() => drop());

  test('migrations apply once, then there is nothing left to apply', async () => {
    assert.equal(await isMigrated(database.db), false);
    const applied = await migrateToLatest(database.db);
    assert.ok(applied.includes('0001-foundation'));
    assert.deepEqual(await migrateToLatest(database.db), []);
    assert.equal(await isMigrated(database.db), true);
  });

  test('an up-to-date database is checked in two statements, and a missing migration still goes to the migrator', async () => {
    const statements: string[] = [];
    const counted = database.db.withPlugin({
      transformQuery: (args) => {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    assert.deepEqual(await migrateToLatest(counted), []);
    // Every app start pays this: no catalog look-ups, no lock.
    assert.equal(statements.length, 2);
    // A database one migration behind (as after an upgrade) goes to the migrator, which applies the last one.
    const behind = await openTestDatabase();
    try {
      const names = Object.keys(migrations).sort();
      const last = names.at(-1)!;
      const migrator = new Migrator({
        db: behind.database.db,
        provider: { getMigrations: async () => migrations },
      });
      assert.equal((await migrator.migrateTo(names.at(-2)!)).error, undefined);
      assert.deepEqual(await migrateToLatest(behind.database.db), [last]);
    } finally {
      await behind.drop();
    }
  });

  test("a badge's JSON and JWT and a mail's bodies are stored with lz4 where the server has it", async () => {
    const { rows: methods } = await sql<{ enumvals: string[] }>`
      select enumvals from pg_settings where name = 'default_toast_compression'`.execute(database.db);
    const serverHasLz4 = methods[0]!.enumvals.includes('lz4');
    const { rows } = await sql<{ column: string; method: string }>`
      select attrelid::regclass::text || '.' || attname as column, attcompression::text as method
      from pg_attribute
      where (attrelid = 'credentials'::regclass and attname in ('json', 'jwt'))
         or (attrelid = 'mail_outbox'::regclass and attname in ('text_body', 'html_body'))
      order by 1`.execute(database.db);
    // 'l' is lz4; '' the server's default (pglz), all PGlite has.
    assert.deepEqual(
      rows,
      ['credentials.json', 'credentials.jwt', 'mail_outbox.html_body', 'mail_outbox.text_body'].map(
        (column) => ({
          column,
          method: serverHasLz4 ? 'l' : '',
        }),
      ),
    );
    assert.equal(serverHasLz4, testBackend === 'postgres', "Debian's PostgreSQL has lz4 and PGlite has not");
  });

  test('concurrent transactions do not see or undo each other', async () => {
    const { db } = database;
    const insertDept = (code: string) => db.insertInto('departments').values({ code, name: code }).execute();
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values({ code: 'ROLLED', name: 'rolled back' }).execute();
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('abort');
    });
    const committing = db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values({ code: 'KEPT', name: 'kept' }).execute();
    });
    const outside = insertDept('OUTSIDE');
    await assert.rejects(failing, /abort/);
    await committing;
    await outside;
    const codes = (await db.selectFrom('departments').select('code').orderBy('code').execute()).map(
      (r) => r.code,
    );
    assert.deepEqual(codes, ['KEPT', 'OUTSIDE']);
  });

  test('bigint counts come back as numbers and dates as calendar strings', async () => {
    const row = await sql<{ n: number; d: string }>`select count(*) as n, date '2025-03-04' as d`.execute(
      database.db,
    );
    assert.equal(typeof row.rows[0]?.n, 'number');
    assert.equal(row.rows[0]?.d, '2025-03-04');
  });

  test('the audit log refuses updates and deletions', async () => {
    const { db } = database;
    await db
      .insertInto('audit_log')
      .values({
        actor_id: null,
        actor_label: 'test',
        action: 'x',
        entity_type: 't',
        entity_id: null,
        before: null,
        after: null,
        ip: null,
      })
      .execute();
    await assert.rejects(db.updateTable('audit_log').set({ action: 'y' }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_log').execute(), /append-only/);
  });
});
