import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  approvedRequests,
  assertGrewBy,
  counts,
  jobsFor,
  listIdFrom,
  sessions,
  staff,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { requiredColumns } from './tracking-list-file.ts';

const header =
  'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort,fee_waived,notes';
/** A credit-bearing cohort: five learners ready, and one row for every reason a row is not. */
const creditList = [
  header,
  'C00023871,amara.chen@students.cascaderidge.example,Amara,Chen,geographic-information-systems-gis,2026-10-20,2026 Fall,,Fall 2026 capstone,,',
  'C00008817,hannah.whitaker@mail.example,Hannah,Whitaker,spanish-for-educators,2026-10-20,2026 Fall,credit,Fall 2026 capstone,yes,Covered by the district partnership',
  'C00014420,grace.nakamura@mail.example,Grace,Nakamura,stem-education-graduate,2026-10-20,2026 Fall,,Fall 2026 capstone,no,',
  'C00025519,ravi.menon@students.cascaderidge.example,Ravi,Menon,social-research-quantitative-data-analysis,2026-10-20,2026 Fall,,,,',
  'C00027340,diego.ramirez@students.cascaderidge.example,Diego,Ramirez,network-technology,2026-10-20,2026 Fall,,,,',
  'C00029964,tomas.herrera@students.cascaderidge.example,Tomás,Herrera,set-skills-for-cinema-production,2026-10-20,2026 Fall,,,,',
  'C09999999,nobody@mail.example,No,Body,geographic-information-systems-gis,2026-10-20,2026 Fall,,,,',
  'C00023871,amara.chen@students.cascaderidge.example,Amara,Chen,underwater-basket-weaving,2026-10-20,2026 Fall,credit,,,',
  'C00008817,hannah.whitaker@mail.example,Hannah,Whitaker,spanish-for-educators,2026-10-21,2026 Fall,,,,',
  'C00014420,grace.nakamura@mail.example,Grace,Nakamura,data-visualization,2026-13-01,2026 Fall,,,,',
  'C00025519,ravi@wrong.example,Ravi,Menon,data-visualization,2026-10-20,2026 Fall,,,,',
  'C00012345,learner@cascaderidge.example,Jordan,Ellis,podcast-production,2026-10-20,2026 Fall,credit,,,',
  'C00030388,kwame.asante@students.cascaderidge.example,Kwame,Asante,values-based-leadership,2026-10-20,2026 Fall,,,,',
  'C00030388,kwame.asante@students.cascaderidge.example,Kwame,Asante,sustainable-food-systems,2026-10-20,2026 Fall,,,,',
].join('\n');

