import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  aCommittedList,
  assertIssuedExactlyOnce,
  type FaultBench,
  listProgress,
  openFaultBench,
  startServe,
  waitUntil,
} from '../support/faults.ts';
import { startDatabaseProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { testBackend } from '../support/test-database.ts';

// Issue 15: a 10-second database drop during bulk issuing ended the process (an unheard 'error' from pg, and
// pg-boss's unawaited job completions rejecting), and it stayed down until restarted by hand.
const COHORT = 400;
const OUTAGE_MS = 8_000;
const RECOVERY_BOUND_MS = 30_000;
// Rows are marked issued a chunk (250) at a time, so the first sign of work resuming is a chunk committed.

describe(`the database goes away while a tracking list is issued (${testBackend})`, {
  skip:
    testBackend !== 'postgres' &&
    'needs a PostgreSQL server (DATABASE_URL): PGlite runs inside the process and cannot be cut off from it',
}, () => {
  let bench: FaultBench;
  let proxy: TcpProxy;
  let throughProxy: string;
  let listId: string;

  before(async () => {
    bench = await openFaultBench();
    listId = await aCommittedList(bench.app, COHORT);
    ({ proxy, url: throughProxy } = await startDatabaseProxy(bench.url.toString()));
  });
  after(async () => {
    await proxy?.close();
    await bench?.close();
  });

  test('the process stays up, answers 503 meanwhile, and finishes the list once the database is back', async () => {
    const serve = await startServe(bench, throughProxy);
    const get = (path: string) =>
      fetch(`http://127.0.0.1:${serve.port}${path}`, {
        headers: { accept: 'application/json', connection: 'close' },
      });
    try {
      await waitUntil(
        'the worker to be mid-way',
        () => listProgress(bench.app, listId),
        (p) => p.issued > 0,
        45_000,
      );
      proxy.cut();
      const cutAt = Date.now();
      const atCut = await listProgress(bench.app, listId);
      assert.ok(
        atCut.ready > 0,
        `the list was still running when the database went: ${JSON.stringify(atCut)}`,
      );

      // Meanwhile: not ready, and a request that needs the database is told to come back (not a 404 or a 500).
      const ready = await get('/readyz');
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { checks: { database: string } }).checks.database, 'unreachable');
      const page = await get('/api/catalog/no-such-program');
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('retry-after'), '30');
      assert.match(((await page.json()) as { code: string }).code, /^UNAVAILABLE$/);

      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
      assert.equal(serve.child.exitCode, null, `the process ended during the outage:\n${serve.output()}`);
      const beforeRestore = await listProgress(bench.app, listId);
      proxy.restore();
      const restoredAt = Date.now();

      const resumed = await waitUntil(
        'issuing to resume',
        () => listProgress(bench.app, listId),
        (p) => p.issued > beforeRestore.issued || p.status === 'done',
        RECOVERY_BOUND_MS,
      );
      const recoveryMs = Date.now() - restoredAt;
      const readyAgain = await waitUntil(
        '/readyz to answer 200',
        async () => (await get('/readyz')).status,
        (s) => s === 200,
        10_000,
      );
      assert.equal(readyAgain, 200);
      await waitUntil(
        'the list to finish',
        () => listProgress(bench.app, listId),
        (p) => p.status === 'done',
        45_000,
      );
      console.log(
        `database outage: ${OUTAGE_MS} ms cut with ${beforeRestore.issued} of ${COHORT} rows issued; issuing resumed ` +
          `${recoveryMs} ms after the database returned (${resumed.issued} issued by then)`,
      );
      assert.ok(recoveryMs < RECOVERY_BOUND_MS);

      assert.equal(serve.child.exitCode, null, `the process ended:\n${serve.output()}`);
      await assertIssuedExactlyOnce(bench.app, listId, COHORT);
      // One line each way for the whole outage, however many statements failed in it, from each thread with
      // connections of its own: the one answering pages and the job workers' (src/cli/job-thread.ts).
      const byThread = (message: string) => {
        const threads = serve.logged(message).map((line) => (JSON.parse(line) as { thread?: string }).thread);
        return {
          pages: threads.filter((t) => t === undefined).length,
          jobs: threads.filter((t) => t === 'jobs').length,
        };
      };
      assert.deepEqual(
        byThread('lost the connection to the database'),
        { pages: 1, jobs: 1 },
        serve.output(),
      );
      assert.deepEqual(byThread('the database answers again'), { pages: 1, jobs: 1 }, serve.output());
    } finally {
      await serve.stop();
    }
  });
});
