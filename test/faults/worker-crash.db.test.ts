import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

// Issue 15: a list whose worker was killed (kill -9) stayed 'running' and could not be resumed (422) until
// pg-boss's fifteen-minute job expiry passed. Now its heartbeat stops, and the next worker takes it up.
const COHORT = 400;
/**
 * The stall watch's timing, shorter than the 30 s / 10 s of a deployment so the test does not wait out half a
 * minute of silence: what is proved (the kill is noticed by the heartbeat, another process takes the list up,
 * exactly once) does not depend on the length.
 */
const STALL_AFTER_MS = 6000;
const STALL_CHECK_MS = 1000;
const TIMING = {
  STACKABLE_STALL_AFTER_MS: String(STALL_AFTER_MS),
  STACKABLE_STALL_CHECK_MS: String(STALL_CHECK_MS),
};
/**
 * The stall interval, one watch period, and room for a loaded machine to start a process and issue a chunk (a
 * bound, not a wait: the test goes on as soon as the list moves).
 */
const RESUME_BOUND_MS = STALL_AFTER_MS + STALL_CHECK_MS + 45_000;

describe(`a worker killed in the middle of a tracking list (${testBackend})`, {
  skip:
    testBackend !== 'postgres' &&
    'needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to the process that is killed',
}, () => {
  let bench: FaultBench;
  let listId: string;

  before(async () => {
    bench = await openFaultBench();
    listId = await aCommittedList(bench.app, COHORT);
  });
  after(() => bench?.close());

  test('the next worker resumes the list within a minute and issues each badge once', async () => {
    const first = await startServe(bench, bench.url.toString(), TIMING);
    let second: Awaited<ReturnType<typeof startServe>> | undefined;
    try {
      const atKill = await waitUntil(
        'the first worker to be mid-way',
        () => listProgress(bench.app, listId),
        (p) => p.issued > 0,
        45_000,
      );
      first.child.kill('SIGKILL');
      const killedAt = Date.now();
      await first.stop();
      assert.equal(first.child.signalCode, 'SIGKILL');
      const stopped = await listProgress(bench.app, listId);
      assert.equal(stopped.status, 'running');
      assert.ok(stopped.ready > 0, `the list was still mid-way: ${JSON.stringify({ atKill, stopped })}`);

      second = await startServe(bench, bench.url.toString(), TIMING);
      const next = second;
      await waitUntil(
        'the list to be resumed',
        () => listProgress(bench.app, listId),
        (p) => p.issued > stopped.issued,
        RESUME_BOUND_MS,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nthe second worker said:\n${next.output()}`);
      });
      const resumedAfterMs = Date.now() - killedAt;
      await waitUntil(
        'the list to finish',
        () => listProgress(bench.app, listId),
        (p) => p.status === 'done',
        45_000,
      );
      console.log(
        `worker killed with ${stopped.issued} of ${COHORT} rows issued; the next worker resumed the list ${resumedAfterMs} ms after the kill`,
      );
      assert.ok(resumedAfterMs < RESUME_BOUND_MS);
      await assertIssuedExactlyOnce(bench.app, listId, COHORT);
      const resumed = await bench.app.database.db
        .selectFrom('audit_log')
        .select(['actor_label'])
        .where('entity_id', '=', listId)
        .where('action', '=', 'tracking_list.resumed')
        .execute();
      assert.deepEqual(
        resumed.map((entry) => entry.actor_label),
        ['tracking list watch'],
        'resumed once, by the stall watch',
      );
    } finally {
      await first.stop();
      await second?.stop();
    }
  });
});
