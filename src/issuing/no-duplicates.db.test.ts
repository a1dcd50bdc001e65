import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
} from '../../test/support/builders.ts';
import {
  assertGrewBy,
  commitThroughConfirmation,
  counts,
  jobsFor,
  listIdFrom,
  listStatus,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

// Re-running an issuing job must never issue a badge, charge a fee or send a claim mail twice. The tracking-list
// tests cover a crash re-run by hand and a list uploaded again after the first was issued; these cover the
// queue re-running a crashed job by itself, a hand resume racing the queue's retry, and two lists at once.

const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';

/**
 * `size` learners who have met the requirements of a program each (of the given credit type), as the rows
 * of a tracking list.
 */
async function aCohort(app: TestApp, size: number, creditType: 'credit' | 'non_credit' = 'credit') {
  const rows: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const program = await aProgram(app, { creditType });
    const learner = await aLearner(app, { name: `Cohort Member${i}` });
    await anEnrolment(app, learner, program);
    for (const course of program.courses) await aCompletion(app, learner, course);
    const [first, last] = learner.name.split(' ');
    rows.push(
      `${learner.studentId},${learner.email},${first},${last},${program.slug},2026-10-20,2026 Fall,,Fall 2026`,
    );
  }
  return rows;
}

/** The staff who upload and commit lists, each signed in. */
async function staffOf(app: TestApp) {
  const browserOf = async (role: 'admin' | 'registrar' | 'credentials_office') =>
    (await aStaffMember(app, role)).signIn();
  return {
    admin: await browserOf('admin'),
    registrar: await browserOf('registrar'),
    office: await browserOf('credentials_office'),
  };
}
const csv = (rows: string[]) => [header, ...rows].join('\n');

/** The rows of some lists, with the learner and program each names. */
function rowsOf(app: TestApp, listIds: string[]) {
  return app.database.db
    .selectFrom('tracking_list_rows')
    .select(['list_id', 'line', 'status', 'learner_id', 'program_id', 'credential_id'])
    .where('list_id', 'in', listIds)
    .orderBy('line')
    .execute();
}

/**
 * What was issued to the learners of some lists: for each learner and program, how many awards, credentials,
 * fee charges and claim mails exist. Exactly one of each is the only right answer.
 */
async function issuedPerLearner(app: TestApp, listIds: string[]) {
  const { rows } = await sql<{
    pair: string;
    awards: number;
    credentials: number;
    fees: number;
    mails: number;
  }>`
    select r.learner_id || '/' || r.program_id as pair,
      (select count(*)::int from issued_awards a
        where a.learner_id = r.learner_id and a.program_id = r.program_id) as awards,
      (select count(*)::int from credentials c
        where c.learner_id = r.learner_id and c.program_id = r.program_id) as credentials,
      (select count(*)::int from fee_charges f
        where f.learner_id = r.learner_id and f.program_id = r.program_id) as fees,
      (select count(*)::int from mail_outbox m join learners l on lower(l.email) = lower(m.to_address)
        where l.id = r.learner_id and m.kind = 'badge_claim') as mails
    from (select distinct learner_id, program_id from tracking_list_rows
          where list_id in (${sql.join(listIds)}) and learner_id is not null) r
    order by pair
  `.execute(app.database.db);
  return rows;
}

function assertEachIssuedOnce(found: Awaited<ReturnType<typeof issuedPerLearner>>, learners: number) {
  assert.equal(found.length, learners);
  for (const learner of found) {
    assert.deepEqual(
      { awards: learner.awards, credentials: learner.credentials, fees: learner.fees, mails: learner.mails },
      { awards: 1, credentials: 1, fees: 1, mails: 1 },
      `learner and program ${learner.pair}`,
    );
  }
}

/** Throws once, at the n-th fee charged: a crash in the middle of issuing, after some work in the batch. */
function crashOnceAtCharge(app: TestApp, n: number) {
  let charged = 0;
  app.services.issuing.faults.afterCharge = () => {
    charged += 1;
    if (charged === n) throw new Error('simulated crash while issuing');
  };
  return () => {
    app.services.issuing.faults.afterCharge = undefined;
  };
}

