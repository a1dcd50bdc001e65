import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

// A shard runs many files in one process, and a file's handle outlives its tests (module scope, the runner's kept
// hooks): a closed app still reachable from it kept its routes, schemas and database, and every later collection in
// the shard walked them.
test('a closed test app is let go of, though its handle is still held', async () => {
  const app = await startTestApp({ runJobs: false });
  const services = new WeakRef(app.services);
  const database = new WeakRef(app.database);
  await app.close();
  await app.close();
  assert.deepEqual(Object.keys(app), ['close']);
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  // Whatever the app's last tasks still held is gone after a turn or two of the event loop.
  for (let turn = 0; turn < 20 && (services.deref() || database.deref()); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    collect();
  }
  assert.equal(services.deref(), undefined, 'the services are still reachable');
  assert.equal(database.deref(), undefined, 'the database is still reachable');
});
