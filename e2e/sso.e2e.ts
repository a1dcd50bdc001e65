import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';
import { startOidcProvider, type TestOidcProvider } from '../test/support/oidc-provider.ts';
import { ssoAppOptions } from '../test/support/sso.ts';

/** The provider's certificate comes from the tests' own CA, which Chromium does not know. */
const atTestProvider = { ignoreHTTPSErrors: true };

describe('single sign-on in Chromium', () => {
  const served = useServedApp({ ...ssoAppOptions(), seed: false, runJobs: false, linksToItself: true });
  let idp: TestOidcProvider | undefined;
  after(async () => idp?.close());

  test('an administrator registers the university provider and tests it; a staff member signs in through it', async () => {
    idp = await startOidcProvider({ redirectUri: `${served.baseUrl}/sso/oidc/callback` });
    idp.accounts.set('rsmith', {
      password: 'provider-password',
      claims: {
        email: 'r.smith@campus.example.edu',
        email_verified: true,
        name: 'Robin Smith',
        groups: ['badge-office'],
      },
    });
    const admin = await aStaffMember(served.app, 'admin');
    const context = await served.browser.newContext({ ...atTestProvider, bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/sso`);
    await page.getByRole('heading', { level: 1, name: 'Single sign-on' }).waitFor();
    await checkPage(page, 'sso-settings');

    await page.getByLabel('Name on the sign-in button').fill('Campus account');
    await page.getByLabel('Short name').fill('campus');
    await page.getByLabel('Discovery address').fill(idp.issuer);
    await page.getByLabel('Client id').fill(idp.clientId);
    await page.getByLabel('Client secret').fill(idp.clientSecret);
    await page.getByLabel('Roles from groups').fill('badge-office = credentials_office');
    await page.getByLabel('E-mail domains').fill('campus.example.edu');
    await page.getByRole('button', { name: 'Add the provider' }).click();
    await page.getByText('The identity provider is added.').waitFor();
    assert.equal(await page.getByText(idp.clientSecret).count(), 0);
    await checkPage(page, 'sso-settings-added');

    await page.getByRole('link', { name: 'Test sign-in with Campus account' }).click();
    await page.getByRole('heading', { name: 'Test university sign-in' }).waitFor();
    await page.getByLabel('Username').fill('rsmith');
    await page.getByLabel('Password').fill('provider-password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: /Test sign-in: what Campus account sent/ }).waitFor();
    assert.ok(await page.getByText('credentials_office').first().isVisible());
    await checkPage(page, 'sso-test-result');
    await context.close();

    // A member of staff, signing in for the first time, through the provider's own page. This browser keeps the
    // site's Content Security Policy, so the round trip is shown to work under it; axe runs in a copy without it.
    const staff = await served.browser.newContext(atTestProvider);
    const staffPage = await staff.newPage();
    await staffPage.goto(`${served.baseUrl}/login`);
    await staffPage.getByRole('link', { name: 'Sign in with Campus account' }).click();
    await staffPage.getByLabel('Username').fill('rsmith');
    await staffPage.getByLabel('Password').fill('provider-password');
    await Promise.all([
      staffPage.waitForURL(/\/home$/),
      staffPage.getByRole('button', { name: 'Continue' }).click(),
    ]);
    const checked = await served.browser.newContext({
      ...atTestProvider,
      bypassCSP: true,
      storageState: await staff.storageState(),
    });
    const checkedPage = await checked.newPage();
    await checkedPage.goto(`${served.baseUrl}/home`);
    await checkPage(checkedPage, 'sso-staff-home');
    await checkedPage.goto(`${served.baseUrl}/login`);
    await checked.clearCookies();
    await checkedPage.goto(`${served.baseUrl}/login`);
    await checkPage(checkedPage, 'sso-login-choices');
    await checked.close();
    const account = await served.app.services.accounts.findUserWithin(served.app.database.db, {
      email: 'r.smith@campus.example.edu',
    });
    assert.deepEqual(account?.roles, ['credentials_office']);
    assert.match(await staffPage.content(), /Robin Smith/);
    await staff.close();
  });

  test('a refused sign-in explains itself in plain words', async () => {
    const context = await served.browser.newContext({ ...atTestProvider, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/sso/oidc/callback?code=x&state=y`);
    await page.getByRole('heading', { level: 1, name: 'You are not signed in' }).waitFor();
    assert.ok(await page.getByText(/No sign-in was started in this browser/).isVisible());
    await checkPage(page, 'sso-refused');
    await context.close();
  });
});
