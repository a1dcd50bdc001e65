import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { openTestDatabase, testBackend } from '../testing/test-database.ts';
import { JobQueue } from './queue.ts';

const probeJob = { name: 'probe', payload: z.object({ label: z.string() }) };

async function waitFor(check: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe(`jobs on ${testBackend}`, () => {
  let database: Database;
  let drop: () => Promise<void>;
  let queue: JobQueue;
  const seen: string[] = [];

  before(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrateToLatest(database.db);
    queue = JobQueue.create(database, createLogger('silent'));
    queue.handle(probeJob, async ({ label }) => {
      seen.push(label);
    });
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
});
