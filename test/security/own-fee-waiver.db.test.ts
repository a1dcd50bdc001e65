// Attacker's review, separation of duties: staff are learners too. A bursar (or a member of the credentials
// office) whose own badge charged a fee to their own learner record could waive that fee themselves, on the
// charge's page or by posting the form. Nobody waives money they owe; another member of staff may.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aLearner,
  anAccount,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type Person,
} from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody waives a fee charged to themselves on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app?.close());

  /** A member of staff holding `role` whose own learner record was charged for a badge. */
  const ownCharge = async (role: 'bursar' | 'credentials_office') => {
    const staff: Person = await anAccount(app, { roles: ['learner', role] });
    const record = await aLearner(app, { account: staff, name: staff.name });
    const program = await aProgram(app, { creditType: 'non_credit', feeCents: 4500 });
    const badge = await anIssuedBadge(app, { learner: record, program });
    const charge = (await app.services.billing.chargeForCredentialId(badge.credentialId))!;
    assert.equal(charge.status, 'posted');
    return { staff, charge };
  };
  const statusOf = async (id: string) => (await app.services.billing.findCharge(id)).status;

  for (const role of ['bursar', 'credentials_office'] as const) {
    test(`a ${role} cannot waive their own fee, on the page or by post; another may`, async () => {
      const { staff, charge } = await ownCharge(role);
      const browser = await staff.signIn();

      const page = await browser.get(`/billing/charges/${charge.id}`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, new RegExp(`/billing/charges/${charge.id}/waive`));
      assert.match(textOf(page.body), /charged to you: another person must decide/i);

      const refused = await browser.postForm(`/billing/charges/${charge.id}/waive`, { reason: 'Covered.' });
      assert.equal(refused.statusCode, 403);
      assert.equal(await statusOf(charge.id), 'posted');

      const colleague = await (await aStaffMember(app, role)).signIn();
      const waived = await colleague.postForm(`/billing/charges/${charge.id}/waive`, {
        reason: 'Scholarship.',
      });
      assert.equal(waived.statusCode, 303);
      assert.equal(await statusOf(charge.id), 'waived');
    });
  }
});
