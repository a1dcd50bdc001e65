import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anIssuedBadge, aStaffMember } from '../../test/support/builders.ts';
import { commitThroughConfirmation, listIdFrom, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

// Issue 19, point 7: a revoked learner can be awarded again later for the same program, by a new request or a
// tracking list, while "one standing award per learner and program" still holds.
describe(`a badge awarded again after it was revoked on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  const awardsOf = (learnerId: string, programId: string) =>
    app.database.db
      .selectFrom('issued_awards')
      .select(['credential_id', 'revoked_at', 'source'])
      .where('learner_id', '=', learnerId)
      .where('program_id', '=', programId)
      .orderBy('issued_at')
      .execute();

  test('a new request after a revocation is approved and issued, and a further request is refused', async () => {
    const first = await anIssuedBadge(app);
    const { learner, program } = first;
    const admin = await aStaffMember(app, 'admin');
    await app.services.credentials.changeStatus(
      { system: 'test' },
      first.credentialId,
      'revoke',
      'Wrong cohort.',
    );

    const request = await app.services.badgeRequests.requestBadge(learner.account!, program.slug);
    await app.services.badgeRequests.decide(admin, request.id, 'approve', '');
    const outcome = await app.services.issuing.issueApprovedRequests(admin, 'registrar', [request.id]);
    assert.equal(outcome.issued.length, 1, JSON.stringify(outcome.refused));

    const awards = await awardsOf(learner.id, program.id);
    assert.equal(awards.length, 2);
    assert.ok(awards[0]!.revoked_at, 'the first award stays, revoked');
    assert.equal(awards[1]!.revoked_at, null, 'the second award stands');
    await assert.rejects(
      app.services.badgeRequests.requestBadge(learner.account!, program.slug),
      /already issued/,
    );
  });

  test('a tracking list issues the badge again after a revocation, and only once', async () => {
    const first = await anIssuedBadge(app);
    const { learner, program } = first;
    await app.services.credentials.changeStatus(
      { system: 'test' },
      first.credentialId,
      'revoke',
      'Grade corrected.',
    );
    const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';
    const row = `${learner.studentId},${learner.email},Again,Learner,${program.slug},2026-01-20,2026 Spring,,Spring 2026`;
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const listId = listIdFrom(await uploadList(app, admin, 'again.csv', [header, row].join('\n')));
    const committed = await commitThroughConfirmation(registrar, listId);
    assert.equal(committed.statusCode, 303, committed.body.slice(0, 300));
    await app.services.trackingLists.processList(listId);
    await app.services.trackingLists.processList(listId);
    // The same row uploaded again is not issued twice: the new award stands.
    const againId = listIdFrom(await uploadList(app, admin, 'again-copy.csv', [header, row].join('\n')));
    const [again] = await app.database.db
      .selectFrom('tracking_list_rows')
      .select(['status', 'reason'])
      .where('list_id', '=', againId)
      .execute();
    assert.equal(again?.status, 'not_eligible');
    assert.match(again?.reason ?? '', /Already issued/);
    const awards = await awardsOf(learner.id, program.id);
    assert.deepEqual(
      awards.map((a) => [a.source, a.revoked_at === null]),
      [
        ['badge_request', false],
        ['tracking_list', true],
      ],
    );
  });
});
