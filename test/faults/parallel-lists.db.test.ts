import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { issueTrackingListJob } from '../../src/issuing/tracking-lists.service.ts';
import {
  aCommittedList,
  assertIssuedExactlyOnce,
  type FaultBench,
  listProgress,
  openFaultBench,
  startServe,
  waitUntil,
} from '../support/faults.ts';
import { testBackend } from '../support/test-database.ts';

// Issue 15: lists ran one at a time. Two `serve` processes now each work a list of their own at the same time,
// and extra jobs for a list (a resume pressed while it runs, a retry) never make two processes work one list.
const COHORT = 300;

describe(`two worker processes and two tracking lists (${testBackend})`, {
  skip:
    testBackend !== 'postgres' &&
    'needs a PostgreSQL server (DATABASE_URL): two processes cannot share the embedded database',
}, () => {
  let bench: FaultBench;
  let lists: string[];

  before(async () => {
    bench = await openFaultBench();
    // Each list gets a second job right after its own, as a resume pressed while it waits would queue: the
    // second process takes it while the first works the list, and must leave the list to it.
    lists = [];
    for (let n = 0; n < 2; n += 1) {
      const listId = await aCommittedList(bench.app, COHORT);
      await bench.app.jobs.send(issueTrackingListJob, { listId }, undefined, { singletonKey: listId });
      lists.push(listId);
    }
    // Held back until both processes answer: otherwise the first process up could finish its list before the
    // second one started (seen in CI on a busy machine), and nothing would have run at the same time.
    await holdJobs(lists, sql`now() + interval '1 hour'`);
  });
  after(() => bench?.close());

  test('two processes share the lists, a list held by one is left alone by the other, and every badge, fee and mail is made once', async () => {
    // At info level, so the log says when a job leaves its list to the worker holding it.
    const workers = await Promise.all([
      startServe(bench, bench.url.toString(), { LOG_LEVEL: 'info' }),
      startServe(bench, bench.url.toString(), { LOG_LEVEL: 'info' }),
    ]);
    try {
      for (const worker of workers) {
        await waitUntil(
          `the process on port ${worker.port} to answer`,
          () =>
            fetch(`http://127.0.0.1:${worker.port}/readyz`).then(
              (r) => r.status,
              () => 0,
            ),
          (status) => status === 200,
          60_000,
        );
      }
      await holdJobs(lists, sql`now()`);
      for (const listId of lists) {
        await waitUntil(
          `list ${listId} to finish`,
          () => listProgress(bench.app, listId),
          (p) => p.status === 'done',
          120_000,
        );
      }
      for (const listId of lists) await assertIssuedExactlyOnce(bench.app, listId, COHORT);
      // Every job ended: two per list, of which one worked it and the other left it alone.
      await waitUntil(
        'every job to end',
        () => jobStates(lists),
        (states) => states.length === 4 && states.every((state) => state === 'completed'),
        30_000,
      );
      const gaveWay = workers.flatMap((worker) =>
        worker.logged('tracking list is held by another live worker; this job leaves it to that one'),
      );
      assert.ok(gaveWay.length >= 1, 'a second job met a list its first was working, and left it alone');
      const issued = await bench.app.database.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'tracking_list.issued')
        .where('entity_id', 'in', lists)
        .execute();
      assert.equal(issued.length, 2, 'each list finished once');
    } finally {
      for (const worker of workers) await worker.stop();
    }
  });

  /** Sets when the lists' waiting jobs may start. */
  const holdJobs = async (ids: string[], startAfter: ReturnType<typeof sql>) => {
    await sql`update pgboss.job set start_after = ${startAfter}
      where name = 'tracking-list-issue' and singleton_key = any(${ids}) and state = 'created'`.execute(
      bench.app.database.db,
    );
  };

  const jobStates = async (ids: string[]) => {
    const { rows } = await sql<{ state: string }>`
      select state::text from pgboss.job where name = 'tracking-list-issue' and singleton_key = any(${ids})
    `.execute(bench.app.database.db);
    return rows.map((row) => row.state);
  };
});
