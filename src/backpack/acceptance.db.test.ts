import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anIssuedBadge, aStaffMember, type BuiltLearner } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

// Issue 19, point 1: a new badge is private until its learner accepts it; the credential file verifies regardless.
describe(`accepting a badge before it is shared on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  async function aNewBadge() {
    const learner = await aLearner(app, { name: `Tamsin Okonkwo-${Date.now() % 100000}` });
    const { credentialId } = await anIssuedBadge(app, { learner });
    return {
      learner: learner as BuiltLearner & { account: NonNullable<BuiltLearner['account']> },
      id: credentialId,
    };
  }

  test('a new badge is not shared and does not name its learner, while its file still verifies', async () => {
    const { learner, id } = await aNewBadge();
    const page = await new BrowserSession(app).get(`/badges/${id}`);
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /has not shared this badge/);
    assert.ok(!page.body.includes(learner.name));

    const file = (await app.services.credentials.find(id))!.json;
    const report = await app.services.verification.verifyObject(file);
    assert.equal(report.verified, true);
    assert.ok(!JSON.stringify(report).includes(learner.name), 'the report names nobody before acceptance');

    // The learner sees their own page, told that it is private until they accept.
    const own = await (await learner.account.signIn()).get(`/badges/${id}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /until you accept the badge/);
  });

  test('accepting shares the page; declining makes it private again; it can be accepted later', async () => {
    const { learner, id } = await aNewBadge();
    const browser = await learner.account.signIn();
    const anonymous = new BrowserSession(app);
    assert.equal((await browser.postForm(`/backpack/${id}/accept`, {})).statusCode, 303);
    const shared = await anonymous.get(`/badges/${id}`);
    assert.equal(shared.statusCode, 200);
    assert.match(shared.body, new RegExp(`Earned by</dt><dd>${learner.name}`));

    assert.equal((await browser.postForm(`/backpack/${id}/decline`, {})).statusCode, 303);
    assert.equal((await new BrowserSession(app).get(`/badges/${id}`)).statusCode, 404);
    assert.match((await browser.get('/backpack')).body, /You declined this badge/);

    await browser.postForm(`/backpack/${id}/accept`, {});
    assert.equal((await new BrowserSession(app).get(`/badges/${id}`)).statusCode, 200);
    const audit = JSON.stringify(await app.services.audit.list({ entityId: id, limit: 50, offset: 0 }));
    for (const action of ['backpack.accepted', 'backpack.declined'])
      assert.ok(audit.includes(action), action);
  });

  test('staff see whether each issued badge is pending, accepted or declined', async () => {
    const admin = await aStaffMember(app, 'admin');
    const pending = await aNewBadge();
    const accepted = await aNewBadge();
    const declined = await aNewBadge();
    await app.services.backpack.accept(accepted.learner.account, accepted.id);
    await app.services.backpack.decline(declined.learner.account, declined.id);
    const staff = await admin.signIn();
    for (const [badge, answer] of [
      [pending, 'Pending'],
      [accepted, 'Accepted'],
      [declined, 'Declined'],
    ] as const) {
      const record = await staff.get(`/issuing/badges/${badge.id}`);
      assert.match(record.body, new RegExp(`Learner’s answer</dt><dd>${answer}<`));
    }
    const register = await staff.get(`/issuing/badges?search=${encodeURIComponent(accepted.learner.name)}`);
    assert.match(register.body, /<td>Accepted<\/td>/);
  });

  test('someone else cannot accept or decline a learner’s badge', async () => {
    const { id } = await aNewBadge();
    const stranger = await (await aLearner(app)).account!.signIn();
    assert.equal((await stranger.postForm(`/backpack/${id}/accept`, {})).statusCode, 404);
    assert.equal((await stranger.postForm(`/backpack/${id}/decline`, {})).statusCode, 404);
    assert.equal((await new BrowserSession(app).get(`/badges/${id}`)).statusCode, 404);
  });
});
