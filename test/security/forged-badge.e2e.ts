import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type {
  SignedOpenBadgeCredential,
  UnsignedOpenBadgeCredential,
} from '../../src/credentials/credential-types.ts';
import { signCredential } from '../../src/credentials/sign-credential.ts';
import { newDidKeySigningKey } from '../../src/credentials/test-fixtures.ts';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../support/browser.ts';
import { demo } from '../support/programs.ts';

/**
 * Audit issue 12, point 1, in a real browser: a look-alike badge naming this institution, with its artwork address,
 * signed by a self-made did:key, is pasted into /verify. The page must name the real signer, stay out of green and
 * show none of our artwork.
 */
describe('a forged look-alike badge on /verify in Chromium', () => {
  // The app's public address is the one it is served at, so our artwork address would really load.
  const served = useServedApp({ runJobs: false, linksToItself: true });

  async function genuineBadge(): Promise<SignedOpenBadgeCredential> {
    const app = served.app;
    const program = await app.database.db
      .selectFrom('programs')
      .select('slug')
      .where('status', 'in', ['pilot', 'established'])
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    const issued = await app.services.credentials.issueCredential(
      { system: 'forged badge e2e' },
      { slug: program.slug, learner: { email: `e2e-${Date.now()}@example.org`, name: 'Sam Example' } },
    );
    return issued.credential;
  }

  async function forge(issuerName: string) {
    const key = await newDidKeySigningKey();
    const { proof: _proof, credentialStatus: _status, ...unsigned } = structuredClone(await genuineBadge());
    const copy: UnsignedOpenBadgeCredential = {
      ...unsigned,
      issuer: { ...unsigned.issuer, id: key.did, name: issuerName },
    };
    return { key, forged: await signCredential(copy, key) };
  }

  async function pasteAndVerify(page: Page, credential: object) {
    await page.goto(`${served.baseUrl}/verify`);
    await page.getByLabel('Badge JSON or VC-JWT').fill(JSON.stringify(credential));
    await Promise.all([
      page.waitForURL(/\/verify$/),
      page.getByRole('button', { name: 'Verify the text' }).click(),
    ]);
  }

  /** Images whose address is on this site (our artwork), anywhere on the page. */
  const ourImages = (page: Page) =>
    page
      .locator('img')
      .evaluateAll(
        (images, base) =>
          (images as HTMLImageElement[])
            .map((img) => img.src)
            .filter((src) => src.startsWith(base) || src.startsWith('/')),
        served.baseUrl,
      );

  test('a look-alike naming this institution: not verified, real signer first, no green, none of our artwork', async () => {
    const ourName = (await served.app.services.institution.get()).name;
    const { key, forged } = await forge(ourName);
    assert.match(
      JSON.stringify(forged.credentialSubject),
      new RegExp(served.baseUrl),
      'the forgery carries our artwork address',
    );
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await pasteAndVerify(page, forged);
    const heading = page.locator('#result-heading');
    assert.equal(await heading.textContent(), 'Not verified');
    const signer = page.locator('.verify-signer');
    assert.equal(
      await signer.textContent(),
      `Signed by ${key.did}, which is not a known issuer; it calls itself '${ourName}'. It uses the name of this institution but was not issued by it.`,
    );
    assert.equal(await page.locator('.notice-ok').count(), 0, 'nothing green');
    assert.deepEqual(await ourImages(page), [], 'none of our images');
    assert.equal(await page.locator('.verify-result img').count(), 0);
    await checkPage(page, 'security-forged-badge-look-alike');
    await context.close();
  });

  test('an unknown signer under its own name: signature valid, issuer not known, in the warning style', async () => {
    const { key, forged } = await forge('Elsewhere Institute');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await pasteAndVerify(page, forged);
    assert.equal(await page.locator('#result-heading').textContent(), 'Signature valid, issuer not known');
    assert.equal(await page.locator('.verify-result .notice-warn').count(), 1);
    assert.equal(await page.locator('.notice-ok').count(), 0);
    assert.match(
      (await page.locator('.verify-signer').textContent()) ?? '',
      new RegExp(`^Signed by ${key.did}`),
    );
    assert.deepEqual(await ourImages(page), []);
    await checkPage(page, 'security-forged-badge-unknown-signer');
    await context.close();
  });

  test('once an administrator trusts the signer, the page names it as a known issuer, still without our artwork', async () => {
    const { key, forged } = await forge('Partner Polytechnic');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, demo.admin, DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/trusted-issuers`);
    await page.getByLabel('DID', { exact: true }).fill(key.did);
    await page.getByLabel('Name', { exact: true }).fill('Partner Polytechnic');
    await page.getByLabel('Note').fill('Transfer agreement');
    await Promise.all([
      page.waitForURL(/done=added/),
      page.getByRole('button', { name: 'Add the issuer' }).click(),
    ]);
    assert.ok(await page.getByRole('cell', { name: 'Partner Polytechnic', exact: true }).isVisible());
    await checkPage(page, 'security-trusted-issuers-admin');
    await pasteAndVerify(page, forged);
    assert.equal(await page.locator('#result-heading').textContent(), 'Verified');
    assert.match(
      (await page.locator('.verify-signer').textContent()) ?? '',
      new RegExp(`^Signed by Partner Polytechnic \\(${key.did}\\), a known issuer`),
    );
    assert.deepEqual(await ourImages(page), []);
    await context.close();
  });
});
