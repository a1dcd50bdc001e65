import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extractFromPng } from '../src/credentials/bake-png.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { claimPathIn, issueBadge, latestMailTo } from '../test/support/backpack.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

const NEWCOMER = 'amara.chen@students.cascaderidge.example';

describe('claiming a badge and sharing it, in Chromium', () => {
  const served = useServedApp({ runJobs: false });
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'stackable-backpack-'));
  });
  after(async () => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('a new learner claims from the e-mail, downloads the badge, and the public sees it verified', async () => {
    const { app, baseUrl } = served;
    const id = await issueBadge(app, { email: NEWCOMER, name: 'Amara Chen' });
    const mail = await latestMailTo(app, NEWCOMER);
    assert.equal(mail.kind, 'badge_claim');
    const claimPath = claimPathIn(mail.text_body);

    const context = await served.browser.newContext({ acceptDownloads: true, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${claimPath}`);
    await page.getByRole('heading', { name: 'Claim your badge' }).waitFor();
    await checkPage(page, 'backpack-claim-new-account');
    assert.equal(await page.getByLabel('Your name').inputValue(), 'Amara Chen');
    await page.getByLabel('Choose a password').fill('copper kettle harbour');
    await page.getByLabel('Type it again').fill('copper kettle harbour');
    await Promise.all([
      page.waitForURL(/\/backpack\?claimed=/),
      page.getByRole('button', { name: 'Create my account and claim the badge' }).click(),
    ]);
    await page.getByRole('heading', { name: 'Data Visualization' }).waitFor();
    await page.getByText('The badge is in your backpack.').waitFor();
    // The copy button only exists where the script ran.
    await page.getByRole('button', { name: 'Copy link' }).waitFor();
    await checkPage(page, 'backpack-with-badge');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Badge image (PNG) (Data Visualization)' }).click(),
    ]);
    const file = join(folder, download.suggestedFilename());
    await download.saveAs(file);
    const baked = JSON.parse(extractFromPng(new Uint8Array(readFileSync(file))) ?? '{}') as { id?: string };
    assert.equal(baked.id, `urn:uuid:${id}`);
    await context.close();

    const visitor = await served.browser.newContext({ bypassCSP: true });
    const publicPage = await visitor.newPage();
    const response = await publicPage.goto(`${baseUrl}/badges/${id}`);
    assert.equal(response?.status(), 200);
    await publicPage.getByRole('heading', { level: 1, name: 'Data Visualization' }).waitFor();
    await publicPage.getByText('Verified.', { exact: true }).waitFor();
    await publicPage.getByText('Amara Chen').waitFor();
    assert.equal(
      await publicPage.getByRole('link', { name: 'Verify this badge' }).getAttribute('href'),
      `/verify?credential=${id}`,
    );
    const artworkLoaded = await publicPage
      .locator('.badge-hero img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    assert.ok(artworkLoaded, 'the badge artwork shows');
    await checkPage(publicPage, 'backpack-public-badge');
    await visitor.close();

    // Under the site's real Content Security Policy the copy script still runs (it is served, not inline).
    const strict = await served.browser.newContext();
    const strictPage = await strict.newPage();
    await strictPage.goto(`${baseUrl}/badges/${id}`);
    await strictPage.getByRole('button', { name: 'Copy link' }).waitFor();
    await strict.close();
  });

  test('the sign-in, expired-link, revoked and template pages are accessible', async () => {
    const { app, baseUrl } = served;
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();

    const id = await issueBadge(app, { email: 'learner@cascaderidge.example', name: 'Jordan Ellis' });
    const mail = await latestMailTo(app, 'learner@cascaderidge.example');
    await page.goto(`${baseUrl}${claimPathIn(mail.text_body)}`);
    await page.getByRole('heading', { name: 'Sign in to claim your badge' }).waitFor();
    await checkPage(page, 'backpack-claim-sign-in');

    await page.goto(`${baseUrl}/claim?token=${'a'.repeat(43)}.${'b'.repeat(22)}`);
    await page.getByRole('heading', { name: 'This claim link does not work' }).waitFor();
    await checkPage(page, 'backpack-claim-bad-link');
    await page.getByLabel('E-mail address the badge was sent to').fill('someone@example.org');
    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page.getByText('If a badge is waiting').waitFor();
    await checkPage(page, 'backpack-claim-resent');

    // The learner accepts it, so its page is shared (issue 19) and tells the public it was revoked.
    const learner = (await app.services.accounts.listUsers('learner@cascaderidge.example'))[0]!;
    await app.services.backpack.accept(learner, id);
    // Whichever office issued it, an administrator may revoke it.
    const admin = (await app.services.accounts.listUsers('admin@cascaderidge.example'))[0]!;
    await app.services.credentials.changeStatus(admin, id, 'revoke', 'Issued to the wrong program');
    await page.goto(`${baseUrl}/badges/${id}`);
    await page.getByRole('heading', { name: 'This badge has been revoked' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Share this badge' }).count(), 0);
    await checkPage(page, 'backpack-public-badge-revoked');

    await signIn(page, baseUrl, 'credentials@cascaderidge.example', DEMO_PASSWORD);
    await page.goto(`${baseUrl}/backpack/templates`);
    await page.getByRole('heading', { name: 'Claim e-mail' }).waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page
      .frameLocator('iframe[title="Preview of the HTML e-mail"]')
      .getByText('Claim my badge')
      .waitFor();
    await page.locator('iframe[title="Preview of the HTML e-mail"]').scrollIntoViewIfNeeded();
    await checkPage(page, 'backpack-claim-mail-template');
    await context.close();
  });
});
