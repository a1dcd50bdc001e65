import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aBadgeRequest,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltLearner,
} from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`a learner sees their money on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
    await anInstitution(app);
  });
  after(() => app?.close());

  test('the fee is on the progress page before the learner requests the badge', async () => {
    const program = await aProgram(app, { feeCents: 4250 });
    const { learner, request } = await aBadgeRequest(app, { program });
    // Back to "met, not yet requested": the request is withdrawn, so the request form shows again.
    await app.services.badgeRequests.withdraw(learner.account!, request.id);
    const page = textOf((await (await learner.account!.signIn()).get('/progress')).body);
    assert.match(page, /Request my badge/);
    assert.match(page, /Fee: \$42\.50 ?, charged to your student account when the badge is issued/);
  });

  test('a program without a fee says so before the request', async () => {
    const program = await aProgram(app, { feeCents: 0 });
    const { learner, request } = await aBadgeRequest(app, { program });
    await app.services.badgeRequests.withdraw(learner.account!, request.id);
    const page = textOf((await (await learner.account!.signIn()).get('/progress')).body);
    assert.match(page, /There is no fee for this badge/);
  });

  test('the account page lists charges, waivers and reversals, with totals', async () => {
    const bursar = await aStaffMember(app, 'bursar');
    const first = await anIssuedBadge(app, {
      program: await aProgram(app, { title: 'Kept Fee', feeCents: 1000 }),
    });
    const learner: BuiltLearner = first.learner;
    const waived = await anIssuedBadge(app, {
      learner,
      program: await aProgram(app, { title: 'Waived Fee', feeCents: 2000 }),
    });
    const waivedCharge = (await app.services.billing.chargeForCredentialId(waived.credentialId))!;
    await app.services.billing.waiveCharge(bursar, waivedCharge.id, 'Scholarship 2026');
    // Exported first, then waived: a reversal.
    await app.services.billing.exportForBursar(bursar);
    const reversed = await anIssuedBadge(app, {
      learner,
      program: await aProgram(app, { title: 'Reversed Fee', feeCents: 3000 }),
    });
    await app.services.billing.exportForBursar(bursar);
    const reversedCharge = (await app.services.billing.chargeForCredentialId(reversed.credentialId))!;
    await app.services.billing.waiveCharge(bursar, reversedCharge.id, 'Charged in error');

    const response = await (await learner.account!.signIn()).get('/billing/my-account');
    assert.equal(response.statusCode, 200);
    const page = textOf(response.body);
    assert.match(page, /Kept Fee November 25, 2026 \$10\.00 Charged to your student account/);
    assert.match(
      page,
      /Waived Fee November 25, 2026 \$20\.00 Waived: you were not charged on November 25, 2026/,
    );
    assert.match(page, /Reason: Scholarship 2026/);
    assert.match(page, /Reversed Fee November 25, 2026 \$30\.00 Reversed: credited back/);
    assert.match(page, /\$10\.00 Charged/);
    assert.match(page, /\$20\.00 Waived Never charged/);
    assert.match(page, /\$30\.00 Reversed Credited back/);
  });

  test("the learner's home links to the account page", async () => {
    const { learner } = await aBadgeRequest(app);
    const home = (await (await learner.account!.signIn()).get('/home')).body;
    assert.match(home, /href="\/billing\/my-account"/);
  });
});
