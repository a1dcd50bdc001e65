// Every page that names a learner's badge says the same thing about it (awardStatusOf), and a badge revoked as
// issued in error leaves its fee flagged for the bursar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { commitThroughConfirmation, listIdFrom, textOf, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`a badge's status on every page on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Person;
  let adminBrowser: BrowserSession;
  let office: BrowserSession;
  let bursar: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
    admin = await aStaffMember(app, 'admin');
    adminBrowser = await admin.signIn();
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
    bursar = await (await aStaffMember(app, 'bursar')).signIn();
  });
  after(() => app.close());

  /** The learner's badge, issued from a non-credit tracking list without any badge request. */
  async function issuedFromList(): Promise<{
    learner: BuiltLearner;
    program: BuiltProgram;
    credentialId: string;
  }> {
    const program = await aProgram(app, { creditType: 'non_credit' });
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    for (const course of program.courses) await aCompletion(app, learner, course);
    const csv = [
      'student_id,email,first_name,last_name,program,completion_date,term,credit_mode',
      `${learner.studentId},${learner.email},A,B,${program.slug},2026-06-12,2026 Spring,non_credit`,
    ].join('\n');
    const listId = listIdFrom(await uploadList(app, office, 'cohort.csv', csv));
    assert.equal((await commitThroughConfirmation(adminBrowser, listId)).statusCode, 303);
    await app.services.trackingLists.processList(listId);
    const row = await app.database.db
      .selectFrom('issued_awards')
      .select('credential_id')
      .where('learner_id', '=', learner.id)
      .executeTakeFirstOrThrow();
    return { learner, program, credentialId: row.credential_id };
  }

  /** What the learner's progress, home and backpack pages and the staff program page say about the badge. */
  async function pagesOf(learner: BuiltLearner, program: BuiltProgram) {
    const browser = await learner.account!.signIn();
    const staffPage = textOf((await adminBrowser.get(`/progress/programs/${program.slug}`)).body);
    return {
      progress: textOf((await browser.get('/progress')).body),
      home: textOf((await browser.get('/home')).body),
      backpack: textOf((await browser.get('/backpack')).body),
      staff: staffPage.slice(staffPage.indexOf(learner.name)),
    };
  }

  test('a badge issued from a tracking list, claimed, then revoked, reads the same on the learner’s and the staff pages', async () => {
    const { learner, program, credentialId } = await issuedFromList();
    const issued = await pagesOf(learner, program);
    assert.match(issued.progress, /Badge: Issued, not yet claimed/);
    assert.doesNotMatch(
      issued.progress,
      /Request my badge/,
      'no request is offered for a badge already issued',
    );
    assert.match(issued.home, new RegExp(`${program.title} — badge: issued, not yet claimed`));
    assert.match(issued.backpack, /Issued, not yet claimed/);
    assert.match(issued.staff, /Issued, not yet claimed/);

    await app.services.backpack.claimWaiting(learner.account!, credentialId);
    const claimed = await pagesOf(learner, program);
    assert.match(claimed.progress, /Badge: Claimed/);
    assert.match(claimed.home, /badge: claimed/);
    assert.match(claimed.backpack, /Claimed on/);
    assert.match(claimed.staff, /Claimed/);

    await app.services.credentials.changeStatus(admin, credentialId, 'revoke', 'Wrong cohort on the list', {
      category: 'issued_in_error',
    });
    const revoked = await pagesOf(learner, program);
    assert.match(revoked.progress, /Badge: Revoked/);
    assert.match(revoked.progress, /Your badge was revoked/);
    assert.match(revoked.home, /badge: revoked/);
    assert.match(revoked.backpack, /Revoked/);
    assert.doesNotMatch(revoked.backpack, /Claimed on/, 'a revoked badge is not shown as claimed');
    assert.match(revoked.staff, /Revoked/);
  });

  test('a fee whose badge was revoked as issued in error is flagged for the bursar; another reason leaves it', async () => {
    const inError = await anIssuedBadge(app, { issuer: admin });
    const misconduct = await anIssuedBadge(app, { issuer: admin });
    await app.services.credentials.changeStatus(
      admin,
      inError.credentialId,
      'revoke',
      'Sent to the wrong person',
      {
        category: 'issued_in_error',
      },
    );
    await app.services.credentials.changeStatus(admin, misconduct.credentialId, 'revoke', 'Plagiarism', {
      category: 'academic_integrity',
    });
    const charges = await app.database.db
      .selectFrom('fee_charges')
      .select(['credential_id', 'status', 'review_reason'])
      .where('credential_id', 'in', [inError.credentialId, misconduct.credentialId])
      .execute();
    const byCredential = new Map(charges.map((c) => [c.credential_id, c]));
    assert.match(byCredential.get(inError.credentialId)?.review_reason ?? '', /revoked as issued in error/);
    assert.equal(
      byCredential.get(inError.credentialId)?.status,
      'posted',
      'the bursar decides; nothing is waived',
    );
    assert.equal(byCredential.get(misconduct.credentialId)?.review_reason, null);

    const ledger = textOf((await bursar.get('/billing')).body);
    // The other test's revocation is in error too, so its fee waits beside this one.
    assert.match(ledger, /2 charges need your review: the badge was revoked as issued in error/);
    assert.match(ledger, new RegExp(`${inError.learner.name} .*Needs review`));
  });
});
