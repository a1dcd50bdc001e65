// Issue 18: identity providers decide who is whom on the site, so only administrators configure them; their client
// secrets are sealed and never shown back to anyone (not the page, the API, nor the audit log); switching staff
// passwords off always leaves a break-glass administrator; a test sign-in shows the administrator what the
// provider sends without signing anyone in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount, TEST_PASSWORD } from '../support/builders.ts';
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { auditOf, returnToApp, ssoAppOptions } from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('single sign-on settings', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let admin: BrowserSession;
  let providerId = '';

  before(async () => {
    app = await startTestApp(ssoAppOptions());
    idp = await startOidcProvider({ redirectUri: `${app.config.publicUrl}/sso/oidc/callback` });
    idp.accounts.set('tester', {
      password: 'tester-pw',
      claims: {
        email: 'tester@campus.example.edu',
        email_verified: true,
        student_id: 'T-42',
        groups: ['staff'],
      },
    });
    admin = await (await anAccount(app, { roles: ['admin'] })).signIn();
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  const providerForm = (fields: Record<string, string> = {}) => ({
    buttonLabel: 'Campus account',
    slug: 'campus',
    protocol: 'oidc',
    discoveryUrl: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    studentIdClaim: 'student_id',
    groupsClaim: 'groups',
    roleMap: 'staff = program_lead',
    emailDomains: 'campus.example.edu',
    isEnabled: 'on',
    ...fields,
  });

  test('an administrator adds a provider; its secret is sealed and never shown back', async () => {
    const added = await admin.postForm('/admin/sso/providers', providerForm());
    assert.equal(added.statusCode, 303, added.body.slice(0, 500));
    const [listed] = (await admin.get('/api/sso/providers')).json() as {
      id: string;
      hasClientSecret: boolean;
    }[];
    assert.ok(listed?.hasClientSecret);
    providerId = listed!.id;
    const pages = [
      await admin.get('/admin/sso'),
      await admin.get(`/admin/sso/providers/${providerId}`),
      await admin.get('/api/sso/providers'),
      await admin.get('/admin/audit?action=sso.'),
    ];
    for (const page of pages) {
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, new RegExp(idp.clientSecret));
    }
    const audit = await auditOf(app, 'sso.provider_added');
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(idp.clientSecret));
    assert.match((await admin.get(`/admin/sso/providers/${providerId}`)).body, /A secret is set/);
  });

  test('an empty secret keeps the stored one and a new one replaces it', async () => {
    const sealedNow = async () => JSON.stringify(await auditOf(app, 'sso.provider_changed'));
    const kept = await admin.postForm(
      `/admin/sso/providers/${providerId}`,
      providerForm({ clientSecret: '' }),
    );
    assert.equal(kept.statusCode, 303);
    assert.match(await sealedNow(), /"clientSecret":"kept"/);
    const replaced = await admin.postForm(
      `/admin/sso/providers/${providerId}`,
      providerForm({ clientSecret: 'another-secret-value' }),
    );
    assert.equal(replaced.statusCode, 303);
    assert.match(await sealedNow(), /"clientSecret":"replaced"/);
    // Put the real one back for the tests below.
    await admin.postForm(`/admin/sso/providers/${providerId}`, providerForm());
  });

  test('bad settings are refused field by field, on the page (400) and in the API (422)', async () => {
    const page = await admin.postForm(
      '/admin/sso/providers',
      providerForm({
        slug: 'Not A Slug',
        discoveryUrl: 'http://idp.example.edu/',
        roleMap: 'staff = wizard',
      }),
    );
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /Short name must be 1 to 40 lower-case letters/);
    assert.match(page.body, /Discovery address must use https/);
    assert.match(page.body, /Roles from groups must read/);
    const headers = await admin.apiHeaders();
    const api = await app.http.inject({
      method: 'POST',
      url: '/api/sso/providers',
      headers,
      payload: { slug: 'x', buttonLabel: 'X', protocol: 'oidc', discoveryUrl: 'ftp://nope' },
    });
    assert.equal(api.statusCode, 422);
    const fields = (api.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    assert.deepEqual(fields.sort(), ['clientId', 'discoveryUrl']);
  });

  test('only administrators see or change single sign-on', async () => {
    const registrar = await (await anAccount(app, { roles: ['registrar'] })).signIn();
    assert.equal((await registrar.get('/admin/sso')).statusCode, 403);
    assert.equal((await registrar.get('/api/sso/providers')).statusCode, 403);
    const post = await registrar.postForm('/admin/sso/providers', providerForm({ slug: 'sneaky' }));
    assert.equal(post.statusCode, 403);
    const test = await registrar.get(`/admin/sso/providers/${providerId}/test`);
    assert.equal(test.statusCode, 403);
  });

  test('a test sign-in shows the administrator what the provider sent and signs nobody in', async () => {
    const started = await admin.get(`/admin/sso/providers/${providerId}/test`);
    assert.equal(started.statusCode, 303);
    const callback = await signInAtProvider(String(started.headers.location), 'tester', 'tester-pw');
    const page = await returnToApp(admin, callback);
    assert.equal(page.statusCode, 200, JSON.stringify((await auditOf(app, 'sso.sign_in_failed'))[0]?.after));
    assert.match(page.body, /tester@campus\.example\.edu/);
    assert.match(page.body, /T-42/);
    assert.match(page.body, /program_lead/);
    assert.equal(
      await app.services.accounts.findUserWithin(app.database.db, { email: 'tester@campus.example.edu' }),
      undefined,
    );
    assert.equal((await auditOf(app, 'sso.test_sign_in')).length, 1);
  });

  test('switching staff passwords off needs a break-glass administrator, who keeps theirs', async () => {
    const breakGlass = await anAccount(app, { roles: ['admin'] });
    const lead = await anAccount(app, { roles: ['program_lead'] });
    const learner = await anAccount(app, { roles: ['learner'] });
    const refused = await admin.postForm('/admin/sso/settings', {
      staffPasswordsOff: 'off',
      breakGlassUserId: '',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Break-glass administrator must be an active administrator/);
    const saved = await admin.postForm('/admin/sso/settings', {
      staffPasswordsOff: 'off',
      breakGlassUserId: breakGlass.id,
    });
    assert.equal(saved.statusCode, 303);
    const attempt = (email: string) =>
      new BrowserSession(app).postForm('/login', { email, password: TEST_PASSWORD });
    assert.equal((await attempt(lead.email)).statusCode, 401, 'staff must use the provider');
    assert.equal(
      (await attempt(breakGlass.email)).statusCode,
      303,
      'the break-glass administrator still can',
    );
    assert.equal((await attempt(learner.email)).statusCode, 303, 'learners keep their passwords');
    const [refusal] = await auditOf(app, 'account.login_failed');
    assert.match(JSON.stringify(refusal?.after), /password_sign_in_off_for_staff/);
    await admin.postForm('/admin/sso/settings', { staffPasswordsOff: 'on', breakGlassUserId: breakGlass.id });
    assert.equal((await attempt(lead.email)).statusCode, 303, 'switched back on, staff passwords work again');
  });

  test('a test sign-in started by one administrator is not shown to another', async () => {
    const started = await admin.get(`/admin/sso/providers/${providerId}/test`);
    const callback = await signInAtProvider(String(started.headers.location), 'tester', 'tester-pw');
    const other = await (await anAccount(app, { roles: ['admin'] })).signIn();
    // The other administrator has the attempt cookie too (say it leaked): the answer is still not theirs.
    other.cookies.set('stackable_sso', admin.cookies.get('stackable_sso')!);
    const page = await returnToApp(other, callback);
    assert.equal(page.statusCode, 401);
    assert.doesNotMatch(page.body, /tester@campus\.example\.edu/);
  });
});
