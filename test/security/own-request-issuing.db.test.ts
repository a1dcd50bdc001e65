// Attacker's review, separation of duties: a member of the credentials office who is also a learner asks for a
// badge, and a colleague approves it. The request then waits in the office's queue, where its holder could tick it
// and issue it (sign the badge, charge the fee) themselves: deciding on their own badge, which the tracking lists
// already refuse. The queue shows them their request without offering it; a colleague issues it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aBadgeRequest,
  aLearner,
  anAccount,
  anInstitution,
  aProgram,
  aStaffMember,
} from '../support/builders.ts';
import { assertGrewBy, counts, issueThroughSummary, textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody issues their own badge request on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app?.close());

  const statusOf = async (requestId: string) =>
    (
      await app.database.db
        .selectFrom('badge_requests')
        .select('status')
        .where('id', '=', requestId)
        .executeTakeFirstOrThrow()
    ).status;

  test('the holder is not offered it, and is refused on the summary and by post; a colleague issues it', async () => {
    const office = 'credentials_office';
    const staff = await anAccount(app, { roles: ['learner', office] });
    const record = await aLearner(app, { account: staff, name: staff.name });
    const program = await aProgram(app, { creditType: 'non_credit' });
    const own = (await aBadgeRequest(app, { learner: record, program })).request;
    const other = (await aBadgeRequest(app, { program })).request;
    const approver = await aStaffMember(app, 'admin');
    for (const request of [own, other]) {
      await app.services.badgeRequests.decide(approver, request.id, 'approve', '');
    }

    const browser = await staff.signIn();
    const queue = await browser.get(`/issuing?office=${office}`);
    assert.equal(queue.statusCode, 200);
    assert.match(textOf(queue.body), new RegExp(`${staff.name} .*Your own: another person issues it`));
    assert.doesNotMatch(queue.body, new RegExp(`value="${own.id}"`));
    assert.match(queue.body, new RegExp(`name="requestIds" value="${other.id}"`));

    const summary = textOf((await browser.get(`/issuing/issue/confirm?office=${office}&one=${own.id}`)).body);
    assert.match(summary, /is your own badge request: another person must issue it/);

    const before = await counts(app);
    const alone = await issueThroughSummary(browser, office, [own.id]);
    assert.equal(alone.statusCode, 409);
    assert.match(textOf(alone.body), /is your own badge request: another person must issue it/);
    // Chosen with a colleague's learner, theirs goes through and the holder's own stays waiting.
    const both = await issueThroughSummary(browser, office, [own.id, other.id]);
    assert.equal(both.statusCode, 303);
    assertGrewBy(before, await counts(app), 1, ['credentials', 'fee_charges', 'issued_awards']);
    assert.deepEqual([await statusOf(own.id), await statusOf(other.id)], ['approved', 'issued']);
    // The service refuses it too when called without the summary (the demo seed and the builders issue so).
    const direct = await app.services.issuing.issueApprovedRequests(staff, office, [own.id]);
    assert.deepEqual(
      direct.refused.map((r) => r.reason),
      ['is your own badge request: another person must issue it.'],
    );
    assert.equal(await statusOf(own.id), 'approved');

    const colleague = await (await aStaffMember(app, office)).signIn();
    assert.match((await colleague.get(`/issuing?office=${office}`)).body, new RegExp(`value="${own.id}"`));
    assert.equal((await issueThroughSummary(colleague, office, [own.id])).statusCode, 303);
    assert.equal(await statusOf(own.id), 'issued');
  });
});
