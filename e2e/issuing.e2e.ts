import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { approvedRequests } from '../test/support/issuing.ts';

/** A non-credit cohort: three learners whose records meet the requirements, and one who is not known. */
const nonCreditList = [
  'student_id,email,first_name,last_name,program,completion_date,term,fee_waived,notes',
  'C00012345,learner@cascaderidge.example,Jordan,Ellis,persuasive-communication,2026-10-30,2026 Fall,no,',
  'C00031456,luis.ferreira@mail.example,Luis,Ferreira,project-management,2026-10-30,2026 Fall,no,',
  'C00036275,olivia.brandt@mail.example,Olivia,Brandt,foundations-of-school-mental-and-behavioral-health,2026-10-30,2026 Fall,yes,Community partner scholarship',
  'C00099999,someone@mail.example,Some,One,project-management,2026-10-30,2026 Fall,no,',
].join('\n');

describe('issuing in Chromium', () => {
  // Jobs run, as in production: the commit is carried out by the pg-boss worker.
  const served = useServedApp({ runJobs: true, clock: fixedClock('2026-11-25T15:00:00Z') });
  before(() => approvedRequests(served.app));

  async function signedInPage(email: string): Promise<Page> {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, email, DEMO_PASSWORD);
    return page;
  }

  test('the credentials office uploads a tracking list and previews it; another person commits it and watches it finish', async () => {
    let page = await signedInPage('credentials@cascaderidge.example');
    await page.goto(`${served.baseUrl}/issuing`);
    await page.getByRole('heading', { level: 1, name: 'Issue badges' }).waitFor();
    await checkPage(page, 'issuing-queue');

    await page
      .getByRole('navigation', { name: 'Issuing' })
      .getByRole('link', { name: 'Tracking lists' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Tracking lists' }).waitFor();
    await checkPage(page, 'issuing-tracking-lists');
    await page.getByLabel('Tracking list (CSV)').setInputFiles({
      name: 'fall-2026-non-credit.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(nonCreditList, 'utf8'),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tracking list: 2026 Fall' }).waitFor();
    await page.getByText('Nothing has been issued from this list yet').waitFor();
    await page.getByText('Unknown student: no learner has student ID C00099999.').waitFor();
    await checkPage(page, 'issuing-tracking-list-preview');

    // Nobody commits a list they uploaded: an administrator, who acts for both offices, checks and commits it.
    await page.getByText('You uploaded this list: another person must check and commit it.').waitFor();
    const listAddress = page.url();
    await page.context().close();
    page = await signedInPage('admin@cascaderidge.example');
    await page.goto(listAddress);

    // While the job runs the page reloads itself every 2 seconds, which would cut a screenshot or an axe run
    // short; for the check, the page that follows the commit is served without its refresh tag.
    await page.route(/\/issuing\/tracking-lists\/[0-9a-f-]{36}\?done=committed$/, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, '');
      await route.fulfill({ response, body: html });
    });
    await Promise.all([
      page.waitForURL(/\?done=committed$/),
      (async () => {
        // Committing signs and charges, so it asks again on a page of its own.
        await page.getByRole('link', { name: 'Commit and issue 3 badges' }).click();
        await page.getByText(/charges (\$[\d,.]+ in fees|no fee)/).waitFor();
        await checkPage(page, 'issuing-commit-confirm');
        await page.getByRole('button', { name: 'Yes, issue 3 badges' }).click();
      })(),
    ]);
    // A redirect's target is not intercepted, so the page is asked for again, directly.
    await page.goto(page.url());
    await page.getByText('The list is committed').waitFor();
    await page.getByRole('progressbar', { name: 'Issuing progress' }).waitFor();
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    await checkPage(page, 'issuing-tracking-list-running');
    await page.unrouteAll();
    const listUrl = page.url().replace(/\?.*$/, '');

    // The page reloads itself while the job runs; reloading by hand shows the same figures from the database.
    const deadline = Date.now() + 90_000;
    for (;;) {
      await page.goto(listUrl);
      const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
      if (text.includes('100% done')) break;
      assert.ok(Date.now() < deadline, `issuing did not finish: ${text.slice(0, 400)}`);
      await page.waitForTimeout(1000);
    }
    await page.getByText('3 of 3 rows processed: 3 issued, 0 skipped, 0 failed.').waitFor();
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    await checkPage(page, 'issuing-tracking-list-done');

    // The claim mail waits in the outbox (no SMTP server is configured for this run).
    await page.goto(`${served.baseUrl}/admin/mail`);
    await page.getByText('olivia.brandt@mail.example').first().waitFor();
    await page.getByText('luis.ferreira@mail.example').first().waitFor();
    const mail = await served.app.services.notifications.list({ to: 'luis.ferreira@mail.example', limit: 5 });
    assert.ok(mail.some((m) => /Project Management/.test(m.subject) && /claim/i.test(m.text_body)));

    // Back to the credentials office, whose queue shows what it issued.
    await page.context().close();
    page = await signedInPage('credentials@cascaderidge.example');
    await page.goto(`${served.baseUrl}/issuing`);
    await page.getByText('Olivia Brandt').first().waitFor();
    await page.getByRole('link', { name: /Waived \$10\.00/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Fee for Olivia Brandt' }).waitFor();
    await checkPage(page, 'billing-charge-waived');
    await page.context().close();
  });

  test('the registrar issues an approved request and exports transcript notations; the bursar reads the ledger', async () => {
    const registrar = await signedInPage('registrar@cascaderidge.example');
    await registrar.goto(`${served.baseUrl}/issuing`);
    await registrar.getByRole('button', { name: 'Issue the badge of Diego Ramírez' }).click();
    // Issuing signs and charges, so it shows who, which badge and which fee, and waits for a Yes.
    await registrar.getByRole('heading', { level: 1, name: 'Issue 1 badge?' }).waitFor();
    await registrar.getByRole('row').filter({ hasText: 'Diego Ramírez' }).waitFor();
    await checkPage(registrar, 'issuing-issue-confirm');
    await registrar.getByRole('button', { name: 'Yes, issue 1 badge' }).click();
    await registrar.getByText('One badge was issued.').waitFor();
    await checkPage(registrar, 'issuing-queue-issued');
    await registrar
      .getByRole('navigation', { name: 'Issuing' })
      .getByRole('link', { name: 'Registrar exports' })
      .click();
    await registrar.getByText('1 credit-bearing badge is waiting to be exported.').waitFor();
    await checkPage(registrar, 'issuing-registrar-exports');
    const [download] = await Promise.all([
      registrar.waitForEvent('download'),
      registrar.getByRole('button', { name: 'Export new transcript notations (CSV)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^registrar-export-.*\.csv$/);
    await registrar.context().close();

    const bursar = await signedInPage('bursar@cascaderidge.example');
    await bursar.goto(`${served.baseUrl}/billing`);
    await bursar.getByRole('heading', { level: 1, name: 'Fee ledger' }).waitFor();
    await bursar.getByText('Community partner scholarship').waitFor();
    await checkPage(bursar, 'billing-ledger');
    await bursar.getByRole('link', { name: 'Diego Ramírez' }).click();
    await bursar.getByLabel(/^Reason/).fill('Covered by the employer agreement');
    await bursar.getByRole('button', { name: 'Waive the fee' }).click();
    await bursar.getByText('The fee is now waived.').waitFor();
    await checkPage(bursar, 'billing-charge');
    await bursar.context().close();
  });
});
