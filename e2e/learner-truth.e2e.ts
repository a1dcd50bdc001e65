import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { approvedRequests, staff } from '../test/support/issuing.ts';

// The pages issue 17's learner points changed: a grade pending its term's end (import report and the learner's
// progress), and a fee flagged for the bursar after its badge was revoked as issued in error.
describe('pending grades and fees to review in Chromium', () => {
  const served = useServedApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });

  test('a grade for a term under way is shown as pending on the import report and the learner’s progress', async () => {
    const app = served.app;
    const result = await app.services.completionImports.importCompletions(
      { system: 'e2e' },
      Readable.from([
        Buffer.from('student_id,course_code,term,grade,credits\nC00012345,MATH 344,2026 Fall,A,4\n'),
      ]),
      'fall-grades.csv',
      'cli',
    );
    assert.equal(result.pendingTermEnd, 1);

    const registrarContext = await served.browser.newContext({ bypassCSP: true });
    const registrar = await registrarContext.newPage();
    await signIn(registrar, served.baseUrl, staff.registrar, DEMO_PASSWORD);
    await registrar.goto(`${served.baseUrl}/learners/imports/${result.id}`);
    await registrar.getByRole('heading', { level: 2, name: 'Graded, pending term end (1)' }).waitFor();
    await checkPage(registrar, 'import-report-pending');

    const learnerContext = await served.browser.newContext({ bypassCSP: true });
    const learner = await learnerContext.newPage();
    await signIn(learner, served.baseUrl, staff.learner, DEMO_PASSWORD);
    await learner.goto(`${served.baseUrl}/progress`);
    await learner.getByText('MATH 344 (2026 Fall): counts from December 12, 2026').waitFor();
    await checkPage(learner, 'progress-pending-grade');
  });

  test('the bursar sees a fee to review after its badge was revoked as issued in error', async () => {
    const app = served.app;
    const db = app.database.db;
    const registrarActor = await app.services.accounts.verifiedAccountByEmail(db, staff.registrar);
    const credentialsActor = await app.services.accounts.verifiedAccountByEmail(db, staff.credentials);
    const request = (await approvedRequests(app))[0]!;
    let credentialId: string | undefined;
    for (const [actor, office] of [
      [registrarActor!, 'registrar'],
      [credentialsActor!, 'credentials_office'],
    ] as const) {
      const outcome = await app.services.issuing.issueApprovedRequests(actor, office, [request.id]);
      credentialId ??= outcome.issued[0]?.credentialId;
    }
    assert.ok(credentialId);
    const admin = await app.services.accounts.verifiedAccountByEmail(db, staff.admin);
    await app.services.credentials.changeStatus(
      admin!,
      credentialId,
      'revoke',
      'Issued to the wrong cohort',
      {
        category: 'issued_in_error',
      },
    );

    const context = await served.browser.newContext({ bypassCSP: true });
    const bursar = await context.newPage();
    await signIn(bursar, served.baseUrl, staff.bursar, DEMO_PASSWORD);
    await bursar.goto(`${served.baseUrl}/billing`);
    await bursar.getByText('1 charge needs your review').waitFor();
    await checkPage(bursar, 'billing-fee-to-review');
  });
});
