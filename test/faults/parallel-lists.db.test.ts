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
  });
  after(() => bench?.close());

  test('each process works a different list at the same time, and every badge, fee and mail is made once', async () => {
    // At info level, so the log says when a job leaves its list to the worker holding it.
    const workers = [
      await startServe(bench, bench.url.toString(), { LOG_LEVEL: 'info' }),
      await startServe(bench, bench.url.toString(), { LOG_LEVEL: 'info' }),
    ];
    try {
      // Both lists running, each held by its own worker run, while neither is finished.
      const holders = await waitUntil(
        'both lists to be worked at once',
        () => heldBy(lists),
        (rows) => rows.length === 2 && rows.every((row) => row.status === 'running' && row.worker_id),
        60_000,
      );
      assert.notEqual(holders[0]!.worker_id, holders[1]!.worker_id);
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

  /** Which lists are being worked, and by which run. */
  const heldBy = async (ids: string[]) =>
    bench.app.database.db
      .selectFrom('tracking_lists')
      .select(['id', 'status', 'worker_id'])
      .where('id', 'in', ids)
      .where('status', '=', 'running')
      .where(sql<boolean>`exists (select 1 from tracking_list_rows r
        where r.list_id = tracking_lists.id and r.status = 'ready')`)
      .execute();

  const jobStates = async (ids: string[]) => {
    const { rows } = await sql<{ state: string }>`
      select state::text from pgboss.job where name = 'tracking-list-issue' and singleton_key = any(${ids})
    `.execute(bench.app.database.db);
    return rows.map((row) => row.state);
  };
});
