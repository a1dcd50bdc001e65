import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aBadgeRequest,
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import {
  assertGrewBy,
  commitThroughConfirmation,
  counts,
  jobsFor,
  listIdFrom,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { requiredColumns } from './tracking-list-file.ts';

const header =
  'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort,fee_waived,notes';

describe(`tracking lists on ${testBackend}`, () => {
  let app: TestApp;
  let office: BrowserSession;
  let registrar: BrowserSession;
  let admin: BrowserSession;

  const rowsOf = (listId: string) =>
    app.database.db
      .selectFrom('tracking_list_rows')
      .selectAll()
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();

  /** Enrolled in the program with every course passed (or only the first when `met` is false). */
  async function enrolled(program: BuiltProgram, met = true, learner?: BuiltLearner) {
    const who = learner ?? (await aLearner(app));
    await anEnrolment(app, who, program);
    for (const course of met ? program.courses : program.courses.slice(0, 1)) {
      await aCompletion(app, who, course);
    }
    return who;
  }

  const line = (who: BuiltLearner, program: string, rest = '2026-10-20,2026 Fall,,,,') => {
    const [first, ...last] = who.name.split(' ');
    return `${who.studentId},${who.email},${first},${last.join(' ')},${program},${rest}`;
  };

  /**
   * A credit-bearing cohort as the credentials office lists it: five learners ready (the fifth with an
   * approved badge request), and one row for every reason a row is not.
   */
  async function aCohort() {
    const mapping = await aProgram(app, { title: 'Field Mapping' });
    const spanish = await aProgram(app, { title: 'Teaching in Spanish' });
    const other = await aProgram(app);
    const podcast = await aProgram(app, { title: 'Podcast Production', status: 'draft' });
    const hybrid = await aProgram(app, { creditType: 'hybrid' });
    const ready = [
      await enrolled(mapping),
      await enrolled(spanish),
      await enrolled(mapping),
      await enrolled(spanish),
    ];
    const requested = await aBadgeRequest(app, { program: other });
    await app.services.badgeRequests.decide(
      await aStaffMember(app, 'admin'),
      requested.request.id,
      'approve',
      '',
    );
    ready.push(requested.learner);
    const [r1, r2, r3, r4, r5] = ready as [
      BuiltLearner,
      BuiltLearner,
      BuiltLearner,
      BuiltLearner,
      BuiltLearner,
    ];
    const notMet = await enrolled(mapping, false);
    const nobody = { studentId: 'C09999999', email: 'nobody@mail.example', name: 'No Body' } as BuiltLearner;
    const csv = [
      header,
      line(r1, mapping.slug, '2026-10-20,2026 Fall,,Fall 2026 capstone,,'),
      line(
        r2,
        spanish.slug,
        '2026-10-20,2026 Fall,credit,Fall 2026 capstone,yes,Covered by the district partnership',
      ),
      line(r3, mapping.slug, '2026-10-20,2026 Fall,,Fall 2026 capstone,no,'),
      line(r4, spanish.slug),
      line(r5, other.slug),
      line(notMet, mapping.slug),
      line(nobody, mapping.slug),
      line(r1, 'underwater-basket-weaving', '2026-10-20,2026 Fall,credit,,,'),
      line(r2, spanish.slug, '2026-10-21,2026 Fall,,,,'),
      line(r3, other.slug, '2026-13-01,2026 Fall,,,,'),
      `${r4.studentId},someone@wrong.example,A,B,${other.slug},2026-10-20,2026 Fall,,,,`,
      line(notMet, podcast.slug, '2026-10-20,2026 Fall,credit,,,'),
      line(notMet, hybrid.slug),
      line(notMet, spanish.slug),
    ].join('\n');
    return { csv, ready, requested, mapping, wrongEmail: 'someone@wrong.example' };
  }

  /** A cohort's list, uploaded by the credentials office. */
  async function anUploadedList() {
    const cohort = await aCohort();
    const listId = listIdFrom(await uploadList(app, office, 'fall-2026.csv', cohort.csv));
    return { ...cohort, listId };
  }

  /** The registrar commits the list (which queues the job, not run here). */
  async function commit(listId: string) {
    const committed = await commitThroughConfirmation(registrar, listId);
    assert.equal(committed.statusCode, 303);
  }

  /** A cohort's list, uploaded and committed. */
  async function aCommittedList() {
    const uploaded = await anUploadedList();
    await commit(uploaded.listId);
    return uploaded;
  }

  /** Commits the list and runs what its job would run. */
  async function commitAndIssue(listId: string) {
    await commit(listId);
    await app.services.trackingLists.processList(listId);
  }

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
    admin = await (await aStaffMember(app, 'admin')).signIn();
  });
  after(() => app.close());

  test('the template names every column and downloads as CSV', async () => {
    const response = await office.get('/issuing/tracking-lists/template.csv');
    assert.equal(response.statusCode, 200);
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="tracking-list-template\.csv"/,
    );
    assert.equal(response.body.split('\r\n')[0], header);
    for (const column of requiredColumns) assert.ok(response.body.includes(column));
  });

  test('an upload is a preview: a status and reason for every row, and nothing issued', async () => {
    const cohort = await aCohort();
    const before = await counts(app);
    const response = await uploadList(app, office, 'fall-2026.csv', cohort.csv);
    const firstList = listIdFrom(response);
    const list = await app.database.db
      .selectFrom('tracking_lists')
      .selectAll()
      .where('id', '=', firstList)
      .executeTakeFirstOrThrow();
    assert.equal(list.status, 'preview');
    assert.equal(list.credit_mode, 'credit');
    assert.equal(list.office, 'registrar', 'a credit-bearing list goes to the registrar');
    assert.equal(list.cohort, 'Fall 2026 capstone');
    assert.equal(list.rows_total, 14);

    const verdicts = (await rowsOf(firstList)).map((r) => [r.line, r.status, r.reason ?? ''] as const);
    const expect: [number, string, RegExp][] = [
      [2, 'ready', /^$/],
      [3, 'ready', /^$/],
      [4, 'ready', /^$/],
      [5, 'ready', /^$/],
      [6, 'ready', /^$/],
      [7, 'not_eligible', /^Requirements not met: .*still needs/],
      [8, 'not_eligible', /^Unknown student: no learner has student ID C09999999/],
      [9, 'not_eligible', /^Program not offered: no micro-credential is called "underwater-basket-weaving"/],
      [10, 'error', /^Repeats line 3/],
      [11, 'error', /^Cannot be read: completion_date "2026-13-01" is not a date/],
      [12, 'error', /e-mail someone@wrong\.example is not the one on record/],
      [
        13,
        'not_eligible',
        /^Program not offered: Podcast Production is .*, not an approved micro-credential\./,
      ],
      [14, 'error', /offered both for credit and not; credit_mode must say which/],
      [15, 'not_eligible', /^Requirements not met/],
    ];
    assert.equal(verdicts.length, expect.length);
    for (const [index, [line, status, reason]] of expect.entries()) {
      const [gotLine, gotStatus, gotReason] = verdicts[index]!;
      assert.equal(gotLine, line);
      assert.equal(gotStatus, status, `line ${line}: ${gotReason}`);
      assert.match(gotReason, reason, `line ${line}`);
    }
    assert.deepEqual(await counts(app), { ...before, tracking_lists: before.tracking_lists + 1 });

    const page = await registrar.get(`/issuing/tracking-lists/${firstList}`);
    const text = textOf(page.body);
    assert.match(text, /Nothing has been issued from this list yet/);
    assert.match(text, /Commit and issue 5 badges/);
    assert.match(text, /Ready \(5\).*Not eligible \(5\).*Error \(4\)/);
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
    // The credentials office uploaded it, but a credit-bearing list is the registrar's to commit.
    const uploaderView = textOf((await office.get(`/issuing/tracking-lists/${firstList}`)).body);
    assert.match(uploaderView, /committed by the registrar/);
    assert.doesNotMatch(uploaderView, /Commit and issue/);
  });

  test('a file mixing credit-bearing and non-credit rows is refused whole, saying so', async () => {
    const credit = await aProgram(app);
    const nonCredit = await aProgram(app, { creditType: 'non_credit' });
    const hybrid = await aProgram(app, { creditType: 'hybrid' });
    const mixed = [
      header,
      line(await enrolled(credit), credit.slug),
      line(await enrolled(nonCredit), nonCredit.slug),
      line(await enrolled(hybrid), hybrid.slug, '2026-10-20,2026 Fall,non_credit,,,'),
    ].join('\n');
    const before = await counts(app);
    const response = await uploadList(app, office, 'mixed.csv', mixed);
    assert.equal(response.statusCode, 400);
    const text = textOf(response.body);
    assert.match(
      text,
      /The list was not uploaded: it mixes credit-bearing rows \(line 2\) with non-credit rows \(lines 3, 4\)/,
    );
    assert.match(text, /upload each credit mode as a list of its own/);
    assert.deepEqual(await counts(app), before);
  });

  test('a file that is not a tracking list is refused with the reason', async () => {
    const missing = await uploadList(app, office, 'bad.csv', 'student_id,email\nC1,a@b.example\n');
    assert.equal(missing.statusCode, 400);
    assert.match(
      textOf(missing.body),
      /the header row lacks first_name, last_name, program, completion_date, term/,
    );
    const empty = await uploadList(app, office, 'empty.csv', `${header}\n`);
    assert.match(textOf(empty.body), /it has a header row but no learners under it/);
  });

  test("committing queues the background job; only the list's office may commit", async () => {
    const { csv, listId: firstList } = await anUploadedList();
    // The same file again, before the first is committed: both previews have the same five ready rows.
    const secondList = listIdFrom(await uploadList(app, admin, 'fall-2026-again.csv', csv));
    assert.equal((await rowsOf(secondList)).filter((r) => r.status === 'ready').length, 5);

    const refused = await commitThroughConfirmation(office, firstList);
    assert.equal(refused.statusCode, 403);
    assert.equal(await jobsFor(app, firstList), 0);

    const committed = await commitThroughConfirmation(registrar, firstList);
    assert.equal(committed.statusCode, 303);
    assert.equal(await jobsFor(app, firstList), 1);
    const page = await registrar.get(`/issuing/tracking-lists/${firstList}`);
    // No self-reloading page (axe flags meta refresh as critical): a Refresh link, and a script that asks for
    // the figures and updates a live region.
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
    assert.match(page.body, /<p role="status" aria-live="polite" data-list-progress="[^"]+\/progress\.json"/);
    assert.match(page.body, /<script src="\/issuing\/list-progress\.js" defer/);
    assert.match(textOf(page.body), /0% done.*0 of 5 rows processed.*Refresh the progress/);
    const figures = (await registrar.get(`/issuing/tracking-lists/${firstList}/progress.json`)).json();
    assert.deepEqual(
      { isWorking: figures.isWorking, percent: figures.percent, sentence: figures.sentence },
      { isWorking: true, percent: 0, sentence: '0 of 5 rows processed: 0 issued, 0 skipped, 0 failed.' },
    );
    const again = await commitThroughConfirmation(registrar, firstList);
    assert.equal(again.statusCode, 422);
  });

  test('a crash part-way keeps the batches done; the re-run finishes without duplicates', async () => {
    const { listId: firstList } = await aCommittedList();
    const before = await counts(app);
    let issuedSoFar = 0;
    app.services.issuing.faults.afterCharge = () => {
      issuedSoFar += 1;
      if (issuedSoFar === 3) throw new Error('simulated crash in the middle of a batch');
    };
    try {
      await assert.rejects(
        app.services.trackingLists.processList(firstList, { batchSize: 2 }),
        /simulated crash in the middle of a batch/,
      );
    } finally {
      app.services.issuing.faults.afterCharge = undefined;
    }
    // The first batch (two rows) committed; the second rolled back whole.
    const middle = await counts(app);
    assert.equal(middle.credentials - before.credentials, 2);
    assert.equal(middle.fee_charges - before.fee_charges, 2);
    const rows = await rowsOf(firstList);
    assert.deepEqual(
      rows.filter((r) => r.status === 'issued').map((r) => r.line),
      [2, 3],
    );
    const stopped = await registrar.get(`/issuing/tracking-lists/${firstList}`);
    assert.match(textOf(stopped.body), /Issuing stopped.*simulated crash/);
    assert.match(textOf(stopped.body), /40% done.*2 of 5 rows processed/);
    assert.doesNotMatch(stopped.body, /http-equiv="refresh"/);

    await app.services.trackingLists.processList(firstList);
    const end = await counts(app);
    assertGrewBy(before, end, 5, ['credentials', 'fee_charges', 'issued_awards']);
    const done = await rowsOf(firstList);
    assert.equal(done.filter((r) => r.status === 'issued').length, 5);
    assert.equal(new Set(done.map((r) => r.credential_id).filter(Boolean)).size, 5);
    const list = await app.database.db
      .selectFrom('tracking_lists')
      .select(['status', 'finished_at'])
      .where('id', '=', firstList)
      .executeTakeFirstOrThrow();
    assert.equal(list.status, 'done');
    assert.ok(list.finished_at);
    const page = await registrar.get(`/issuing/tracking-lists/${firstList}`);
    assert.match(textOf(page.body), /100% done.*5 of 5 rows processed: 5 issued, 0 skipped, 0 failed/);
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
  });

  test('what the list issued: fee waived where the list says, approved request closed, claim mail queued', async () => {
    const { listId, requested, mapping, ready } = await anUploadedList();
    await commitAndIssue(listId);
    const db = app.database.db;
    const rows = await rowsOf(listId);
    const hannah = rows.find((r) => r.line === 3)!;
    const waived = await db
      .selectFrom('fee_charges')
      .selectAll()
      .where('credential_id', '=', hannah.credential_id!)
      .executeTakeFirstOrThrow();
    assert.equal(waived.status, 'waived');
    assert.equal(waived.reason, 'Covered by the district partnership');
    const amara = rows.find((r) => r.line === 2)!;
    const posted = await db
      .selectFrom('fee_charges')
      .selectAll()
      .where('credential_id', '=', amara.credential_id!)
      .executeTakeFirstOrThrow();
    assert.equal(posted.status, 'posted');
    assert.equal(posted.amount_cents, 1000);

    const diego = rows.find((r) => r.line === 6)!;
    assert.equal(diego.learner_id, requested.learner.id);
    const request = await db
      .selectFrom('badge_requests')
      .select(['status', 'credential_id'])
      .where('id', '=', requested.request.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(request, { status: 'issued', credential_id: diego.credential_id });

    const award = await db
      .selectFrom('issued_awards')
      .selectAll()
      .where('credential_id', '=', amara.credential_id!)
      .executeTakeFirstOrThrow();
    assert.equal(award.term, '2026 Fall');
    assert.equal(award.completion_date, '2026-10-20');
    assert.equal(award.credit_mode, 'credit');
    const credential = await db
      .selectFrom('credentials')
      .select(['valid_from', 'json'])
      .where('id', '=', amara.credential_id!)
      .executeTakeFirstOrThrow();
    // Dated the day it was issued; the day the work was finished is the subject's activityEndDate.
    assert.equal(credential.valid_from.toISOString(), '2026-11-25T15:00:00.000Z');
    assert.equal(
      (credential.json as { credentialSubject: { activityEndDate?: string } }).credentialSubject
        .activityEndDate,
      '2026-10-20T00:00:00Z',
    );

    const mail = await app.services.notifications.list({ to: ready[0]!.email, limit: 5 });
    assert.ok(
      mail.some((m) => m.subject.includes(mapping.title)),
      'the claim mail is queued',
    );
  });

  test('the re-uploaded list, committed too, issues nothing and charges nothing', async () => {
    const { csv, listId: firstList } = await anUploadedList();
    // The same file again, before the first is committed.
    const secondList = listIdFrom(await uploadList(app, admin, 'fall-2026-again.csv', csv));
    await commitAndIssue(firstList);
    const before = await counts(app);
    const committed = await commitThroughConfirmation(registrar, secondList);
    assert.equal(committed.statusCode, 303);
    await app.services.trackingLists.processList(secondList);
    const after = await counts(app);
    assert.equal(after.credentials, before.credentials);
    assert.equal(after.fee_charges, before.fee_charges);
    assert.equal(after.issued_awards, before.issued_awards);
    const rows = await rowsOf(secondList);
    assert.equal(rows.filter((r) => r.status === 'skipped').length, 5);
    assert.equal(rows.filter((r) => r.status === 'issued').length, 0);
  });

  test('uploaded a third time, the list shows every learner as already issued and cannot be committed', async () => {
    const { csv, listId } = await anUploadedList();
    await commitAndIssue(listId);
    const third = listIdFrom(await uploadList(app, admin, 'fall-2026-third.csv', csv));
    const rows = await rowsOf(third);
    assert.equal(rows.filter((r) => r.status === 'ready').length, 0);
    const already = rows.filter((r) => r.reason?.startsWith('Already issued'));
    assert.deepEqual(
      already.map((r) => r.line),
      [2, 3, 4, 5, 6],
    );
    const refused = await commitThroughConfirmation(registrar, third);
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /nothing to commit/);
  });

  test('the database itself refuses a second issued row for the same learner and program', async () => {
    const { csv, listId: firstList } = await anUploadedList();
    // The same file again, before the first is committed.
    const secondList = listIdFrom(await uploadList(app, admin, 'fall-2026-again.csv', csv));
    await commitAndIssue(firstList);
    const db = app.database.db;
    const [issued] = (await rowsOf(firstList)).filter((r) => r.status === 'issued');
    const twin = (await rowsOf(secondList)).find((r) => r.line === issued!.line)!;
    await assert.rejects(
      db
        .updateTable('tracking_list_rows')
        .set({ status: 'issued', credential_id: issued!.credential_id })
        .where('id', '=', twin.id)
        .execute(),
      (error: { code?: string; message?: string }) =>
        error.code === '23505' && /tracking_list_rows_issued_once/.test(String(error.message)),
    );
  });
});
