import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

const certificate = 'Certificate in Geospatial Technology';

describe('certificate pathways in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  test('a visitor goes from the catalog to a certificate, into one of its badges and back', async () => {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/catalog`);
    await checkPage(page, 'pathways-catalog');

    await page.getByRole('link', { name: 'See the certificates and how badges stack into them' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    assert.equal(await page.locator('ul.cards > li').count(), 4);
    await checkPage(page, 'pathways-certificates');

    await page.getByRole('link', { name: certificate }).click();
    await page.getByRole('heading', { level: 1, name: certificate }).waitFor();
    const stack = page.locator('ol.pathway > li');
    // Three offered badges (the draft one is not shown), then required courses and electives.
    assert.equal(await stack.count(), 5);
    assert.equal(await page.getByText('Wildfire Resilience Planning').count(), 0);
    await page.getByRole('row', { name: /Total 32/ }).waitFor();
    await checkPage(page, 'pathways-certificate');
    const certificateUrl = page.url();

    await stack.first().getByRole('link', { name: 'Community Planning' }).click();
    await page.getByRole('heading', { level: 1, name: 'Community Planning' }).waitFor();
    await page.getByRole('heading', { name: 'Counts toward' }).waitFor();
    await checkPage(page, 'pathways-program');

    await page.getByRole('link', { name: certificate }).click();
    await page.getByRole('heading', { level: 1, name: certificate }).waitFor();
    assert.equal(page.url(), certificateUrl);
    await context.close();
  });

  test('a signed-in learner sees which pieces of the stack they already have', async () => {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, 'learner@cascaderidge.example', DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}/catalog/certificates/geospatial-technology`);
    await page.getByRole('heading', { name: 'Your progress' }).waitFor();
    // The demo learner passed CS 225 and MATH 243 on the way to another badge; both count here.
    await page.getByRole('row', { name: /CS 225 .* Completed/ }).waitFor();
    await page.getByRole('row', { name: /MATH 243 .* Completed/ }).waitFor();
    await checkPage(page, 'pathways-certificate-learner');
    await context.close();
  });
});
