import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from './test-app.ts';
import { testBackend } from './test-database.ts';
import { withAdmin } from './test-snapshots.ts';

// Every test file makes a database of its own on the server; one left behind per file filled the server over runs.
test('closing a test app drops its PostgreSQL database', {
  skip: testBackend !== 'postgres' && 'PGlite databases live in memory and go with their process',
}, async () => {
  const app = await startTestApp({ runJobs: false });
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(app.database.db);
  const name = rows[0]?.name ?? '';
  assert.match(name, /^stackable_test_/);
  await app.close();
  let left = -1;
  await withAdmin(process.env.DATABASE_URL ?? '', async (client) => {
    left = (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? -1;
  });
  assert.equal(left, 0);
});
