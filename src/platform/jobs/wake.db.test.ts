import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { z } from 'zod';
import { openTestDatabase, testBackend } from '../../../test/support/test-database.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { JobQueue } from './queue.ts';

// The workers poll every half minute here, so a job that runs within WOKEN_WITHIN_MS was fetched because something
// woke its worker, never because a poll came round (the first fetch at start is out of the way before each check).
const POLL_SECONDS = 30;
const WOKEN_WITHIN_MS = 10_000;

const payload = z.object({ label: z.string() });
// A batch of two: one job fills no batch, so only a wake brings the next fetch before the poll.
const wakeJob = { name: 'wake-probe', payload, worker: { batchSize: 2 } };
const drainJob = { name: 'wake-drain', payload, worker: { batchSize: 2 } };
const retriedJob = { name: 'wake-retry', payload, retryLimit: 2 };
// One job per fetch and no retries, so nothing but the failed batch itself can bring the fetch of the job behind it.
const failingJob = { name: 'wake-after-failure', payload, retryLimit: 0 };

/** Waits until `check` holds, up to `ms`; returns whether it did. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  return check();
}

describe(`jobs wake their workers when they commit (${testBackend})`, () => {
  let database: Database;
  let drop: () => Promise<void>;
  let queue: JobQueue;
  const ran: Record<string, string[]> = { wake: [], drain: [], retry: [], failing: [] };
  let failuresLeft = 1;

  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
    queue = JobQueue.create(database, createLogger('silent'));
    queue.handle(wakeJob, async ({ label }) => {
      ran.wake!.push(label);
    });
    queue.handle(drainJob, async ({ label }) => {
      ran.drain!.push(label);
    });
    queue.handle(retriedJob, async ({ label }) => {
      ran.retry!.push(label);
      if (failuresLeft-- > 0) throw new Error('fails the first time');
    });
    queue.handle(failingJob, async ({ label }) => {
      ran.failing!.push(label);
      if (ran.failing!.length === 1) throw new Error('the first job of this queue fails');
    });
    await queue.start({ work: true, pollingIntervalSeconds: POLL_SECONDS, retryDelaySeconds: 1 });
    // Whether the workers' first fetch came before or after it, this job has run once that fetch is behind them.
    await queue.send(wakeJob, { label: 'warm-up' });
    assert.ok(await within(WOKEN_WITHIN_MS, () => ran.wake!.includes('warm-up')));
  });
  after(async () => {
    await queue.stop();
    await drop();
  });

  test('a job sent in a committed transaction runs well before the next poll', async () => {
    await database.db.transaction().execute(async (trx) => {
      await queue.send(wakeJob, { label: 'committed' }, trx);
    });
    assert.ok(
      await within(WOKEN_WITHIN_MS, () => ran.wake!.includes('committed')),
      `ran within ${WOKEN_WITHIN_MS} ms, with a poll every ${POLL_SECONDS} s`,
    );
  });

  test('a job sent in a transaction that rolls back never runs, and the jobs after it still wake their worker', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await queue.send(wakeJob, { label: 'rolled-back' }, trx);
        throw new Error('change of mind');
      }),
      /change of mind/,
    );
    await queue.send(wakeJob, { label: 'after the rollback' });
    assert.ok(await within(WOKEN_WITHIN_MS, () => ran.wake!.includes('after the rollback')));
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.job where name = ${wakeJob.name} and data->>'label' = 'rolled-back'
    `.execute(database.db);
    assert.equal(rows[0]?.n, 0, 'no job of the rolled-back transaction exists to be run later');
    assert.ok(!ran.wake!.includes('rolled-back'));
  });

  test('a backlog larger than a batch drains without waiting for the poll', async () => {
    const labels = ['1', '2', '3', '4', '5'];
    await database.db.transaction().execute((trx) =>
      queue.sendMany(
        drainJob,
        labels.map((label) => ({ label })),
        trx,
      ),
    );
    assert.ok(
      await within(WOKEN_WITHIN_MS, () => ran.drain!.length === labels.length),
      `three fetches of two in ${WOKEN_WITHIN_MS} ms; ran ${ran.drain!.length}`,
    );
    assert.deepEqual([...ran.drain!].sort(), labels);
  });

  test('a failed job is run again when its retry is due, not at the next poll', async () => {
    await queue.send(retriedJob, { label: 'flaky' });
    // Retried one to two seconds after the failure (retryDelaySeconds 1).
    assert.ok(await within(WOKEN_WITHIN_MS, () => ran.retry!.length === 2), `ran ${ran.retry!.length} times`);
    assert.deepEqual(ran.retry, ['flaky', 'flaky']);
  });

  test('a failed full batch does not hold up the jobs behind it until the poll', async () => {
    await database.db
      .transaction()
      .execute((trx) => queue.sendMany(failingJob, [{ label: 'a' }, { label: 'b' }], trx));
    assert.ok(
      await within(WOKEN_WITHIN_MS, () => ran.failing!.length === 2),
      `ran ${ran.failing!.length} of 2`,
    );
  });
});
