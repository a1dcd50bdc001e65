import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aLearner, aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';
import { startSamlIdp, type TestSamlIdp } from '../test/support/saml-idp.ts';
import { recordOfAccount } from '../test/support/sso.ts';

describe('SAML single sign-on in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false, linksToItself: true });
  let idp: TestSamlIdp | undefined;
  after(async () => idp?.close());

  test('an administrator adds the campus SAML provider and tests it; a learner signs in through its page and is linked to their record', async () => {
    // The provider reads the app's SP metadata from its public address, as a campus IdP would.
    idp = await startSamlIdp({
      spMetadata: async () => (await fetch(`${served.baseUrl}/sso/saml/shib/metadata`)).text(),
    });
    idp.accounts.set('jdoe', {
      password: 'idp-password',
      attributes: {
        'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'jdoe@campus.example.edu',
        'urn:oid:0.9.2342.19200300.100.1.3': 'j.doe@campus.example.edu',
        displayName: 'Jordan Doe',
        eduPersonAffiliation: ['student', 'member'],
        campusStudentId: 'C-1001',
      },
    });
    const learner = await aLearner(served.app, {
      account: false,
      studentId: 'C-1001',
      email: 'jd@home.example',
    });
    const admin = await aStaffMember(served.app, 'admin');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/sso`);
    await page.getByLabel('Name on the sign-in button').fill('Campus sign-in');
    await page.getByLabel('Short name').fill('shib');
    await page.getByLabel('Protocol').selectOption('saml');
    await page.getByLabel('Metadata', { exact: true }).fill(idp.metadata);
    await page.getByLabel('Student ID claim or attribute').fill('campusStudentId');
    await page.getByLabel('E-mail domains').fill('campus.example.edu');
    await page.getByRole('button', { name: 'Add the provider' }).click();
    await page.getByText('The identity provider is added.').waitFor();
    await page.getByRole('link', { name: 'Campus sign-in', exact: true }).click();
    await page.getByRole('heading', { name: "Give the provider this site's metadata" }).waitFor();
    await checkPage(page, 'sso-saml-provider');

    await page.goto(`${served.baseUrl}/admin/sso`);
    await page.getByRole('link', { name: 'Test sign-in with Campus sign-in' }).click();
    await page.getByLabel('Username').fill('jdoe');
    await page.getByLabel('Password').fill('idp-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Continue to the site' }).click();
    await page.getByRole('heading', { level: 1, name: /Test sign-in: what Campus sign-in sent/ }).waitFor();
    assert.ok(await page.getByText('C-1001').first().isVisible());
    await checkPage(page, 'sso-saml-test-result');
    await context.close();

    // The learner, for the first time, through the provider's own page, under the site's Content Security Policy.
    const mine = await served.browser.newContext();
    const learnerPage = await mine.newPage();
    await learnerPage.goto(`${served.baseUrl}/login`);
    await learnerPage.getByRole('link', { name: 'Sign in with Campus sign-in' }).click();
    await learnerPage.getByLabel('Username').fill('jdoe');
    await learnerPage.getByLabel('Password').fill('idp-password');
    await learnerPage.getByRole('button', { name: 'Sign in' }).click();
    await Promise.all([
      learnerPage.waitForURL(/\/home$/),
      learnerPage.getByRole('button', { name: 'Continue to the site' }).click(),
    ]);
    assert.match(await learnerPage.content(), /Jordan Doe/);
    const checked = await served.browser.newContext({
      bypassCSP: true,
      storageState: await mine.storageState(),
    });
    const checkedPage = await checked.newPage();
    await checkedPage.goto(`${served.baseUrl}/home`);
    await checkPage(checkedPage, 'sso-saml-learner-home');
    await checkedPage.setViewportSize({ width: 390, height: 800 });
    await checkPage(checkedPage, 'sso-saml-learner-home-390');
    await checked.close();

    // Signing out ends the session here and, through the provider's single logout, there too; the provider's
    // answer brings the browser back to the sign-in page (still under the site's Content Security Policy).
    await Promise.all([
      learnerPage.waitForURL(/\/login\?signed_out=1$/),
      learnerPage.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    assert.deepEqual(
      idp.logoutRequests.map((request) => request.nameID),
      ['jdoe'],
    );
    await mine.close();
    const account = await served.app.services.accounts.findUserWithin(served.app.database.db, {
      email: 'j.doe@campus.example.edu',
    });
    assert.deepEqual(account?.roles, ['learner']);
    assert.equal((await recordOfAccount(served.app, account!.id))?.id, learner.id);
  });
});
