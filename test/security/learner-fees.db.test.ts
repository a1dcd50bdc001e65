// Issue 17, point 12: a learner's account page lists badge fees. It must only ever show the caller's own
// charges: no learner is named in the address, staff reach charges through their own screens, and nobody
// signed out sees anything.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount, anInstitution, anIssuedBadge, aProgram, aStaffMember } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`a learner's fees are theirs alone on ${testBackend}`, () => {
  let app: TestApp;
  let mine: Awaited<ReturnType<typeof anIssuedBadge>>;
  let theirs: Awaited<ReturnType<typeof anIssuedBadge>>;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    mine = await anIssuedBadge(app, { program: await aProgram(app, { title: 'Mine Only', feeCents: 1100 }) });
    theirs = await anIssuedBadge(app, {
      program: await aProgram(app, { title: 'Someone Elses', feeCents: 2200 }),
    });
  });
  after(() => app?.close());

  test('a learner sees their own charge and nothing of another learner', async () => {
    const browser = await mine.learner.account!.signIn();
    const page = textOf((await browser.get('/billing/my-account')).body);
    assert.match(page, /Mine Only/);
    assert.doesNotMatch(page, /Someone Elses|\$22\.00/);
  });

  test('naming another learner or charge in the address changes nothing', async () => {
    const browser = await mine.learner.account!.signIn();
    const charge = (await app.services.billing.chargeForCredentialId(theirs.credentialId))!;
    for (const url of [
      `/billing/my-account?learner=${theirs.learner.id}`,
      `/billing/my-account?user=${theirs.learner.account!.id}&id=${charge.id}`,
    ]) {
      const page = textOf((await browser.get(url)).body);
      assert.doesNotMatch(page, /Someone Elses/, url);
    }
    // The staff page of one charge stays closed to learners.
    assert.equal((await browser.get(`/billing/charges/${charge.id}`)).statusCode, 403);
  });

  test('staff without the learner role, and people signed out, are refused the page', async () => {
    for (const role of ['bursar', 'credentials_office', 'admin', 'program_lead'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      assert.equal((await browser.get('/billing/my-account')).statusCode, 403, role);
    }
    const anonymous = await new BrowserSession(app).get('/billing/my-account');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/login/);
  });

  test('a learner account with no linked record sees no charge at all', async () => {
    const stranger = await anAccount(app, { roles: ['learner'] });
    const page = textOf((await (await stranger.signIn()).get('/billing/my-account')).body);
    assert.match(page, /No badge fee has been charged to you/);
  });
});
