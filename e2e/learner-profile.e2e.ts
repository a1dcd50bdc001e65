import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createMailer } from '../src/platform/mail/mailer.ts';
import { confirmPathIn, decodeQuotedPrintable, latestMailTo, startSmtp } from '../test/support/backpack.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aLearner, anInstitution, anIssuedBadge, aProgram, TEST_PASSWORD } from '../test/support/builders.ts';

/** Checks a page with axe and keeps its screenshot at desktop and phone widths. */
async function checkAtBothWidths(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await checkPage(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Issue 19, points 1–3, as a learner goes through them: accept a badge, add and confirm a personal address through
// the link the real SMTP server received, publish a profile with a collection, and the public sees it.
describe('a learner accepts a badge, adds an address and publishes a profile, in Chromium', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
  });
  const served = useServedApp(() => ({
    seed: false,
    runJobs: false,
    linksToItself: true,
    mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
  }));
  // After the app has closed (hooks run in the order declared): its mailer keeps pooled connections open, which the
  // SMTP server would otherwise wait 30 s for before closing.
  after(() => smtp?.close());

  test('accept, add a personal e-mail, publish a profile with a collection, and the public sees it', async () => {
    const { app, baseUrl } = served;
    await anInstitution(app, { name: 'Westbrook Polytechnic' });
    const program = await aProgram(app, { title: 'Wetland Restoration' });
    const learner = await aLearner(app, {
      name: 'Ifeoma Lindqvist',
      email: 'ifeoma.lindqvist@students.westbrook.example',
    });
    const { credentialId } = await anIssuedBadge(app, { learner, program });
    const personal = 'ifeoma.l@homemail.example';

    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, learner.email, TEST_PASSWORD);

    // 1. The new badge waits for an answer; the public is told it is not shared.
    const before = await (await served.browser.newContext({ bypassCSP: true })).newPage();
    assert.equal((await before.goto(`${baseUrl}/badges/${credentialId}`))?.status(), 404);
    await before.getByText('Its earner has not shared this badge.', { exact: false }).waitFor();
    assert.equal(await before.getByText('Ifeoma Lindqvist').count(), 0);
    await before.context().close();

    await page.goto(`${baseUrl}/backpack`);
    await page.getByText('Waiting for your answer').first().waitFor();
    await checkAtBothWidths(page, 'learner-profile-backpack-pending');
    await Promise.all([
      page.waitForURL(/saved=accepted/),
      page.getByRole('button', { name: 'Accept (Wetland Restoration)' }).click(),
    ]);
    await page.getByText('The badge is accepted').waitFor();
    await checkAtBothWidths(page, 'learner-profile-backpack-accepted');

    // 2. A personal address, confirmed through the link the SMTP server received.
    await page.goto(`${baseUrl}/account/emails`);
    await page.getByLabel('E-mail address').fill(personal);
    await Promise.all([
      page.waitForURL(/done=sent/),
      page.getByRole('button', { name: 'Send the confirmation link' }).click(),
    ]);
    await checkAtBothWidths(page, 'learner-profile-addresses-waiting');
    const mail = await latestMailTo(app, personal);
    await app.services.notifications.deliver(mail.id);
    const received = smtp.received.filter((m) => m.to.includes(personal)).at(-1);
    assert.ok(received, 'the SMTP server received the confirmation mail');
    await page.goto(`${baseUrl}${confirmPathIn(decodeQuotedPrintable(received.raw))}`);
    await page.getByText(personal).waitFor();
    await checkAtBothWidths(page, 'learner-profile-confirm-address');
    await Promise.all([
      page.waitForURL(/done=confirmed/),
      page.getByRole('button', { name: 'Confirm this address' }).click(),
    ]);
    await page.getByRole('cell', { name: 'Confirmed', exact: true }).waitFor();
    await checkAtBothWidths(page, 'learner-profile-addresses');

    // 3. A profile with a collection, published.
    await page.goto(`${baseUrl}/backpack/profile`);
    await checkAtBothWidths(page, 'learner-profile-editor-empty');
    await page.getByLabel('Profile address').fill('ifeoma-l');
    await page.getByLabel('About you').fill('Restoring wetlands, one survey at a time.');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save the address and bio' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/done=published/),
      page.getByRole('button', { name: 'Publish my profile' }).click(),
    ]);
    await page.getByLabel('New collection’s name').fill('Field work');
    await Promise.all([
      page.waitForURL(/done=collection/),
      page.getByRole('button', { name: 'Add the collection' }).click(),
    ]);
    await page.getByRole('checkbox', { name: 'Wetland Restoration' }).check();
    await Promise.all([
      page.waitForURL(/done=collection/),
      page.getByRole('button', { name: 'Save the collection (Field work)' }).click(),
    ]);
    await page.getByRole('heading', { name: 'Embed your badges' }).waitFor();
    await checkAtBothWidths(page, 'learner-profile-editor');
    await context.close();

    // The public sees the profile, the collection and the badge, whose page now names its earner.
    const visitor = await served.browser.newContext({ bypassCSP: true });
    const publicPage = await visitor.newPage();
    assert.equal((await publicPage.goto(`${baseUrl}/p/ifeoma-l`))?.status(), 200);
    await publicPage.getByRole('heading', { level: 1, name: 'Ifeoma Lindqvist’s badges' }).waitFor();
    await publicPage.getByRole('heading', { level: 2, name: 'Field work' }).waitFor();
    await publicPage.getByText('Restoring wetlands, one survey at a time.').waitFor();
    await checkAtBothWidths(publicPage, 'learner-profile-public');
    await Promise.all([
      publicPage.waitForURL(new RegExp(`/badges/${credentialId}$`)),
      publicPage
        .getByRole('link', { name: /Wetland Restoration/ })
        .first()
        .click(),
    ]);
    await publicPage.getByText('Ifeoma Lindqvist').first().waitFor();
    await checkAtBothWidths(publicPage, 'learner-profile-public-badge');
    await visitor.close();
  });
});
