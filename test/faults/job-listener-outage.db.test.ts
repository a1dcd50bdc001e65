import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ConnectionChange } from '../../src/platform/db/connection-watch.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { JobQueue } from '../../src/platform/jobs/queue.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startDatabaseProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { openTestDatabase, testBackend } from '../support/test-database.ts';

// The workers poll every half minute, so a job run within WOKEN_WITHIN_MS was woken by its notification.
const POLL_SECONDS = 30;
const WOKEN_WITHIN_MS = 10_000;
// A batch of two: one job fills no batch, so nothing but a notification brings the next fetch before the poll.
const probeJob = {
  name: 'listener-probe',
  payload: z.object({ label: z.string() }),
  worker: { batchSize: 2 },
};

describe(`the job queue's listener across a lost connection (${testBackend})`, {
  skip: testBackend !== 'postgres' && 'needs a PostgreSQL server (DATABASE_URL) to put a proxy in front of',
}, () => {
  let direct: { database: Database; drop(): Promise<void> };
  let proxy: TcpProxy;
  let database: Database;
  let queue: JobQueue;
  const ran: string[] = [];
  const changes: ConnectionChange['kind'][] = [];

  before(async () => {
    const opened = await openTestDatabase({ start: 'migrated' });
    direct = opened;
    await migrateToLatest(opened.database.db);
    const proxied = await startDatabaseProxy(opened.url!);
    proxy = proxied.proxy;
    database = await openDatabase({ kind: 'postgres', url: proxied.url, poolSize: 2 });
    database.connection.onChange((change) => changes.push(change.kind));
    queue = JobQueue.create(database, createLogger('silent'));
    queue.handle(probeJob, async ({ label }) => {
      ran.push(label);
    });
    await queue.start({ work: true, pollingIntervalSeconds: POLL_SECONDS });
  });
  after(async () => {
    await queue?.stop();
    await database?.close();
    await proxy?.close();
    await direct?.drop();
  });

  /** Sends a job from another process's connection (not through the proxy) and waits for this queue to run it. */
  async function sendAndAwait(label: string): Promise<boolean> {
    await direct.database.db.transaction().execute((trx) => queue.send(probeJob, { label }, trx));
    const until = Date.now() + WOKEN_WITHIN_MS;
    while (!ran.includes(label) && Date.now() < until) await sleep(25);
    return ran.includes(label);
  }

  test('listens again once the database is back, and jobs sent after that wake their worker again', async () => {
    // Whether the first fetch came before or after it, this one has run once that fetch is behind the worker.
    assert.ok(await sendAndAwait('before'));
    assert.ok(await sendAndAwait('before, woken'), 'woken through the proxy before the cut');

    proxy.cut();
    for (let waited = 0; !database.connection.isDown; waited += 25) {
      assert.ok(waited < 10_000, 'the cut was noticed');
      await sleep(25);
    }
    // Long enough for the listener's first tries to connect again to be refused.
    await sleep(1_500);
    proxy.restore();
    // The worker's own fetch, waiting out the outage, may take the next job; the one after needs the listener.
    assert.ok(await sendAndAwait('after'));
    assert.ok(await sendAndAwait('after, woken'), 'woken by a notification after the restore');
    assert.deepEqual(changes, ['lost', 'regained'], 'one outage, noted once each way');
  });
});
