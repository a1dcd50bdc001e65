import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPage, keepScreenshot, signIn, useServedApp } from '../test/support/browser.ts';
import { anIssuedBadge, TEST_PASSWORD } from '../test/support/builders.ts';
import { fetchHttp, TestWallet } from '../test/support/test-wallet.ts';

describe('adding a badge to a wallet, in Chromium', () => {
  // The app's own address is where it is served, so the offer's issuer is the address the wallet reaches.
  const served = useServedApp({ seed: false, runJobs: false, linksToItself: true });

  test('the learner shows a wallet offer, a wallet takes it over OID4VCI, and the page says it arrived', async () => {
    const { app, baseUrl } = served;
    const { learner, program, credentialId } = await anIssuedBadge(app);
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, learner.email, TEST_PASSWORD);
    await page.goto(`${baseUrl}/backpack`);
    await page.getByRole('link', { name: `Add to a wallet (${program.title})` }).click();
    await page.getByRole('heading', { level: 1, name: `Add ${program.title} to a wallet` }).waitFor();
    await checkPage(page, 'wallet-page');

    await page.getByRole('button', { name: 'Show a wallet offer' }).click();
    await page.getByRole('heading', { level: 1, name: `Wallet offer for ${program.title}` }).waitFor();
    const offerLink = await page.getByRole('link', { name: 'Open in my wallet app' }).getAttribute('href');
    assert.match(offerLink ?? '', /^openid-credential-offer:\/\/\?credential_offer=/);
    assert.equal(
      await page.locator('.wallet-offer svg[role="img"]').count(),
      1,
      'the QR code is on the page',
    );
    await checkPage(page, 'wallet-offer');
    await page.setViewportSize({ width: 390, height: 844 });
    await keepScreenshot(page, 'wallet-offer-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    const wallet = await TestWallet.create();
    const flow = await wallet.collectOffer(offerLink!, fetchHttp);
    assert.equal(flow.credential?.status, 200, JSON.stringify(flow.credential?.json));
    const credential = flow.credential!.json.credentials[0].credential;
    assert.equal(credential.credentialSubject.id, wallet.did);
    const verified = await fetchHttp({
      method: 'POST',
      url: `${baseUrl}/credentials/verify`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: credential }),
    });
    assert.equal(verified.json.verified, true, JSON.stringify(verified.json));

    // The page's script asks until the wallet has it, and says so in its live region.
    await page.getByText(`Delivered: the badge is in your wallet (${wallet.did}).`).waitFor();
    await checkPage(page, 'wallet-offer-delivered');
    await page.goto(`${baseUrl}/backpack/${credentialId}/wallet`);
    await page.getByRole('heading', { name: 'Already in your wallets' }).waitFor();
    await page.getByText(wallet.did).waitFor();
    await checkPage(page, 'wallet-page-delivered');
    await page.setViewportSize({ width: 390, height: 844 });
    await keepScreenshot(page, 'wallet-page-delivered-390');
    await context.close();
  });
});
