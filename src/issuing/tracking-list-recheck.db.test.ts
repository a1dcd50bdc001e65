import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { listFile, listIdFrom, listRow, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

/**
 * A list uploaded before the student system's completions arrived: once they are imported, the office checks the
 * list's not-eligible rows again instead of uploading the file anew.
 */
describe(`checking a tracking list's rows again on ${testBackend}`, () => {
  let app: TestApp;
  let program: BuiltProgram;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    // Non-credit: the credentials office, which uploads the list, is the one that checks and commits it.
    program = await aProgram(app, { creditType: 'non_credit' });
  });
  after(() => app?.close());

  const statuses = async (listId: string) =>
    (
      await app.database.db
        .selectFrom('tracking_list_rows')
        .select(['line', 'status'])
        .where('list_id', '=', listId)
        .orderBy('line')
        .execute()
    ).map((r) => `${r.line}:${r.status}`);

  test('rows whose requirements are met since the upload become ready; the others, and repeats, stay', async () => {
    const [late, never] = [await aLearner(app), await aLearner(app)];
    for (const who of [late, never]) await anEnrolment(app, who, program);
    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const csv = listFile(
      listRow(late, program.slug),
      listRow(never, program.slug),
      listRow(late, program.slug),
    );
    const listId = listIdFrom(await uploadList(app, office, 'cohort.csv', csv));
    assert.deepEqual(await statuses(listId), ['2:not_eligible', '3:not_eligible', '4:error']);
    const page = (await office.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.match(page, /Check the not-eligible rows again/);

    for (const course of program.courses) await aCompletion(app, late, course);
    const recheck = await office.postForm(`/issuing/tracking-lists/${listId}/recheck`, {});
    assert.equal(recheck.statusCode, 303);
    assert.deepEqual(await statuses(listId), ['2:ready', '3:not_eligible', '4:error']);
    const after = await office.get(recheck.headers.location as string);
    assert.match(after.body, /2 not-eligible rows checked again: 1 row is ready now\./);

    const audit = await app.services.audit.list({ action: 'tracking_list.rechecked', limit: 5, offset: 0 });
    assert.deepEqual(
      audit.filter((e) => e.entity_id === listId).map((e) => e.after),
      [{ checked: 2, nowReady: 1 }],
    );
  });

  test('only whoever may act on the list checks it again, and only while it is a preview', async () => {
    const who = await aLearner(app);
    await anEnrolment(app, who, program);
    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const listId = listIdFrom(
      await uploadList(app, office, 'cohort.csv', listFile(listRow(who, program.slug))),
    );

    // A lead who did not upload it cannot see it; a learner is not staff.
    const lead = await (await aStaffMember(app, 'program_lead')).signIn();
    assert.equal((await lead.postForm(`/issuing/tracking-lists/${listId}/recheck`, {})).statusCode, 404);
    const learner = await (await aStaffMember(app, 'learner')).signIn();
    assert.equal((await learner.postForm(`/issuing/tracking-lists/${listId}/recheck`, {})).statusCode, 403);

    assert.equal((await office.postForm(`/issuing/tracking-lists/${listId}/discard`, {})).statusCode, 303);
    const page = (await office.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.doesNotMatch(page, /Check the not-eligible rows again/);
    assert.equal((await office.postForm(`/issuing/tracking-lists/${listId}/recheck`, {})).statusCode, 403);
    assert.deepEqual(await statuses(listId), ['2:not_eligible']);
  });
});
