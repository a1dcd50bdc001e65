// What a badge says about its learner's work is true: credits only when earned for credit, the real day and
// term the work was finished, and the day the badge was issued (never earlier).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { commitThroughConfirmation, listIdFrom, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { SignedOpenBadgeCredential } from '../credentials/credential-types.ts';
import { fixedClock } from '../platform/clock.ts';

const NOW = '2026-11-25T15:00:00Z';
const listHeader = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode';

describe(`credits and dates on badges on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let registrarClerk: Person;
  let office: BrowserSession;
  let registrar: BrowserSession;
  let adminBrowser: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock(NOW) });
    await anInstitution(app);
    admin = await aStaffMember(app, 'admin');
    registrarClerk = await aStaffMember(app, 'registrar');
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
    registrar = await registrarClerk.signIn();
    adminBrowser = await admin.signIn();
  });
  after(() => app.close());

  const credentialOf = async (credentialId: string) => {
    const row = await app.database.db
      .selectFrom('credentials')
      .select('json')
      .where('id', '=', credentialId)
      .executeTakeFirstOrThrow();
    return row.json as unknown as SignedOpenBadgeCredential;
  };

  const awardOf = (learner: BuiltLearner, program: BuiltProgram) =>
    app.database.db
      .selectFrom('issued_awards')
      .selectAll()
      .where('learner_id', '=', learner.id)
      .where('program_id', '=', program.id)
      .executeTakeFirstOrThrow();

  /** Enrolled with every course passed, the courses graded in the given terms and days. */
  async function finished(program: BuiltProgram, work: { term: string; completedOn: string }[]) {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    for (const [index, course] of program.courses.entries()) {
      await aCompletion(app, learner, course, work[index] ?? work.at(-1)!);
    }
    return learner;
  }

  /** One row of a tracking list for a learner, uploaded by the credentials office, committed and issued. */
  async function issuedFromList(learner: BuiltLearner, program: BuiltProgram, rest: string) {
    const csv = [listHeader, `${learner.studentId},${learner.email},A,B,${program.slug},${rest}`].join('\n');
    const listId = listIdFrom(await uploadList(app, office, `list-${program.slug}.csv`, csv));
    // An administrator works for both offices, so one person commits credit and non-credit lists alike.
    const committed = await commitThroughConfirmation(adminBrowser, listId);
    assert.equal(committed.statusCode, 303);
    await app.services.trackingLists.processList(listId);
    return awardOf(learner, program);
  }

  test("a hybrid program's non-credit cohort gets a badge that claims no credits; its credit cohort claims them", async () => {
    const program = await aProgram(app, { creditType: 'hybrid', credits: { min: 6, max: 6 } });
    const work = [{ term: '2026 Spring', completedOn: '2026-06-12' }];
    const nonCredit = await issuedFromList(
      await finished(program, work),
      program,
      '2026-06-12,2026 Spring,non_credit',
    );
    const credit = await issuedFromList(
      await finished(program, work),
      program,
      '2026-06-12,2026 Spring,credit',
    );

    const nonCreditSubject = (await credentialOf(nonCredit.credential_id)).credentialSubject;
    assert.equal(nonCredit.credits, 0);
    assert.equal('creditsEarned' in nonCreditSubject, false, 'a non-credit badge claims no credits earned');
    assert.equal(
      nonCreditSubject.achievement.creditsAvailable,
      6,
      'the achievement still says what it offers',
    );
    assert.equal((await credentialOf(credit.credential_id)).credentialSubject.creditsEarned, 6);
  });

  test('a non-credit program issued through the API claims no credits, and refuses a number of them', async () => {
    const program = await aProgram(app, { creditType: 'non_credit' });
    const learner = await aLearner(app);
    const issued = await app.services.credentials.issueCredential(admin, {
      programId: program.id,
      learner: { email: learner.email },
    });
    assert.equal('creditsEarned' in issued.credential.credentialSubject, false);
    await assert.rejects(
      app.services.credentials.issueCredential(admin, {
        programId: program.id,
        learner: { email: learner.email },
        creditsEarned: 3,
      }),
      (error: { fields?: { field: string; reason: string }[] }) =>
        error.fields?.[0]?.field === 'creditsEarned' && /non-credit/.test(error.fields[0].reason),
    );
  });

  test('a tracking-list badge is dated the day it is issued and carries the completion day and term of its row', async () => {
    const program = await aProgram(app, { creditType: 'credit' });
    const learner = await finished(program, [{ term: '2026 Spring', completedOn: '2026-05-20' }]);
    const award = await issuedFromList(learner, program, '2026-05-20,2026 Spring,credit');
    const credential = await credentialOf(award.credential_id);
    assert.equal(credential.validFrom, '2026-11-25T15:00:00Z', 'not back-dated to the completion day');
    assert.equal(credential.awardedDate, '2026-11-25T15:00:00Z');
    assert.equal(credential.credentialSubject.activityEndDate, '2026-05-20T00:00:00Z');
    assert.equal(credential.credentialSubject.term, '2026 Spring');
    assert.deepEqual([award.term, award.completion_date], ['2026 Spring', '2026-05-20']);
  });

  test("a request's badge and the registrar's notation carry the term and day the last requirement was met", async () => {
    const program = await aProgram(app, { creditType: 'credit' });
    const learner = await finished(program, [
      { term: '2025 Fall', completedOn: '2025-12-12' },
      { term: '2026 Winter', completedOn: '2026-03-20' },
    ]);
    const request = await app.services.badgeRequests.requestBadge(learner.account!, program.slug);
    await app.services.badgeRequests.decide(admin, request.id, 'approve', '');
    const outcome = await app.services.issuing.issueApprovedRequests(registrarClerk, 'registrar', [
      request.id,
    ]);
    const credentialId = outcome.issued[0]!.credentialId;
    const subject = (await credentialOf(credentialId)).credentialSubject;
    assert.equal(subject.term, '2026 Winter');
    assert.equal(subject.activityEndDate, '2026-03-20T00:00:00Z');

    const exported = await registrar.postForm('/issuing/exports/registrar.csv', {});
    const line = (parse(exported.body, { columns: true }) as Record<string, string>[]).find(
      (row) => row.credential_id === credentialId,
    );
    assert.equal(line?.term, '2026 Winter');
    assert.equal(line?.completion_date, '2026-03-20', 'the day the work was done, not the day of asking');
    assert.equal(line?.issued_on, '2026-11-25');
  });
});
