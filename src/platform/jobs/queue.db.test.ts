import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { z } from 'zod';
import { openTestDatabase, testBackend } from '../../../test/support/test-database.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { JobQueue } from './queue.ts';

const probeJob = { name: 'probe', payload: z.object({ label: z.string() }) };
const directJob = { name: 'direct', payload: z.object({ count: z.number().int() }) };
const nightlyJob = { name: 'nightly', payload: z.object({ scope: z.string() }) };

async function waitFor(check: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe(`jobs on ${testBackend}`, () => {
  let database: Database;
  let drop: () => Promise<void>;
  let queue: JobQueue;
  const seen: string[] = [];
  const direct: number[] = [];

  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
    queue = JobQueue.create(database, createLogger('silent'));
    queue.handle(probeJob, async ({ label }) => {
      seen.push(label);
    });
    queue.handle(directJob, async ({ count }) => {
      direct.push(count);
    });
    // No handler in this process: a schedule still creates its queue and registers.
    queue.schedule(nightlyJob, { cron: '30 2 * * *', timeZone: 'America/Vancouver' }, { scope: 'all' });
    await queue.start({ work: true, pollingIntervalSeconds: 0.5 });
  });
  after(async () => {
    await queue.stop();
    await drop();
  });

  test('a job sent in a committed transaction runs exactly once; one in a rolled-back transaction never runs', async () => {
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values({ code: 'A', name: 'A' }).execute();
      await queue.send(probeJob, { label: 'committed' }, trx);
    });
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await queue.send(probeJob, { label: 'rolled-back' }, trx);
        throw new Error('change of mind');
      }),
      /change of mind/,
    );
    await queue.send(probeJob, { label: 'no-transaction' });
    await waitFor(() => seen.length >= 2, 15_000);
    // Give a wrongly kept job time to show up before judging.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual([...seen].sort(), ['committed', 'no-transaction']);
  });

  test('a payload of the wrong shape is refused before it is queued', async () => {
    await assert.rejects(queue.send(probeJob, { label: 42 } as unknown as { label: string }));
  });

  test('a declared schedule is registered with its cron, time zone and data', async () => {
    const nightly = (await queue.schedules()).filter((s) => s.name === 'nightly');
    assert.deepEqual(nightly, [
      { name: 'nightly', cron: '30 2 * * *', timeZone: 'America/Vancouver', data: { scope: 'all' } },
    ]);
  });

  test('declaring the schedule again with another time replaces it rather than adding a second run', async () => {
    const other = JobQueue.create(database, createLogger('silent'));
    other.schedule(nightlyJob, { cron: '0 4 * * 1-5' }, { scope: 'weekdays' });
    await other.start({ work: false });
    await other.stop();
    const nightly = (await queue.schedules()).filter((s) => s.name === 'nightly');
    assert.deepEqual(nightly, [
      { name: 'nightly', cron: '0 4 * * 1-5', timeZone: 'UTC', data: { scope: 'weekdays' } },
    ]);
  });

  test("a queue that already exists takes its definition's retry settings at the next start", async () => {
    const retryLimitOf = async () =>
      (
        await sql<{ retry_limit: number }>`select retry_limit from pgboss.queue where name = 'probe'`.execute(
          database.db,
        )
      ).rows[0]?.retry_limit;
    assert.equal(await retryLimitOf(), 5);
    const later = JobQueue.create(database, createLogger('silent'));
    later.handle({ ...probeJob, retryLimit: 9 }, async () => {});
    await later.start({ work: false });
    await later.stop();
    assert.equal(await retryLimitOf(), 9);
  });

  test('a schedule whose data does not fit the job is refused when declared', () => {
    assert.throws(() =>
      queue.schedule(nightlyJob, { cron: '0 1 * * *' }, { scope: 7 } as unknown as { scope: string }),
    );
  });

  test('run calls the registered handler at once with a checked payload, and refuses a job with no handler', async () => {
    await queue.run(directJob, { count: 3 });
    assert.deepEqual(direct, [3]);
    await assert.rejects(queue.run(directJob, { count: 1.5 }));
    assert.deepEqual(direct, [3], 'a bad payload never reaches the handler');
    await assert.rejects(queue.run(nightlyJob, { scope: 'all' }), /No handler is registered/);
  });
});
