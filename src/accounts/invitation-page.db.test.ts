import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`the invitation page names the account's address, on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** Invites a person as an administrator would and returns the token of the link mailed to them. */
  const invite = async (email: string) => {
    const admin = await aStaffMember(app, 'admin');
    await app.services.people.inviteUser(admin, { name: 'Iris Invitee', email, roles: ['registrar'] });
    const [mail] = await app.services.notifications.list({ to: email, limit: 1 });
    const token = /invitation\?token=([\w-]+)/.exec(mail?.text_body ?? '')?.[1];
    assert.ok(token, 'the invitation mail holds its link');
    return token;
  };

  test('the person opening the link is told which address the account is for', async () => {
    const token = await invite('iris.invitee@example.edu');
    const page = await new BrowserSession(app).get(`/invitation?token=${token}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This account is for <strong>iris\.invitee@example\.edu<\/strong>/);
  });

  test('the address is still shown when the chosen password is refused and the form comes back', async () => {
    const token = await invite('otto.retype@example.edu');
    const guest = new BrowserSession(app);
    const refused = await guest.postForm('/invitation', {
      token,
      password: 'a long enough password',
      confirm: 'not the same password',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /This account is for <strong>otto\.retype@example\.edu<\/strong>/);
  });

  test('a link already used shows no address', async () => {
    const token = await invite('una.used@example.edu');
    const guest = new BrowserSession(app);
    const chosen = { token, password: 'una chose this one', confirm: 'una chose this one' };
    assert.equal((await guest.postForm('/invitation', chosen)).statusCode, 303);
    const spent = await new BrowserSession(app).get(`/invitation?token=${token}`);
    assert.equal(spent.statusCode, 410);
    assert.doesNotMatch(spent.body, /una\.used@example\.edu/);
  });
});
