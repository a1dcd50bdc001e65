import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { approvedRequests } from '../test/support/issuing.ts';

describe('the register of issued badges in Chromium', () => {
  const served = useServedApp({ runJobs: false, clock: fixedClock('2026-11-25T15:00:00Z') });
  before(async () => {
    await approvedRequests(served.app);
  });

  test('the credentials office issues a badge, finds it, and revokes it with a category and a reason', async () => {
    const page = await (await served.browser.newContext({ bypassCSP: true })).newPage();
    await signIn(page, served.baseUrl, 'credentials@cascaderidge.example', DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}/issuing`);
    await page.getByRole('button', { name: 'Issue the badge of Jordan Ellis' }).first().click();
    await page.getByRole('button', { name: 'Yes, issue 1 badge' }).click();
    await page.getByText('One badge was issued.').waitFor();

    await page
      .getByRole('navigation', { name: 'Issuing' })
      .getByRole('link', { name: 'Issued badges' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Issued badges' }).waitFor();
    await page.getByLabel('Learner, e-mail, student ID or badge ID').fill('ellis');
    await page.getByLabel('Status').selectOption('issued');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('One badge.').waitFor();
    await checkPage(page, 'issued-badges');

    await page.getByRole('link', { name: 'Jordan Ellis' }).click();
    await page.getByRole('heading', { level: 2, name: 'Revoke this badge' }).waitFor();
    await checkPage(page, 'issued-badge-record');

    // Submitting without a category is refused by the server (the browser's own check is bypassed) with a clear error.
    const revokeForm = page.locator('form', { has: page.getByRole('button', { name: 'Revoke the badge' }) });
    await revokeForm.evaluate((form: HTMLFormElement) => {
      form.noValidate = true;
    });
    await revokeForm.getByLabel('Reason').fill('Grade entered against the wrong student.');
    await page.getByRole('button', { name: 'Revoke the badge' }).click();
    await page.getByText('Category shown on the public page is required when revoking').first().waitFor();
    await checkPage(page, 'issued-badge-record-refused');

    const again = page.locator('form', { has: page.getByRole('button', { name: 'Revoke the badge' }) });
    await again.getByLabel('Category shown on the public page').selectOption('issued_in_error');
    await again.getByLabel('Reason').fill('Grade entered against the wrong student.');
    await page.getByRole('button', { name: 'Revoke the badge' }).click();
    await page.getByText('The badge is revoked.').waitFor();
    await page.getByText('Shown publicly as: Issued in error').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Revoke the badge' }).count(), 0);
    await checkPage(page, 'issued-badge-record-revoked');

    const publicUrl = await page.getByRole('link', { name: 'Public badge page' }).getAttribute('href');
    const visitor = await (await served.browser.newContext()).newPage();
    await visitor.goto(`${served.baseUrl}${publicUrl}`);
    const text = (await visitor.locator('main').textContent()) ?? '';
    // Its earner never accepted it, so its page was never shared; revoking it shares nothing either, and the
    // office's reason stays inside.
    assert.match(text, /has not shared this badge/);
    assert.doesNotMatch(text, /wrong student/);
  });
});
