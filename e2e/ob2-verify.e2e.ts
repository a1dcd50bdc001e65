import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPage, useServedApp } from '../test/support/browser.ts';
import { anInstitution, aProgram } from '../test/support/builders.ts';

describe('an Open Badges 2.0 badge on the verify page', () => {
  const served = useServedApp({ seed: false, runJobs: false, linksToItself: true });

  test('our hosted 2.0 assertion, checked with the recipient address, reads well and is accessible', async () => {
    await anInstitution(served.app, { name: 'Lakeshore Polytechnic' });
    const program = await aProgram(served.app, { title: 'Data Literacy', creditType: 'non_credit' });
    const issued = await served.app.services.credentials.issueCredential(
      { system: 'ob2 journey' },
      { slug: program.slug, learner: { email: 'noor.haddad@example.org', name: 'Noor Haddad' } },
    );
    // axe is added as a script of its own, which the app's content security policy would refuse.
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/verify`);
    await page.getByLabel('Badge id or address').fill(`${served.baseUrl}/ob2/assertions/${issued.id}`);
    await page.locator('#badge-reference-email').fill('noor.haddad@example.org');
    await Promise.all([
      page.waitForURL(/\/verify\?/),
      page.getByRole('button', { name: 'Look it up' }).click(),
    ]);
    assert.equal(await page.locator('#result-heading').textContent(), 'Verified');
    assert.match((await page.locator('.check-list').textContent()) ?? '', /Recipient: Passed/);
    await checkPage(page, 'verify-ob2-hosted', { everyImpact: true });
    await context.close();
  });
});