describe(`tracking lists on ${testBackend}`, () => {
  let app: TestApp;
  const as = sessions(() => app);
  let firstList: string;
  let secondList: string;

  const rowsOf = (listId: string) =>
    app.database.db
      .selectFrom('tracking_list_rows')
      .selectAll()
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await approvedRequests(app);
  });
  after(() => app.close());

  test('the template names every column and downloads as CSV', async () => {
    const response = await (await as(staff.credentials)).get('/issuing/tracking-lists/template.csv');
    assert.equal(response.statusCode, 200);
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="tracking-list-template\.csv"/,
    );
    assert.equal(response.body.split('\r\n')[0], header);
    for (const column of requiredColumns) assert.ok(response.body.includes(column));
  });

  test('an upload is a preview: a status and reason for every row, and nothing issued', async () => {
    const before = await counts(app);
    const response = await uploadList(app, await as(staff.credentials), 'fall-2026.csv', creditList);
    firstList = listIdFrom(response);
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
      [12, 'error', /e-mail ravi@wrong\.example is not the one on record/],
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

    const page = await (await as(staff.registrar)).get(`/issuing/tracking-lists/${firstList}`);
    const text = textOf(page.body);
    assert.match(text, /Nothing has been issued from this list yet/);
    assert.match(text, /Commit and issue 5 badges/);
    assert.match(text, /Ready \(5\).*Not eligible \(5\).*Error \(4\)/);
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
    // The credentials office uploaded it, but a credit-bearing list is the registrar's to commit.
    const uploaderView = textOf(
      (await (await as(staff.credentials)).get(`/issuing/tracking-lists/${firstList}`)).body,
    );
    assert.match(uploaderView, /committed by the registrar/);
    assert.doesNotMatch(uploaderView, /Commit and issue/);
  });

  test('a file mixing credit-bearing and non-credit rows is refused whole, saying so', async () => {
    const before = await counts(app);
    const mixed = [
      header,
      'C00023871,amara.chen@students.cascaderidge.example,Amara,Chen,geographic-information-systems-gis,2026-10-20,2026 Fall,,,,',
      'C00012345,learner@cascaderidge.example,Jordan,Ellis,persuasive-communication,2026-10-20,2026 Fall,,,,',
      'C00030388,kwame.asante@students.cascaderidge.example,Kwame,Asante,values-based-leadership,2026-10-20,2026 Fall,non_credit,,,',
    ].join('\n');
    const response = await uploadList(app, await as(staff.credentials), 'mixed.csv', mixed);
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
    const browser = await as(staff.credentials);
    const missing = await uploadList(app, browser, 'bad.csv', 'student_id,email\nC1,a@b.example\n');
    assert.equal(missing.statusCode, 400);
    assert.match(
      textOf(missing.body),
      /the header row lacks first_name, last_name, program, completion_date, term/,
    );
    const empty = await uploadList(app, browser, 'empty.csv', `${header}\n`);
    assert.match(textOf(empty.body), /it has a header row but no learners under it/);
  });

  test("committing queues the background job; only the list's office may commit", async () => {
    // The same file again, before the first is committed: both previews have the same five ready rows.
    secondList = listIdFrom(await uploadList(app, await as(staff.admin), 'fall-2026-again.csv', creditList));
    assert.equal((await rowsOf(secondList)).filter((r) => r.status === 'ready').length, 5);

    const refused = await (await as(staff.credentials)).postForm(
      `/issuing/tracking-lists/${firstList}/commit`,
      {},
    );
    assert.equal(refused.statusCode, 403);
    assert.equal(await jobsFor(app, firstList), 0);

    const registrar = await as(staff.registrar);
    const committed = await registrar.postForm(`/issuing/tracking-lists/${firstList}/commit`, {});
    assert.equal(committed.statusCode, 303);
    assert.equal(await jobsFor(app, firstList), 1);
    const page = await registrar.get(`/issuing/tracking-lists/${firstList}`);
    assert.match(page.body, /<meta http-equiv="refresh" content="2"\/?>/);
    assert.match(textOf(page.body), /0% done.*0 of 5 rows processed/);
    const again = await registrar.postForm(`/issuing/tracking-lists/${firstList}/commit`, {});
    assert.equal(again.statusCode, 422);
  });

  test('a crash part-way keeps the batches done; the re-run finishes without duplicates', async () => {
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
    const stopped = await (await as(staff.registrar)).get(`/issuing/tracking-lists/${firstList}`);
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
    const page = await (await as(staff.registrar)).get(`/issuing/tracking-lists/${firstList}`);
    assert.match(textOf(page.body), /100% done.*5 of 5 rows processed: 5 issued, 0 skipped, 0 failed/);
    assert.doesNotMatch(page.body, /http-equiv="refresh"/);
  });

  test('what the list issued: fee waived where the list says, approved request closed, claim mail queued', async () => {
    const db = app.database.db;
    const rows = await rowsOf(firstList);
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
    const request = await db
      .selectFrom('badge_requests as r')
      .innerJoin('programs as p', 'p.id', 'r.program_id')
      .select(['r.status', 'r.credential_id'])
      .where('p.slug', '=', 'network-technology')
      .where('r.learner_id', '=', diego.learner_id!)
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
      .select('valid_from')
      .where('id', '=', amara.credential_id!)
      .executeTakeFirstOrThrow();
    assert.equal(credential.valid_from.toISOString(), '2026-10-20T00:00:00.000Z');

    const mail = await app.services.notifications.list({
      to: 'amara.chen@students.cascaderidge.example',
      limit: 5,
    });
    assert.ok(
      mail.some((m) => /Geographic Information Systems/i.test(m.subject)),
      'the claim mail is queued',
    );
  });

  test('the re-uploaded list, committed too, issues nothing and charges nothing', async () => {
    const before = await counts(app);
    const committed = await (await as(staff.registrar)).postForm(
      `/issuing/tracking-lists/${secondList}/commit`,
      {},
    );
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
    const registrar = await as(staff.registrar);
    const third = listIdFrom(await uploadList(app, await as(staff.admin), 'fall-2026-third.csv', creditList));
    const rows = await rowsOf(third);
    assert.equal(rows.filter((r) => r.status === 'ready').length, 0);
    const already = rows.filter((r) => r.reason?.startsWith('Already issued'));
    assert.deepEqual(
      already.map((r) => r.line),
      [2, 3, 4, 5, 6],
    );
    const refused = await registrar.postForm(`/issuing/tracking-lists/${third}/commit`, {});
    assert.equal(refused.statusCode, 422);
    assert.match(textOf(refused.body), /nothing to commit/);
  });

  test('the database itself refuses a second issued row for the same learner and program', async () => {
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
