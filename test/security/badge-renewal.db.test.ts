/**
 * Issue 19, point 7: renewing a badge issues a new signed credential, so only its earner (from the backpack) or
 * the office that issued it (from the badge's record) may ask, each request carries the CSRF token, and another
 * learner or a program lead cannot renew someone else's badge, whatever id they post.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { aCompletion, aCourse, anIssuedBadge, aProgram, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`only the earner or the issuing office renews a badge, on ${testBackend}`, () => {
  const clock = fixedClock('2026-03-01T10:00:00Z');
  let app: TestApp;
  let credentialId: string;
  let owner: Awaited<ReturnType<typeof anIssuedBadge>>['learner'];
  let stranger: Awaited<ReturnType<typeof anIssuedBadge>>['learner'];

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    const refresher = (await aCourse(app)).code;
    const program = await aProgram(app, {
      creditType: 'non_credit',
      validityYears: 1,
      renewalRequirement: { type: 'course', code: refresher },
    });
    const issued = await anIssuedBadge(app, { program });
    credentialId = issued.credentialId;
    owner = issued.learner;
    stranger = (await anIssuedBadge(app, { program: await aProgram(app) })).learner;
    await aCompletion(app, owner, refresher, { completedOn: '2027-01-20' });
    clock.set('2027-02-10T10:00:00Z');
  });
  after(() => app.close());

  const renewals = async () =>
    (
      await app.database.db
        .selectFrom('issued_awards')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('source', '=', 'renewal')
        .executeTakeFirstOrThrow()
    ).n;

  test('another learner posting the badge id is refused and nothing is issued', async () => {
    const browser = await stranger.account!.signIn();
    const response = await browser.postForm(`/backpack/${credentialId}/renew`, {});
    assert.equal(response.statusCode, 403);
    assert.equal(Number(await renewals()), 0);
  });

  test('a program lead cannot reach the office’s renewal', async () => {
    const browser = await (await aStaffMember(app, 'program_lead')).signIn();
    const response = await browser.postForm(`/issuing/badges/${credentialId}/renew`, {});
    assert.equal(response.statusCode, 403);
    assert.equal(Number(await renewals()), 0);
  });

  test('the earner’s request without its CSRF token is refused', async () => {
    const browser = await owner.account!.signIn();
    const response = await browser.postForm(`/backpack/${credentialId}/renew`, {}, { csrf: false });
    assert.equal(response.statusCode, 403);
    assert.equal(Number(await renewals()), 0);
  });

  test('the issuing office renews from the badge’s record, once', async () => {
    const browser = await (await aStaffMember(app, 'credentials_office')).signIn();
    const response = await browser.postForm(`/issuing/badges/${credentialId}/renew`, {});
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    assert.match(String(response.headers.location), /\/issuing\/badges\/[0-9a-f-]{36}\?changed=renewed/);
    const record = await browser.get(String(response.headers.location));
    assert.match(record.body, /the renewal of an earlier badge/);
    const again = await browser.postForm(`/issuing/badges/${credentialId}/renew`, {});
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already renewed/);
    assert.equal(Number(await renewals()), 1);
  });
});
