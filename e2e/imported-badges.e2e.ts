import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { anAccount, anInstitution, TEST_PASSWORD } from '../test/support/builders.ts';
import { type Ob2Issuer, startOb2Issuer } from '../test/support/ob2-issuer.ts';

describe('a learner brings a badge from another issuer into the backpack', () => {
  let issuer: Ob2Issuer;
  before(async () => {
    issuer = await startOb2Issuer('Harbour Community College');
  });
  after(() => issuer.close());
  const served = useServedApp(() => ({
    seed: false,
    runJobs: false,
    env: { STACKABLE_ALLOW_NETWORK: 'true' },
    fetcher: issuer.fetcher,
  }));

  test('by its address: refused when it is someone else’s, added when it is theirs', async () => {
    await anInstitution(served.app, { name: 'Lakeshore Polytechnic' });
    const learner = await anAccount(served.app, { name: 'Ama Owusu', email: 'ama.owusu@example.org' });
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, learner.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/backpack`);
    await page.getByRole('link', { name: 'Add a badge from another issuer' }).click();

    await page.getByLabel('Badge address').fill(issuer.hostedBadge('someone.else@example.org'));
    await page.getByRole('button', { name: 'Check and add the badge' }).nth(1).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /issued to someone else/);
    await checkPage(page, 'import-badge-refused', { everyImpact: true });

    await page.getByLabel('Badge address').fill(issuer.hostedBadge(learner.email));
    await page.getByRole('button', { name: 'Check and add the badge' }).nth(1).click();
    await page.waitForURL(/\/backpack\/imported\//);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Safe Welding');
    assert.match((await page.getByRole('status').textContent()) ?? '', /in your backpack/);
    await checkPage(page, 'imported-badge', { everyImpact: true });

    await page.goto(`${served.baseUrl}/backpack`);
    assert.match(
      (await page.locator('.imported-badges').textContent()) ?? '',
      /Safe Welding.*From another issuer/s,
    );
    await checkPage(page, 'backpack-imported', { everyImpact: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await checkPage(page, 'backpack-imported-390', { everyImpact: true });
    await context.close();
  });
});
