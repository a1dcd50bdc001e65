import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, aStaffMember, TEST_PASSWORD } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { passwordResetJob } from './accounts.service.ts';

async function latestMailTo(app: TestApp, to: string) {
  const rows = await app.services.notifications.list({ to, limit: 1 });
  assert.ok(rows[0], `no mail to ${to}`);
  return rows[0];
}

describe(`accounts on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** A new administrator's e-mail address (each test makes the people it signs in as). */
  const anAdmin = async (name?: string) => (await aStaffMember(app, 'admin', { name })).email;
  /** A new learner's e-mail address; the learner has an account. */
  const aLearnerEmail = async () => (await aLearner(app)).email;

  test('signing in opens a session, lands on the role home, and is audited', async () => {
    const admin = await anAdmin('Noor Haddad');
    const browser = new BrowserSession(app);
    const response = await browser.login(admin, TEST_PASSWORD);
    assert.equal(response.headers.location, '/home');
    const cookie = response.cookies.find((c) => c.name === 'stackable_session');
    assert.ok(cookie?.httpOnly, 'session cookie is HTTP-only');
    assert.equal(cookie?.sameSite, 'Lax');
    const home = await browser.get('/home');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Welcome, Noor Haddad/);
    const entries = await app.services.audit.list({ action: 'account.login', limit: 10, offset: 0 });
    assert.ok(entries.some((e) => e.actor_label.includes(admin)));
  });

  test('a wrong password is refused with a clear message and a failed-login audit entry', async () => {
    const learner = await aLearnerEmail();
    const browser = new BrowserSession(app);
    const response = await browser.postForm('/login', { email: learner, password: 'not the password' });
    assert.equal(response.statusCode, 401);
    assert.match(response.body, /do not match an active account/);
    assert.ok(!response.cookies.some((c) => c.name === 'stackable_session'));
    const entries = await app.services.audit.list({ action: 'account.login_failed', limit: 10, offset: 0 });
    assert.ok(entries.some((e) => JSON.stringify(e.after).includes(learner)));
  });

  test('a form without its CSRF token is refused', async () => {
    const browser = new BrowserSession(app);
    const response = await browser.postForm(
      '/login',
      { email: await anAdmin(), password: TEST_PASSWORD },
      { csrf: false },
    );
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /did not come from this site/);
  });

  test('signing out ends the session', async () => {
    const browser = new BrowserSession(app);
    await browser.login(await aLearnerEmail(), TEST_PASSWORD);
    const token = browser.cookies.get('stackable_session');
    await browser.postForm('/logout', {});
    assert.equal(browser.cookies.has('stackable_session'), false);
    const stale = await app.http.inject({ url: '/home', headers: { cookie: `stackable_session=${token}` } });
    assert.equal(stale.statusCode, 303);
    assert.match(String(stale.headers.location), /^\/login\?next=/);
  });

  test('pages are closed to roles that do not hold them', async () => {
    const anonymous = await app.http.inject({ url: '/admin/users' });
    assert.equal(anonymous.statusCode, 303);
    const browser = new BrowserSession(app);
    await browser.login(await aLearnerEmail(), TEST_PASSWORD);
    const refused = await browser.get('/admin/users');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /does not have a role/);
  });

  test('a password reset link works once and replaces the password', async () => {
    const browser = new BrowserSession(app);
    const { email } = await aStaffMember(app, 'bursar');
    const sent = await browser.postForm('/password/forgot', { email });
    assert.match(sent.body, /reset link is on its way/);
    // The request only queues the reset job (this app runs no workers); run it as a worker would.
    await app.jobs.run(passwordResetJob, { email, ip: null });
    const mail = await latestMailTo(app, email);
    const link = /(\/password\/reset\?token=[\w-]+)/.exec(mail.text_body)?.[1];
    assert.ok(link, 'the mail holds a reset link');
    const token = new URL(link, 'http://x').searchParams.get('token')!;

    const mismatch = await browser.postForm('/password/reset', {
      token,
      password: 'new-password-123',
      confirm: 'other',
    });
    assert.equal(mismatch.statusCode, 400);
    const tooShort = await browser.postForm('/password/reset', {
      token,
      password: 'short',
      confirm: 'short',
    });
    assert.equal(tooShort.statusCode, 400);
    assert.match(tooShort.body, /at least 10 characters/);

    const done = await browser.postForm('/password/reset', {
      token,
      password: 'a brand new passphrase',
      confirm: 'a brand new passphrase',
    });
    assert.equal(done.statusCode, 303);
    // The sign-in page it lands on says the password is set.
    const landing = await browser.get(String(done.headers.location));
    assert.match(landing.body, /role="status"[^>]*><p>Your password is set\. Sign in with it now\.<\/p>/);
    const reused = await browser.get(link);
    assert.equal(reused.statusCode, 410);
    await browser.login(email, 'a brand new passphrase');
    await assert.rejects(new BrowserSession(app).login(email, TEST_PASSWORD));
  });

  test('a reset request for an unknown address looks the same and sends nothing', async () => {
    const browser = new BrowserSession(app);
    const response = await browser.postForm('/password/forgot', { email: 'nobody@example.org' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /reset link is on its way/);
    await app.jobs.run(passwordResetJob, { email: 'nobody@example.org', ip: null });
    assert.equal((await app.services.notifications.list({ to: 'nobody@example.org' })).length, 0);
  });

  test('an administrator invites a person with roles, who then sets a password and signs in', async () => {
    const admin = await anAdmin();
    const browser = new BrowserSession(app);
    await browser.login(admin, TEST_PASSWORD);
    const invalid = await browser.postForm('/admin/users', { name: 'X', email: 'not-an-email' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /must be an e-mail address/);
    const invited = await browser.postForm('/admin/users', {
      name: 'Sam Rivera',
      email: 'sam.rivera@builders.example',
      roles: ['approver', 'program_lead'],
    });
    assert.equal(invited.statusCode, 303);
    const mail = await latestMailTo(app, 'sam.rivera@builders.example');
    const token = /invitation\?token=([\w-]+)/.exec(mail.text_body)?.[1];
    assert.ok(token);
    const guest = new BrowserSession(app);
    const accepted = await guest.postForm('/invitation', {
      token,
      password: 'sam chooses this',
      confirm: 'sam chooses this',
    });
    assert.equal(accepted.statusCode, 303);
    await guest.login('sam.rivera@builders.example', 'sam chooses this');
    const home = await guest.get('/home');
    assert.match(home.body, /Approver/);
    assert.match(home.body, /Programs I lead/);
  });

  test('roles can be changed, and an administrator cannot change their own roles', async () => {
    const admin = await anAdmin();
    const browser = new BrowserSession(app);
    await browser.login(admin, TEST_PASSWORD);
    const self = (await app.services.accounts.listUsers(admin))[0]!;
    const refused = await browser.postForm(`/admin/users/${self.id}/roles`, { roles: ['learner'] });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /cannot change your own roles/);
    const registrar = await aStaffMember(app, 'registrar');
    const saved = await browser.postForm(`/admin/users/${registrar.id}/roles`, {
      roles: ['registrar', 'bursar'],
    });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual((await app.services.accounts.findUser(registrar.id))?.roles, ['bursar', 'registrar']);
    const audit = await browser.get('/admin/audit?action=account.roles_changed');
    assert.match(audit.body, /account\.roles_changed/);
    assert.doesNotMatch(audit.body, /Older entries|Newer entries/, 'one short page needs no pager');

    // Enough entries for two pages of 50: page 1 links to older ones, page 2 back to newer ones.
    await app.services.audit.recordMany(
      app.database.db,
      { system: 'test' },
      Array.from({ length: 60 }, (_, i) => ({ action: 'test.filler', entityType: 'test', entityId: `${i}` })),
    );
    const first = await browser.get('/admin/audit');
    assert.match(first.body, /<a href="\/admin\/audit\?page=2">Older entries<\/a>/);
    assert.doesNotMatch(first.body, /Newer entries/);
    const second = await browser.get('/admin/audit?page=2');
    assert.match(second.body, /<a href="\/admin\/audit\?page=1">Newer entries<\/a>/);
  });

  test('repeated failed sign-ins for one address are slowed down', async () => {
    const { email: approver } = await aStaffMember(app, 'approver');
    const browser = new BrowserSession(app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await browser.postForm('/login', { email: approver, password: 'wrong' })).statusCode);
    }
    // Five failures are free; from then on the account waits (see sign-in-limits.ts), then the address does too.
    assert.deepEqual(statuses.slice(0, 5), Array(5).fill(401));
    assert.deepEqual(statuses.slice(5), Array(6).fill(429));
  });
});
