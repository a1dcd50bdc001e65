// Attacker's review, separation of duties: a member of the records offices who is also a learner types a
// student ID into their own record (on enrolling, or asking to return) and then confirms it themselves. The
// confirmation hands over whatever the student system holds for that ID (completions held back for it are taken
// on the next import), so whoever typed the ID must not be the one who checks it. Another member of staff may.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aLearner, anAccount, aStaffMember } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody confirms their own student ID on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  const isConfirmed = async (learnerId: string) =>
    (
      await app.database.db
        .selectFrom('learners')
        .select('identity_confirmed')
        .where('id', '=', learnerId)
        .executeTakeFirstOrThrow()
    ).identity_confirmed;

  for (const role of ['registrar', 'credentials_office', 'admin'] as const) {
    test(`a ${role} cannot confirm the student ID on their own record, on the page or by post; another may`, async () => {
      const staff = await anAccount(app, { roles: ['learner', role] });
      const record = await aLearner(app, { account: staff, identityConfirmed: false });
      const browser = await staff.signIn();

      const page = await browser.get(`/learners/${record.id}`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, new RegExp(`/learners/${record.id}/identity`));
      assert.match(textOf(page.body), /your own learner record: another member of staff must confirm/i);

      const refused = await browser.postForm(`/learners/${record.id}/identity`, { identityVerified: 'yes' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await isConfirmed(record.id), false);

      const colleague = await (await aStaffMember(app, role)).signIn();
      assert.match((await colleague.get(`/learners/${record.id}`)).body, /\/identity"/);
      const confirmed = await colleague.postForm(`/learners/${record.id}/identity`, {
        identityVerified: 'yes',
      });
      assert.equal(confirmed.statusCode, 303);
      assert.equal(await isConfirmed(record.id), true);
    });
  }
});
