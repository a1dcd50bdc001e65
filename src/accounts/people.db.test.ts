import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../../test/support/backpack.ts';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anAccount, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { readMessage } from '../../test/support/mail.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { createMailer } from '../platform/mail/mailer.ts';

describe(`people and roles on ${testBackend}`, () => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      mailer: createMailer(smtp.url, 'Stackable <no@example.edu>'),
    });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  /** A new administrator, signed in. */
  const anAdmin = async () => {
    const admin = await aStaffMember(app, 'admin');
    return { admin, browser: await admin.signIn() };
  };

  /** Delivers the mail queued for an address (this app runs no workers) and returns the invitation token in it. */
  const invitationTokens = async (address: string) => {
    const queued = await app.services.notifications.list({ to: address, status: 'queued' });
    queued.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    for (const mail of queued) {
      await app.services.notifications.deliver(mail.id);
    }
    return smtp.received
      .filter((m) => m.to.includes(address))
      .map(
        (m) => /invitation\?token=([\w-]+)/.exec(readMessage(m.raw).parts.get('text/plain') ?? '')?.[1] ?? '',
      );
  };

  const audited = async (action: string, userId: string) =>
    (await app.services.audit.list({ action, limit: 100, offset: 0 })).filter((e) => e.entity_id === userId);

  const userIdOf = async (email: string) => (await app.services.accounts.listUsers(email))[0]!.id;

  test('an invitation with several roles arrives by mail; a signer then finds their inbox at home', async () => {
    const { browser } = await anAdmin();
    const sent = await browser.postForm('/admin/users', {
      name: 'Dara Dean',
      email: 'dara.dean@example.edu',
      roles: ['signer', 'approver'],
    });
    assert.equal(sent.statusCode, 303);
    const [token] = await invitationTokens('dara.dean@example.edu');
    assert.ok(token, 'the invitation mail holds its link');
    const dara = new BrowserSession(app);
    await dara.postForm('/invitation', { token, password: 'dara picks this', confirm: 'dara picks this' });
    await dara.login('dara.dean@example.edu', 'dara picks this');
    const home = await dara.get('/home');
    assert.match(home.body, /Signer/);
    assert.match(home.body, /href="\/inbox"/);
    assert.equal((await dara.get('/inbox')).statusCode, 200);
    const [entry] = await audited('account.invited', await userIdOf('dara.dean@example.edu'));
    assert.deepEqual((entry?.after as { roles?: string[] } | undefined)?.roles, ['signer', 'approver']);
  });

  test('an invitation with a bad address or no role is shown again with each problem linked to its field', async () => {
    const { browser } = await anAdmin();
    const refused = await browser.postForm('/admin/users', { name: 'No Roles', email: 'not an address' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<a href="#email">E-mail address must be an e-mail address/);
    assert.match(refused.body, /<a href="#roles">Roles must include at least one role/);
    assert.match(refused.body, /value="No Roles"/);
    assert.match(refused.body, /<input type="checkbox" id="roles"/, 'the summary link has a target');
  });

  test('deactivating ends the sessions at once and stops sign-in; reactivating restores it; both audited', async () => {
    const { browser } = await anAdmin();
    const lead = await aStaffMember(app, 'program_lead');
    const leadBrowser = await lead.signIn();
    assert.equal((await leadBrowser.get('/home')).statusCode, 200);

    assert.equal((await browser.postForm(`/admin/users/${lead.id}/deactivate`, {})).statusCode, 303);
    const after = await leadBrowser.get('/home');
    assert.equal(after.statusCode, 303, 'the open session no longer works');
    await assert.rejects(lead.signIn());
    const page = await browser.get(`/admin/users?q=${encodeURIComponent(lead.email)}`);
    assert.match(page.body, /Deactivated/);
    assert.match(page.body, /Reactivate/);

    assert.equal((await browser.postForm(`/admin/users/${lead.id}/reactivate`, {})).statusCode, 303);
    await lead.signIn();
    assert.equal((await audited('account.deactivated', lead.id)).length, 1);
    assert.equal((await audited('account.reactivated', lead.id)).length, 1);
  });

  test('a reset link sent before deactivation cannot bring the account back', async () => {
    const { admin } = await anAdmin();
    const bursar = await aStaffMember(app, 'bursar');
    await app.services.accounts.sendPasswordReset(bursar.email, null);
    const [mail] = await app.services.notifications.list({ to: bursar.email, limit: 1 });
    const token = /reset\?token=([\w-]+)/.exec(mail?.text_body ?? '')?.[1];
    assert.ok(token);
    await app.services.people.deactivate(admin, bursar.id);
    const guest = new BrowserSession(app);
    const used = await guest.postForm('/password/reset', {
      token,
      password: 'taking it back',
      confirm: 'taking it back',
    });
    assert.equal(used.statusCode, 410);
    assert.equal((await app.services.accounts.findUser(bursar.id))?.status, 'disabled');
  });

  test('resending an invitation mails a new link and the old one dies', async () => {
    const { admin, browser } = await anAdmin();
    const id = await app.services.people.inviteUser(admin, {
      name: 'Remi Resend',
      email: 'remi.resend@example.edu',
      roles: ['registrar'],
    });
    assert.equal((await browser.postForm(`/admin/users/${id}/resend`, {})).statusCode, 303);
    const [old, fresh] = await invitationTokens('remi.resend@example.edu');
    assert.ok(old && fresh && old !== fresh);
    const guest = new BrowserSession(app);
    assert.equal((await guest.get(`/invitation?token=${old}`)).statusCode, 410);
    assert.equal((await guest.get(`/invitation?token=${fresh}`)).statusCode, 200);
    assert.equal((await audited('account.invitation_resent', id)).length, 1);
  });

  test('people are found by name or e-mail, 25 to a page, with links between pages', async () => {
    const { browser } = await anAdmin();
    for (let i = 1; i <= 27; i++) {
      await anAccount(app, {
        name: `Pagewise ${String(i).padStart(2, '0')}`,
        email: `pw${i}@paging.example`,
      });
    }
    const first = await browser.get('/admin/users?q=pagewise');
    assert.match(first.body, /27 people match “pagewise”; page 1 of 2/);
    assert.equal(first.body.match(/<th scope="row">Pagewise/g)?.length, 25);
    assert.match(first.body, /<a href="\/admin\/users\?q=pagewise&amp;page=2">More people<\/a>/);
    const second = await browser.get('/admin/users?q=pagewise&page=2');
    assert.equal(second.body.match(/<th scope="row">Pagewise/g)?.length, 2);
    assert.match(second.body, /Pagewise 27/);
    const byMail = await browser.get('/admin/users?q=pw13%40paging');
    assert.match(byMail.body, /1 person match/);
    const wildcard = await browser.get('/admin/users?q=%25');
    assert.doesNotMatch(wildcard.body, /Pagewise/, 'a typed % is text, not a wildcard');
  });

  test('nobody changes their own account, and the page offers them no such buttons', async () => {
    const { admin, browser } = await anAdmin();
    const page = await browser.get(`/admin/users?q=${encodeURIComponent(admin.email)}`);
    assert.match(page.body, /\(you\)/);
    assert.doesNotMatch(page.body, new RegExp(`/admin/users/${admin.id}/(deactivate|roles)`));
    const refused = await browser.postForm(`/admin/users/${admin.id}/deactivate`, {});
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /ask another administrator/);
    assert.equal((await app.services.accounts.findUser(admin.id))?.status, 'active');
  });

  test('someone who is not an administrator is refused every change', async () => {
    const target = await aStaffMember(app, 'bursar');
    for (const role of ['registrar', 'signer', 'credentials_office'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      assert.equal((await browser.get('/admin/users')).statusCode, 403);
      for (const path of ['deactivate', 'reactivate', 'resend']) {
        assert.equal((await browser.postForm(`/admin/users/${target.id}/${path}`, {})).statusCode, 403, path);
      }
      const roles = await browser.postForm(`/admin/users/${target.id}/roles`, { roles: ['admin'] });
      assert.equal(roles.statusCode, 403);
    }
    const unchanged = await app.services.accounts.findUser(target.id);
    assert.deepEqual([unchanged?.status, unchanged?.roles], ['active', ['bursar']]);
  });

  test('a lead naming signers is offered the people with the signer role', async () => {
    const lead: Person = await aStaffMember(app, 'program_lead');
    const chair = await aStaffMember(app, 'signer', { name: 'Chair Person' });
    const other = await aStaffMember(app, 'registrar', { name: 'Not A Signer' });
    const program = await aProgram(app, { status: 'draft', lead });
    const browser = await lead.signIn();
    const page = await browser.get(`/programs/${program.id}`);
    assert.match(page.body, /<datalist id="signer-people">/);
    assert.match(page.body, new RegExp(`<option value="${chair.email}">Chair Person</option>`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="${other.email}"`));
    const named = await browser.postForm(`/programs/${program.id}/signers`, {
      signer_email: chair.email,
      role_label: 'Department chair',
    });
    assert.equal(named.statusCode, 303);
    const after = await browser.get(`/programs/${program.id}`);
    assert.doesNotMatch(after.body, new RegExp(`<option value="${chair.email}"`), 'named once is enough');
  });
});