describe(`issuing jobs re-run by the queue on ${testBackend}`, () => {
  let app: TestApp;
  let staff: Awaited<ReturnType<typeof staffOf>>;

  before(async () => {
    // The pg-boss workers run, as in production, only with a first retry after a second or two rather than 5–10 s.
    app = await startTestApp({
      runJobs: true,
      jobRetryDelaySeconds: 1,
      clock: fixedClock('2026-11-25T15:00:00Z'),
    });
    await anInstitution(app);
    staff = await staffOf(app);
    // An installation that has issued before, so its signing key exists; a crash in the very first batch
    // ever issued is the subject of the last test in this file.
    await app.services.credentials.identity.activeKey();
  });
  after(() => app.close());

  /** Waits until a list is done and the queue has finished every job it holds for it. */
  async function settled(listId: string) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const list = await app.database.db
        .selectFrom('tracking_lists')
        .select(['status', 'last_error'])
        .where('id', '=', listId)
        .executeTakeFirstOrThrow();
      const { rows: jobs } = await sql<{ state: string; retry_count: number }>`
        select state, retry_count from pgboss.job
        where name = 'tracking-list-issue' and data->>'listId' = ${listId}
      `.execute(app.database.db);
      if (list.status === 'done' && jobs.length > 0 && jobs.every((j) => j.state === 'completed')) {
        return { list, jobs };
      }
      assert.ok(Date.now() < deadline, `the list did not settle: ${JSON.stringify({ list, jobs })}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  test('a job that crashed mid-way is retried by the queue and issues, charges and mails each badge once', async () => {
    const cohort = await aCohort(app, 4);
    const before = await counts(app);
    const registrar = staff.registrar;
    const listId = listIdFrom(await uploadList(app, staff.admin, 'gis-and-more.csv', csv(cohort)));
    const restore = crashOnceAtCharge(app, 3);
    try {
      const committed = await commitThroughConfirmation(registrar, listId);
      assert.equal(committed.statusCode, 303);
      const { list, jobs } = await settled(listId);
      assert.equal(list.last_error, null);
      assert.equal(jobs.length, 1);
      assert.ok(jobs[0]!.retry_count >= 1, 'the queue ran the job again after the crash');
    } finally {
      restore();
    }

    assertEachIssuedOnce(await issuedPerLearner(app, [listId]), 4);
    const rows = await rowsOf(app, [listId]);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['issued', 'issued', 'issued', 'issued'],
    );
    assert.equal(new Set(rows.map((r) => r.credential_id)).size, 4);
    const end = await counts(app);
    assertGrewBy(before, end, 4, ['credentials', 'fee_charges', 'issued_awards', 'mail_outbox']);
  });
});

describe(`issuing jobs run twice at once on ${testBackend}`, () => {
  let app: TestApp;
  let staff: Awaited<ReturnType<typeof staffOf>>;

  before(async () => {
    // No workers: the test runs the job itself, as often and as concurrently as it needs.
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
    staff = await staffOf(app);
  });
  after(() => app.close());

  test('a crashed list resumed by hand while the queue retries it: both runs together issue each badge once', async () => {
    const cohort = await aCohort(app, 3, 'non_credit');
    const before = await counts(app);
    const office = staff.office;
    const listId = listIdFrom(await uploadList(app, staff.admin, 'non-credit.csv', csv(cohort)));
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 303);

    const restore = crashOnceAtCharge(app, 2);
    try {
      await assert.rejects(
        app.services.trackingLists.processList(listId, { batchSize: 1 }),
        /simulated crash while issuing/,
      );
    } finally {
      restore();
    }
    const stopped = await rowsOf(app, [listId]);
    assert.deepEqual(
      stopped.map((r) => r.status),
      ['issued', 'ready', 'ready'],
      'the first batch stays issued',
    );

    // The office presses "Resume issuing" while the queue's own retry of the crashed job is still pending.
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 303);
    assert.equal(await jobsFor(app, listId), 2, 'two jobs now hold the list');
    await Promise.all([
      app.services.trackingLists.processList(listId, { batchSize: 1 }),
      app.services.trackingLists.processList(listId, { batchSize: 1 }),
    ]);
    const afterBoth = await counts(app);
    // A late delivery of either job, after the list is done, changes nothing.
    await app.services.trackingLists.processList(listId);
    assert.deepEqual(await counts(app), afterBoth);

    assertEachIssuedOnce(await issuedPerLearner(app, [listId]), 3);
    const rows = await rowsOf(app, [listId]);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['issued', 'issued', 'issued'],
    );
    assertGrewBy(before, afterBoth, 3, ['credentials', 'fee_charges', 'mail_outbox']);
    assert.equal(await listStatus(app, listId), 'done');
  });

  test('the same list uploaded twice and both committed, issued at the same time, issues each learner once', async () => {
    const cohort = await aCohort(app, 3);
    const before = await counts(app);
    const registrar = staff.registrar;
    const first = listIdFrom(await uploadList(app, staff.admin, 'cohort.csv', csv(cohort)));
    const second = listIdFrom(await uploadList(app, staff.admin, 'cohort-again.csv', csv(cohort)));
    for (const listId of [first, second]) {
      assert.equal((await commitThroughConfirmation(registrar, listId)).statusCode, 303);
    }
    await Promise.all([
      app.services.trackingLists.processList(first, { batchSize: 1 }),
      app.services.trackingLists.processList(second, { batchSize: 1 }),
    ]);

    assertEachIssuedOnce(await issuedPerLearner(app, [first, second]), 3);
    const rows = await rowsOf(app, [first, second]);
    // Every learner's row is issued on exactly one of the lists and skipped on the other.
    const byLearner = new Map<string, string[]>();
    for (const r of rows) {
      const pair = `${r.learner_id}/${r.program_id}`;
      byLearner.set(pair, [...(byLearner.get(pair) ?? []), r.status]);
    }
    assert.equal(byLearner.size, 3);
    for (const [pair, statuses] of byLearner) assert.deepEqual(statuses.sort(), ['issued', 'skipped'], pair);
    const end = await counts(app);
    assertGrewBy(before, end, 3, ['credentials', 'fee_charges', 'issued_awards', 'mail_outbox']);
  });
});

describe(`a crash in the first issuing transaction an installation ever runs, on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
  });
  after(() => app.close());

  // The issuer's signing key is made lazily inside the first issuing transaction. When that transaction rolls
  // back (a crashed batch), the key goes with it, and the re-run must make a new one rather than sign with the
  // one that no longer exists.
  test('the re-run after a rolled-back first batch issues with a signing key that exists', async () => {
    const { slug } = await aProgram(app);
    const built = [await aLearner(app, { account: false }), await aLearner(app, { account: false })];
    const learners = built.map(({ email, name }) => ({ email, name }));
    const system = { system: 'no-duplicates test' };
    await assert.rejects(
      app.database.db.transaction().execute(async (trx) => {
        for (const learner of learners) {
          await app.services.credentials.issueCredential(system, { slug, learner }, trx);
        }
        throw new Error('simulated crash while issuing');
      }),
      /simulated crash while issuing/,
    );
    assert.equal((await counts(app)).credentials, 0);
    const rerun = await app.services.credentials.issueCredential(system, {
      slug,
      learner: learners[0]!,
    });
    assert.equal((await counts(app)).credentials, 1);
    assert.ok(rerun.id);
  });
});
