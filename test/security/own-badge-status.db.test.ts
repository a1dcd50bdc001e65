// Attacker's review, separation of duties: a member of the issuing office who is also a learner holds one of the
// office's badges. A colleague suspends it; the holder could lift the suspension themselves from the register's
// page, or through the status API with their session. Nobody changes the status of their own badge; another
// member of the office may.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aLearner,
  anAccount,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
} from '../support/builders.ts';
import { credentialStatus, textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody changes the status of their own badge on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    await app.database.db.updateTable('institution').set({ allow_suspension: true }).execute();
  });
  after(() => app?.close());

  test('the holder cannot reinstate their own suspended badge, on the page or through the API; a colleague can', async () => {
    const staff = await anAccount(app, { roles: ['learner', 'credentials_office'] });
    const record = await aLearner(app, { account: staff, name: staff.name });
    const program = await aProgram(app, { creditType: 'non_credit' });
    const { credentialId } = await anIssuedBadge(app, { learner: record, program });
    const colleague = await (await aStaffMember(app, 'credentials_office')).signIn();
    const suspended = await colleague.postForm(`/issuing/badges/${credentialId}/status`, {
      change: 'suspend',
      'suspend-reason': 'Under review.',
    });
    assert.equal(suspended.statusCode, 303);
    assert.equal(await credentialStatus(app, credentialId), 'suspended');

    const browser = await staff.signIn();
    const page = await browser.get(`/issuing/badges/${credentialId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /name="change" value="reinstate"/);
    assert.match(textOf(page.body), /awarded to you: another member of staff must change its status/i);

    const byForm = await browser.postForm(`/issuing/badges/${credentialId}/status`, {
      change: 'reinstate',
      'reinstate-reason': 'Cleared.',
    });
    assert.equal(byForm.statusCode, 403);
    const byApi = await app.http.inject({
      method: 'POST',
      url: `/credentials/${credentialId}/status`,
      headers: { ...(await browser.apiHeaders()), 'content-type': 'application/json' },
      payload: { status: 'active', reason: 'Cleared.' },
    });
    assert.equal(byApi.statusCode, 403);
    assert.equal(await credentialStatus(app, credentialId), 'suspended');

    assert.match((await colleague.get(`/issuing/badges/${credentialId}`)).body, /value="reinstate"/);
    const reinstated = await colleague.postForm(`/issuing/badges/${credentialId}/status`, {
      change: 'reinstate',
      'reinstate-reason': 'Review closed.',
    });
    assert.equal(reinstated.statusCode, 303);
    assert.equal(await credentialStatus(app, credentialId), 'active');
  });
});
