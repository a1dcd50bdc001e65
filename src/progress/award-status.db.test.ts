// Every page that names a learner's badge says the same thing about it (awardStatusOf), and a badge revoked as
// issued in error leaves its fee flagged for the bursar.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aBadgeRequest,
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
import {
  commitThroughConfirmation,
  issueThroughSummary,
  listIdFrom,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { type AwardStatus, awardStatuses, awardStatusLabels } from './award-status.ts';

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

  test('a requested, approved, issued, claimed and revoked badge reads the same on the staff learner page, the register and the learner’s own pages', async () => {
    const { request, learner, program } = await aBadgeRequest(app, {
      program: await aProgram(app, { creditType: 'non_credit' }),
    });
    const browser = await learner.account!.signIn();
    /** The word each page gives the badge: the learner's progress, the staff record, the lead's page, the register. */
    const words = async () => {
      const progress = textOf((await browser.get('/progress')).body);
      const record = textOf((await adminBrowser.get(`/learners/${learner.id}`)).body);
      const lead = textOf((await adminBrowser.get(`/progress/programs/${program.slug}`)).body);
      const register = textOf((await office.get(`/issuing/badges?search=${learner.studentId}`)).body);
      const after = (text: string, from: string) => text.slice(text.indexOf(from) + from.length);
      const labelIn = (text: string) =>
        awardStatuses
          .map((status) => ({ status, at: text.indexOf(awardStatusLabels[status]) }))
          .filter(({ at }) => at >= 0)
          .sort((a, b) => a.at - b.at)[0]?.status;
      return {
        progress: labelIn(after(progress, 'Badge:')),
        record: labelIn(after(record, program.title)),
        lead: labelIn(after(lead, learner.name)),
        // The program filter lists the title too: the row is the title's last mention.
        register: register.includes('One badge.')
          ? labelIn(register.slice(register.lastIndexOf(program.title)))
          : undefined,
      };
    };
    const expectEverywhere = async (status: AwardStatus, inRegister: boolean) => {
      const said = await words();
      assert.deepEqual(said, {
        progress: status,
        record: status,
        lead: status,
        register: inRegister ? status : undefined,
      });
    };

    await expectEverywhere('requested', false);
    await app.services.badgeRequests.decide(admin, request.id, 'approve', '');
    await expectEverywhere('approved', false);
    const issued = await issueThroughSummary(office, 'credentials_office', [request.id]);
    assert.equal(issued.statusCode, 303);
    await expectEverywhere('issued', true);
    const { credential_id: credentialId } = await app.database.db
      .selectFrom('badge_requests')
      .select('credential_id')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    await app.services.backpack.claimWaiting(learner.account!, credentialId!);
    await expectEverywhere('claimed', true);
    await app.services.credentials.changeStatus(admin, credentialId!, 'revoke', 'Plagiarism', {
      category: 'academic_integrity',
    });
    await expectEverywhere('revoked', true);
    // The register's filter uses the same words: the badge is found under Revoked, not under Claimed.
    const byStatus = async (status: string) =>
      textOf((await office.get(`/issuing/badges?search=${learner.studentId}&status=${status}`)).body);
    assert.match(await byStatus('revoked'), /One badge\./);
    assert.match(await byStatus('claimed'), /No issued badge matches/);
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
