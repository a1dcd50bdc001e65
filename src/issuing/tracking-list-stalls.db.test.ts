import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { aStaffMember } from '../../test/support/builders.ts';
import { aCommittedList, assertIssuedExactlyOnce, listProgress } from '../../test/support/faults.ts';
import { jobsFor, listStatus } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { runListCommand } from '../cli/list-commands.ts';
import { newId } from '../platform/ids.ts';
import { defaultStallTiming } from './tracking-list-heartbeat.ts';
import { TrackingListsRepository } from './tracking-lists.repository.ts';

const STALLED_AFTER_SECONDS = defaultStallTiming.stallAfterMs / 1000;

// A list whose worker died stays 'running'. Before its heartbeat it could not be resumed (422 "already being
// issued") until the queue's quarter-hour job expiry; now half a minute of silence makes it resumable.
describe(`a running list whose worker stopped beating (${testBackend})`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** The list as a worker left it: running, last heard from `secondsAgo` seconds ago by the database's clock. */
  const leftRunning = (listId: string, secondsAgo: number, workerId: string | null = newId()) =>
    app.database.db
      .updateTable('tracking_lists')
      .set({
        status: 'running',
        worker_id: workerId,
        heartbeat_at: sql`now() - make_interval(secs => ${secondsAgo})`,
      })
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
    // The figures an open page keeps asking for: still working, so it keeps asking.
    const beating = (await registrar.get(`${page}/progress.json`)).json();
    assert.deepEqual(
      { isWorking: beating.isWorking, isStalled: beating.isStalled, statusWords: beating.statusWords },
      { isWorking: true, isStalled: false, statusWords: 'Issuing' },
    );
    assert.equal((await registrar.postForm(`${page}/commit`, {})).statusCode, 422);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), []);
    assert.equal(await runListCommand(app, ['resume', listId], io), 1);
    assert.match(lines.at(-1)!, /already being issued/);

    await leftRunning(listId, STALLED_AFTER_SECONDS + 1);
    const stalled = (await registrar.get(page)).body;
    assert.match(stalled, /Issuing stalled/);
    assert.match(stalled, /Resume issuing/);
    // A page left open since before the stall stops asking and says so, rather than waiting forever.
    const silent = (await registrar.get(`${page}/progress.json`)).json();
    assert.equal(silent.isWorking, false);
    assert.equal(silent.isStalled, true);
    assert.match(silent.sentence, /Issuing stalled/);
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

  /** What the queue did with the list's jobs: `state` for all of them, started `startedSecondsAgo` ago. */
  const setJobs = (listId: string, state: 'failed' | 'active' | 'created', startedSecondsAgo = 0) =>
    sql`
      update pgboss.job set state = ${state}::pgboss.job_state,
        started_on = case when ${state} = 'created' then null else now() - make_interval(secs => ${startedSecondsAgo}) end
      where name = 'tracking-list-issue' and singleton_key = ${listId}
    `.execute(app.database.db);

  test('a queued list whose job gave up is stalled: shown with the resume action, and resumed by the watch once', async () => {
    const listId = await aCommittedList(app, 2);
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const page = `/issuing/tracking-lists/${listId}`;
    assert.equal(await listStatus(app, listId), 'queued');

    // Waiting for a worker (its job is in the queue): not stalled, however long it waits.
    assert.doesNotMatch((await registrar.get(page)).body, /Issuing stalled|Resume issuing/);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), []);
    // Taken up by a worker a moment ago (it is about to say it runs): not stalled either.
    await setJobs(listId, 'active', 1);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), []);

    // The job ran out of retries with the list still queued: nothing would ever take it up.
    await setJobs(listId, 'failed');
    const stalled = (await registrar.get(page)).body;
    assert.match(stalled, /Issuing stalled/);
    assert.match(stalled, /No worker is going to take this list up/);
    assert.match(stalled, /Resume issuing/);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), [listId]);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), [], 'claimed once');
    assert.equal(await jobsFor(app, listId), 2, 'the watch queued a new job');
    assert.doesNotMatch((await registrar.get(page)).body, /Issuing stalled/);

    // A worker that took the new job and died before starting the list: stalled once the job is old.
    await setJobs(listId, 'active', STALLED_AFTER_SECONDS + 1);
    await app.database.db
      .updateTable('tracking_lists')
      .set({ heartbeat_at: sql`now() - make_interval(secs => ${STALLED_AFTER_SECONDS + 1})` })
      .where('id', '=', listId)
      .execute();
    assert.match((await registrar.get(page)).body, /Issuing stalled/);
    assert.equal((await registrar.postForm(`${page}/commit`, {})).statusCode, 303, 'resumed from its page');
    assert.equal(await jobsFor(app, listId), 3);

    await app.services.trackingLists.processList(listId);
    assert.equal(await listStatus(app, listId), 'done');
    await assertIssuedExactlyOnce(app, listId, 2);
  });

  test('a list held by a live worker is left to it; once the holder is silent, the watch takes its claim away', async () => {
    const listId = await aCommittedList(app, 3);
    const holder = newId();
    await leftRunning(listId, 1, holder);
    await app.services.trackingLists.processList(listId);
    assert.equal(await listStatus(app, listId), 'running', 'a second job does not work a held list');
    assert.equal((await listProgress(app, listId)).issued, 0);

    // The holder goes silent; the watch lets go of its claim and queues the list, and the new run finishes it.
    await leftRunning(listId, STALLED_AFTER_SECONDS + 1, holder);
    assert.deepEqual(await app.services.trackingLists.resumeStalledLists(), [listId]);
    const held = await app.database.db
      .selectFrom('tracking_lists')
      .select('worker_id')
      .where('id', '=', listId)
      .executeTakeFirstOrThrow();
    assert.equal(held.worker_id, null, 'the silent holder no longer holds the list');
    // Were the holder alive after all, its next beat and its check before the next chunk would tell it to stop.
    const repository = new TrackingListsRepository();
    assert.equal(await repository.beat(app.database.db, listId, holder), false);
    assert.equal(await repository.holds(app.database.db, listId, holder), false);
    await app.services.trackingLists.processList(listId);
    assert.equal(await listStatus(app, listId), 'done');
    await assertIssuedExactlyOnce(app, listId, 3);
  });
});
