// pglite-only: the database here is an in-memory PGlite, whatever the backend of the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestDatabase } from '../../../test/support/test-database.ts';

// Kysely starts its driver on the first query and stops only a started one: closing a PGlite database that was never
// queried used to leave its PostgreSQL running, holding its memory, and a process holding one copied from a snapshot
// could not end.
test('a PGlite database closed before any query stops its PostgreSQL', async () => {
  // A copy of the run's migrated snapshot, as every database test file starts from.
  const { database } = await openTestDatabase({ start: 'migrated' });
  await database.close();
  // pg-boss's way in talks to the PGlite directly: it answers only while that PostgreSQL still runs.
  await assert.rejects(database.jobExecutor.executeSql('select 1'), /closed/i);
});
