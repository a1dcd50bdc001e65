import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { artifactsDir, checkPage, useServedApp } from '../test/support/browser.ts';

const system = { system: 'credentials e2e' };
const slug = 'data-visualization';

describe('badges and their verification in Chromium', () => {
  const served = useServedApp({ runJobs: false });
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'stackable-badges-'));
  });
  after(async () => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Picks a file through the page's own file chooser and submits the upload form. */
  async function uploadAndVerify(page: Page, file: string) {
    await page.goto(`${served.baseUrl}/verify`);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.locator('input#badge-file').click(),
    ]);
    await chooser.setFiles(file);
    await Promise.all([
      page.waitForURL(/\/verify$/),
      page.getByRole('button', { name: 'Verify the file' }).click(),
    ]);
  }

  test("a program's badge artwork is served as an image", async () => {
    const page = await served.browser.newPage();
    const png = await page.goto(`${served.baseUrl}/catalog/${slug}/badge.png`);
    assert.equal(png?.status(), 200);
    assert.equal(png?.headers()['content-type'], 'image/png');
    await page.screenshot({ path: join(artifactsDir, 'badge-artwork-png.png') });
    const svg = await page.goto(`${served.baseUrl}/catalog/${slug}/badge.svg`);
    assert.equal(svg?.status(), 200);
    await page.screenshot({ path: join(artifactsDir, 'badge-artwork-svg.png') });
    const draft = await page.goto(`${served.baseUrl}/catalog/podcast-production/badge.png`);
    assert.equal(draft?.status(), 404);
    await page.close();
  });

  test('an uploaded baked PNG is verified, and shown as revoked once revoked', async () => {
    const credentials = served.app.services.credentials;
    const issued = await credentials.issueCredential(system, {
      slug,
      learner: { email: 'amara.okafor@example.org', name: 'Amara Okafor' },
    });
    const baked = await credentials.baked(issued.id, 'png');
    assert.ok(baked instanceof Uint8Array);
    const file = join(folder, 'amara-badge.png');
    writeFileSync(file, baked);

    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/verify`);
    await checkPage(page, 'verify');

    await uploadAndVerify(page, file);
    await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
    assert.ok(await page.getByText('Amara Okafor').isVisible());
    await checkPage(page, 'verify-result-verified');
    await page.getByText('Show the badge data').click();
    await page.getByText(`urn:uuid:${issued.id}`).first().waitFor();

    await credentials.changeStatus(system, issued.id, 'revoke', 'Awarded to the wrong learner');
    await uploadAndVerify(page, file);
    await page.getByRole('heading', { name: 'Not verified', exact: true }).waitFor();
    assert.ok(await page.getByText('The issuer has revoked this badge.').first().isVisible());
    await checkPage(page, 'verify-result-revoked');
    await context.close();
  });

  test('verification works without JavaScript, by pasting and by link', async () => {
    const credentials = served.app.services.credentials;
    const issued = await credentials.issueCredential(system, {
      slug,
      learner: { email: 'noel@example.org' },
    });
    const context = await served.browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/verify`);
    await page.getByLabel('Badge JSON or VC-JWT').fill(issued.jwt!);
    await page.getByRole('button', { name: 'Verify the text' }).click();
    await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();

    await page.goto(`${served.baseUrl}/verify?credential=${issued.id}`);
    await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
    await context.close();

    const phone = await served.browser.newContext({ viewport: { width: 375, height: 740 }, bypassCSP: true });
    const small = await phone.newPage();
    await small.goto(`${served.baseUrl}/verify?credential=${issued.id}`);
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the result page is ${overflow}px wider than the phone`);
    await checkPage(small, 'verify-result-phone');
    await phone.close();
  });
});
