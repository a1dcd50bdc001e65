import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConnectionChange } from '../../src/platform/db/connection-watch.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { startDatabaseProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { testBackend } from '../support/test-database.ts';

// A statement the server answers after another connection's failure was noted is late news, not the database coming
// back. Taking it for a return logged one outage as lost, regained and lost again (a flaky database-outage test, and
// a log that says the database was back when it was not).
describe(`an answer to a statement begun before an outage (${testBackend})`, {
  skip: testBackend !== 'postgres' && 'needs a PostgreSQL server (DATABASE_URL) to put a proxy in front of',
}, () => {
  let proxy: TcpProxy;
  let database: Database;
  const changes: ConnectionChange['kind'][] = [];

  before(async () => {
    const proxied = await startDatabaseProxy(process.env.DATABASE_URL!);
    proxy = proxied.proxy;
    database = await openDatabase({ kind: 'postgres', url: proxied.url, poolSize: 2 });
    database.connection.onChange((change) => changes.push(change.kind));
  });
  after(async () => {
    await database?.close();
    await proxy?.close();
  });

  test('does not count as the database answering again; a statement begun after the loss does', async () => {
    const jobs = database.jobExecutor;
    // Opens the job pool's first connection, so the slow statement below needs no new one.
    await jobs.executeSql('select 1');
    const slow = jobs.executeSql('select pg_sleep(0.8)');
    // Let the slow statement reach the server before new connections are refused.
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.refuseNew();
    // The first connection is busy, so this one needs a second, which is refused: the loss is noted, and the
    // statement waits out the outage (patient-executor.ts).
    const waiting = jobs.executeSql('select 2 as answer');
    await waitFor(() => changes.length > 0);
    assert.deepEqual(changes, ['lost']);
    assert.equal(database.connection.isDown, true);

    await slow;
    assert.deepEqual(
      changes,
      ['lost'],
      'the slow statement began before the loss, so its answer is old news',
    );
    assert.equal(database.connection.isDown, true);

    proxy.restore();
    const answered = (await waiting) as { rows: { answer: number }[] };
    assert.equal(answered.rows[0]?.answer, 2);
    assert.deepEqual(changes, ['lost', 'regained']);
    assert.equal(database.connection.isDown, false);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
