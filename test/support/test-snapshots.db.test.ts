import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { testBackend } from './test-database.ts';
import { SNAPSHOTS_ENV } from './test-snapshots.ts';

/** Rows per table and the demo's people and programs, without ids or times (which differ between seedings). */
async function contents(database: Database) {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(database.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(
      database.db,
    );
    counts[name] = rows[0]?.n ?? 0;
  }
  const users = await database.db
    .selectFrom('users')
    .select(['email', 'name', 'status'])
    .orderBy('email')
    .execute();
  const programs = await database.db
    .selectFrom('programs')
    .select(['slug', 'title', 'status', 'fee_cents'])
    .orderBy('slug')
    .execute();
  return { counts, users, programs };
}

// Under the test runner a seeded app starts from the run's snapshot; this pins that it holds what seeding writes.
describe(`the seeded snapshot on ${testBackend}`, () => {
  let fromSnapshot: TestApp;
  let seededHere: TestApp;
  const snapshots = process.env[SNAPSHOTS_ENV];

  before(async () => {
    fromSnapshot = await startTestApp({ seed: true, runJobs: false });
    delete process.env[SNAPSHOTS_ENV];
    try {
      seededHere = await startTestApp({ seed: true, runJobs: false });
    } finally {
      if (snapshots) process.env[SNAPSHOTS_ENV] = snapshots;
    }
  });
  after(async () => {
    await fromSnapshot?.close();
    await seededHere?.close();
  });

  test('holds the same rows as seeding the demo university in the test itself', async () => {
    assert.deepEqual(await contents(fromSnapshot.database), await contents(seededHere.database));
  });
});

/** The job queue's queues with their settings, its schedules, and how many jobs it holds. */
async function jobQueue(database: Database) {
  const { rows: queues } = await sql`
    select name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds, retention_minutes, dead_letter
    from pgboss.queue order by name`.execute(database.db);
  const { rows: schedules } = await sql`
    select name, cron, timezone, data from pgboss.schedule order by name`.execute(database.db);
  // Less pg-boss's own sends of the schedules whose minute it is (its timekeeper runs at every start): those come
  // from the clock, not from the snapshot, and an app started in the minute of a cron (07:00, 00:05) has them.
  const { rows: jobs } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job where name <> '__pgboss__send-it'`.execute(database.db);
  return { queues, schedules, jobs: jobs[0]?.n };
}

// Under the test runner an app starts on a snapshot already holding its job queue; this pins that it ends up with
// the same queue as an app that made its own.
describe(`the started snapshot on ${testBackend}`, () => {
  let fromSnapshot: TestApp;
  let startedHere: TestApp;
  const snapshots = process.env[SNAPSHOTS_ENV];

  before(async () => {
    fromSnapshot = await startTestApp({ runJobs: false });
    delete process.env[SNAPSHOTS_ENV];
    try {
      startedHere = await startTestApp({ runJobs: false });
    } finally {
      if (snapshots) process.env[SNAPSHOTS_ENV] = snapshots;
    }
  });
  after(async () => {
    await fromSnapshot?.close();
    await startedHere?.close();
  });

  test('holds the same queues, schedules and (no) jobs as an app starting on the migrated schema', async () => {
    const here = await jobQueue(startedHere.database);
    assert.ok(here.queues.length > 0);
    assert.deepEqual(await jobQueue(fromSnapshot.database), here);
    assert.deepEqual(await contents(fromSnapshot.database), await contents(startedHere.database));
  });
});
