import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';

// Every axe finding fails here, minor ones included: these are the checks of the API clients screens that the
// go-live screens' test holds to that standard.
describe('API clients in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });

  test('an administrator adds a client, fixes the form, copies the secret once and the integration gets a token', async () => {
    const admin = await aStaffMember(served.app, 'admin');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/api-clients`);
    await page.getByRole('heading', { level: 1, name: 'API clients' }).waitFor();
    await checkPage(page, 'api-clients', { everyImpact: true });

    await page.getByLabel('Name').fill('Student information system');
    await page.getByRole('button', { name: 'Add the client' }).click();
    await page.getByRole('link', { name: 'Scopes must include at least one scope.' }).waitFor();
    await checkPage(page, 'api-clients-problem', { everyImpact: true });

    await page.getByRole('checkbox', { name: /completions:write:/ }).check();
    await page.getByRole('button', { name: 'Add the client' }).click();
    await page.getByRole('heading', { name: /copy the secret now/ }).waitFor();
    await checkPage(page, 'api-clients-secret', { everyImpact: true });
    const codes = await page.locator('dd code').allTextContents();
    const [clientId, secret] = codes;
    assert.ok(clientId?.startsWith('stk_') && secret?.startsWith('stks_'));

    const answer = await fetch(`${served.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).scope, 'completions:write');

    await page.goto(`${served.baseUrl}/admin/api-clients`);
    assert.equal(await page.getByText(secret!).count(), 0);
    assert.ok(await page.getByRole('cell', { name: 'Student information system', exact: true }).isVisible());
    await context.close();
  });
});
