import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { checkPage, useServedApp } from '../test/support/browser.ts';
import { anInstitution, aProgram } from '../test/support/builders.ts';
import { aNewAddress, SIGN_UP_PASSWORD, verificationPathIn } from '../test/support/sign-up.ts';

describe('sign-up in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });
  let program: { slug: string; title: string };

  before(async () => {
    await anInstitution(served.app);
    program = await aProgram(served.app, { title: 'Coastal Field Methods' });
  });

  test('a newcomer signs up from the enrolment page, confirms the address and enrols for the badge', async () => {
    const email = aNewAddress('chromium');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/enrol/${program.slug}`);
    await checkPage(page, 'enrol-visitor');
    await page.getByRole('link', { name: /Create an account.*Just want the badge/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();

    await page.getByRole('button', { name: 'Create my account' }).click();
    // The browser's own checks stop an empty form; a too-short password reaches the server's summary.
    await page.getByLabel('Full name').fill('Wren Castellanos');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Type it again').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkPage(page, 'sign-up-errors');

    await page.getByLabel('Password', { exact: true }).fill(SIGN_UP_PASSWORD);
    await page.getByLabel('Type it again').fill(SIGN_UP_PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your e-mail' }).waitFor();
    await checkPage(page, 'sign-up-sent');

    const [mail] = await served.app.services.notifications.list({ to: email, limit: 1 });
    assert.ok(mail);
    await page.goto(`${served.baseUrl}${verificationPathIn(mail.text_body)}`);
    await page.getByLabel('The password you chose').fill(SIGN_UP_PASSWORD);
    await checkPage(page, 'sign-up-verify');
    await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
    await page.getByRole('heading', { level: 2, name: 'Just want the badge' }).waitFor();
    assert.match(page.url(), new RegExp(`/enrol/${program.slug}\\?path=non_degree$`));

    await page.getByLabel('I understand that financial aid does not cover').check();
    await page.getByRole('button', { name: `Enrol in ${program.title}` }).click();
    await page.getByText('You are enrolled').waitFor();
    await checkPage(page, 'sign-up-enrolled');
    await context.close();
  });
});
