import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anAccount } from '../../test/support/builders.ts';
import { startOidcProvider, type TestOidcProvider } from '../../test/support/oidc-provider.ts';
import {
  anOidcProvider,
  auditOf,
  recordOfAccount,
  signInThroughProvider,
  ssoAppOptions,
} from '../../test/support/sso.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';

describe('signing in through an OpenID Connect provider', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let slug: string;
  before(async () => {
    app = await startTestApp(ssoAppOptions());
    ({ idp, slug } = await anOidcProvider(app, {
      emailDomains: 'campus.example.edu',
      roleMap: 'badge-office = credentials_office\nregistry = registrar',
      groupsClaim: 'groups',
    }));
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  const person = (login: string, claims: Record<string, unknown>) =>
    idp.accounts.set(login, { password: `${login}-password`, claims });

  test('a first sign-in creates the account, links the learner record by student ID and opens a session', async () => {
    const learner = await aLearner(app, { account: false, email: 'ada@elsewhere.example' });
    person('ada', {
      email: 'ada.l@campus.example.edu',
      email_verified: true,
      name: 'Ada Lovelace',
      student_id: learner.studentId,
    });
    const browser = new BrowserSession(app);
    const back = await signInThroughProvider(browser, slug, 'ada', 'ada-password');
    assert.equal(back.statusCode, 303, back.body.slice(0, 400));
    assert.equal(back.headers.location, '/home');
    const home = await browser.get('/home');
    assert.equal(home.statusCode, 200);
    const account = await app.services.accounts.findUserWithin(app.database.db, {
      email: 'ada.l@campus.example.edu',
    });
    assert.ok(account);
    assert.deepEqual(account.roles, ['learner']);
    assert.ok(account.emailVerifiedAt, 'the provider vouched for the address');
    assert.equal(account.passwordHash, null);
    const record = await recordOfAccount(app, account.id);
    assert.equal(record?.id, learner.id);
    const [signedIn] = await auditOf(app, 'sso.signed_in');
    assert.equal((signedIn?.after as { account?: string } | undefined)?.account, 'create');
  });

  test('a second sign-in finds the same account through the provider identity', async () => {
    person('grace', { email: 'grace@campus.example.edu', email_verified: true, name: 'Grace Hopper' });
    await signInThroughProvider(new BrowserSession(app), slug, 'grace', 'grace-password');
    const again = await signInThroughProvider(new BrowserSession(app), slug, 'grace', 'grace-password');
    assert.equal(again.statusCode, 303);
    const [latest] = await auditOf(app, 'sso.signed_in');
    assert.equal((latest?.after as { account?: string } | undefined)?.account, 'returning');
  });

  test('staff roles follow the mapped groups and leave the other roles as granted', async () => {
    const staff = await anAccount(app, {
      email: 'kim@campus.example.edu',
      roles: ['program_lead', 'registrar'],
    });
    person('kim', { email: 'kim@campus.example.edu', email_verified: true, groups: ['badge-office'] });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'kim', 'kim-password');
    assert.equal(back.statusCode, 303);
    const account = await app.services.accounts.findUserWithin(app.database.db, { id: staff.id });
    // registrar is mapped and the groups no longer give it; program_lead is not mapped, so it stays.
    assert.deepEqual(account?.roles, ['credentials_office', 'program_lead']);
  });

  test('signing out ends the local session', async () => {
    person('lin', { email: 'lin@campus.example.edu', email_verified: true });
    const browser = new BrowserSession(app);
    await signInThroughProvider(browser, slug, 'lin', 'lin-password');
    assert.equal((await browser.get('/home')).statusCode, 200);
    const out = await browser.postForm('/logout', {});
    assert.equal(out.statusCode, 303);
    assert.notEqual((await browser.get('/home')).statusCode, 200);
  });

  test('the sign-in page offers the provider', async () => {
    const page = await new BrowserSession(app).get('/login');
    assert.match(page.body, new RegExp(`href="/sso/${slug}/start"`));
  });
});

describe('roles from groups never take the last administrator away', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  before(async () => {
    app = await startTestApp(ssoAppOptions());
    idp = await startOidcProvider({ redirectUri: `${app.config.publicUrl}/sso/oidc/callback` });
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  test('the only administrator keeps the role although their groups no longer give it', async () => {
    const only = await anAccount(app, { email: 'only.admin@campus.example.edu', roles: ['admin'] });
    const { slug } = await app.services.ssoProviders.saveProvider(only, null, {
      slug: 'campus',
      buttonLabel: 'Campus account',
      protocol: 'oidc',
      discoveryUrl: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      roleMap: 'it-admins = admin\nbadge-office = credentials_office',
    });
    idp.accounts.set('only', {
      password: 'pw',
      claims: { email: only.email, email_verified: true, groups: ['badge-office'] },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'only', 'pw');
    assert.equal(back.statusCode, 303);
    const account = await app.services.accounts.findUserWithin(app.database.db, { id: only.id });
    assert.deepEqual(account?.roles, ['admin', 'credentials_office']);
  });
});
