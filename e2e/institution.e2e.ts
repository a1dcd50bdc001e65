import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';
import { pngOf } from '../test/support/uploads.ts';

const fillProfile = async (page: Page, brandColour: string) => {
  const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
  await fill('Legal name', 'Lakeshore Polytechnic');
  await fill('Short name', 'LP');
  await fill('Website address', 'https://lakeshore.example');
  await fill('Contact e-mail', 'badges@lakeshore.example');
  await fill('Time zone', 'America/Chicago');
  await fill('Brand colour', brandColour);
  await fill('Accent colour', '#e0a526');
  await fill('Default badge fee', '10');
  await fill('Currency', 'USD');
  await page.getByRole('button', { name: 'Save the profile' }).click();
};

describe('the institution profile in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });

  test('an administrator sets up the institution without JavaScript, and every state of the page is accessible', async () => {
    const admin = await aStaffMember(served.app, 'admin');
    // axe needs scripts: the page's states are checked with them on, the journey is made with them off.
    const checking = await served.browser.newContext({ bypassCSP: true });
    const checker = await checking.newPage();
    await signIn(checker, served.baseUrl, admin.email, TEST_PASSWORD);
    await checker.getByRole('link', { name: 'Set up the institution profile' }).click();
    await checker.getByRole('heading', { name: 'Institution profile' }).waitFor();
    await checkPage(checker, 'institution-not-set-up');
    await fillProfile(checker, '#ffffff');
    await checker.getByRole('link', { name: /Brand colour cannot be white/ }).waitFor();
    await checkPage(checker, 'institution-refused');

    const context = await served.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/institution`);
    await fillProfile(page, '#1d4b3a');
    await page.getByText('The profile is saved').waitFor();
    await page
      .getByLabel('Logo file')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: pngOf(64, 64) });
    await page.getByRole('button', { name: 'Upload the logo' }).click();
    await page.getByText('The logo is saved.').waitFor();
    assert.equal(await page.getByRole('img', { name: /current logo of Lakeshore Polytechnic/ }).count(), 1);
    await context.close();

    await checker.goto(`${served.baseUrl}/admin/institution`);
    await checkPage(checker, 'institution-set-up');
    await checking.close();
  });
});
