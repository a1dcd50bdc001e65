import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPage, useServedApp } from '../test/support/browser.ts';

describe('public catalog in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  test('a visitor searches, filters and opens a micro-credential, without JavaScript', async () => {
    const context = await served.browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/`);
    await page.getByRole('link', { name: 'Browse the catalog' }).click();
    await page.waitForURL(/\/catalog$/);
    const everything = await page.locator('ul.cards > li').count();
    assert.ok(everything >= 40, `catalog shows ${everything}`);

    await page.getByRole('searchbox', { name: 'Search' }).fill('spanish');
    await page.getByLabel('Level').selectOption('undergraduate');
    await page.getByRole('button', { name: 'Show results' }).click();
    await page.waitForURL(/q=spanish/);
    const found = await page.locator('ul.cards > li').count();
    assert.ok(found > 0 && found < everything);
    const filteredUrl = page.url();

    await page.getByRole('link', { name: 'Spanish for Health Care' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spanish for Health Care' }).waitFor();
    await page.getByRole('heading', { name: 'How to enrol' }).waitFor();
    await page.getByText('How is the badge issued?').click();
    await page.getByText('issues an Open Badges 3.0 credential').waitFor();
    const programUrl = page.url();
    await context.close();

    // axe needs JavaScript, so the same pages are audited again in a normal context.
    const audit = await served.browser.newContext({ bypassCSP: true });
    const auditPage = await audit.newPage();
    for (const [url, name] of [
      [filteredUrl, 'catalog-filtered'],
      [programUrl, 'catalog-program'],
    ] as const) {
      await auditPage.goto(url);
      await checkPage(auditPage, name);
    }
    await audit.close();
  });
});
