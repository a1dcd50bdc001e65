import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { aStaffMember } from '../../test/support/builders.ts';
import { aCommittedList, assertIssuedExactlyOnce } from '../../test/support/faults.ts';
import { jobsFor, listStatus } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { runListCommand } from '../cli/list-commands.ts';
import { STALLED_AFTER_SECONDS } from './tracking-list-heartbeat.ts';

// A list whose worker died stays 'running'. Before its heartbeat it could not be resumed (422 "already being
// issued") until the queue's quarter-hour job expiry; now half a minute of silence makes it resumable.
describe(`a running list whose worker stopped beating (${testBackend})`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** The list as a worker left it: running, last heard from `secondsAgo` seconds ago by the database's clock. */
  const leftRunning = (listId: string, secondsAgo: number) =>
    app.database.db
      .updateTable('tracking_lists')
      .set({ status: 'running', heartbeat_at: sql`now() - make_interval(secs => ${secondsAgo})` })
      .where('id', '=', listId)
      .execute();

  const lines: string[] = [];
  const io = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) };

  test('is not resumable while it beats, and is resumed from the page, the command line and the watch once silent', async () => {
    const listId = await aCommittedList(app, 3);
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const page = `/issuing/tracking-lists/${listId}`;

    await leftRunning(listId, 2);
    assert.doesNotMatch((await registrar.get(page)).body, /Issuing stalled|Resume issuing/);
    assert.equal((await registrar.postForm(`${page}/commit`, {})).statusCode, 422);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), []);
    assert.equal(await runListCommand(app, ['resume', listId], io), 1);
    assert.match(lines.at(-1)!, /already being issued/);

    await leftRunning(listId, STALLED_AFTER_SECONDS + 1);
    const stalled = (await registrar.get(page)).body;
    assert.match(stalled, /Issuing stalled/);
    assert.match(stalled, /Resume issuing/);
    assert.equal((await registrar.postForm(`${page}/commit`, {})).statusCode, 303);
    assert.equal(await jobsFor(app, listId), 2, 'the commit and the resume each queued a job');

    await leftRunning(listId, STALLED_AFTER_SECONDS + 1);
    assert.equal(await runListCommand(app, ['resume', listId], io), 0);
    assert.equal(await jobsFor(app, listId), 3);

    await leftRunning(listId, STALLED_AFTER_SECONDS + 1);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), [listId]);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), [], 'claimed once');
    assert.equal(await jobsFor(app, listId), 4);

    // Every queued job runs; together they issue each badge once.
    for (let run = 0; run < 4; run += 1) await app.services.trackingLists.processList(listId);
    assert.equal(await listStatus(app, listId), 'done');
    await assertIssuedExactlyOnce(app, listId, 3);
    assert.equal(await runListCommand(app, ['resume', listId], io), 1);
    assert.match(lines.at(-1)!, /already issued/);
    const resumedBy = await app.database.db
      .selectFrom('audit_log')
      .select('actor_label')
      .where('entity_id', '=', listId)
      .where('action', '=', 'tracking_list.resumed')
      .orderBy('id')
      .execute();
    assert.equal(resumedBy.length, 3);
    assert.match(resumedBy[1]!.actor_label, /^command line/);
    assert.equal(resumedBy[2]!.actor_label, 'tracking list watch');
  });
});
