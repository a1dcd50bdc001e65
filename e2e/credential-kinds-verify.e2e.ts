import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { newDidKeySigningKey } from '../src/credentials/test-fixtures.ts';
import { aClr, anEndorsement, CLR_LEARNER, signedBy } from '../src/verification/credential-kind-fixtures.ts';
import { checkPage, useServedApp } from '../test/support/browser.ts';
import { aStaffMember } from '../test/support/builders.ts';

/** Pastes a credential into the verify page's text form and checks the result page with axe. */
async function pasteAndCheck(browser: Browser, baseUrl: string, credential: object, name: string) {
  // axe is added as a script of its own, which the app's content security policy would refuse.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/verify`);
  await page.locator('#badge-text').fill(JSON.stringify(credential));
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Verify the text' }).click(),
  ]);
  await page.locator('#result-heading').waitFor();
  assert.equal(await page.locator('#result-heading').textContent(), 'Verified');
  const facts = (await page.locator('.badge-facts').textContent()) ?? '';
  const checks = (await page.locator('.check-list').textContent()) ?? '';
  await checkPage(page, name, { everyImpact: true });
  await context.close();
  return { facts, checks };
}

describe('endorsements and CLRs on the verify page', () => {
  const served = useServedApp({ seed: false, runJobs: false });

  test('a verified endorsement and a verified CLR read well and are accessible', async () => {
    const admin = await aStaffMember(served.app, 'admin');
    const panel = await newDidKeySigningKey();
    await served.app.services.trustedIssuers.addIssuer(admin, {
      did: panel.did,
      name: 'Harbour Industry Panel',
    });
    const endorsed = 'https://college.example/achievements/welding-basics';
    const endorsement = await signedBy(anEndorsement(panel.did, endorsed, 'Ready for site work.'), panel);
    const clr = await signedBy(aClr(panel.did, ['Marine Electrics', 'Hull Inspection']), panel);

    const { facts: endorsementFacts, checks: endorsementChecks } = await pasteAndCheck(
      served.browser,
      served.baseUrl,
      endorsement,
      'verify-endorsement',
    );
    assert.match(endorsementFacts, /^\s*Endorsement/);
    assert.match(endorsementFacts, /Endorses/);
    assert.ok(endorsementFacts.includes(endorsed));
    assert.match(endorsementChecks, /Endorsement data: Passed/);
    const { facts: clrFacts, checks: clrChecks } = await pasteAndCheck(
      served.browser,
      served.baseUrl,
      clr,
      'verify-clr',
    );
    // Named in plain words, as the person verifying would say it, not by its type name.
    assert.match(clrFacts, /^\s*Comprehensive Learner Record\s*Harbour College record/);
    assert.doesNotMatch(clrFacts, /ClrCredential/);
    assert.match(clrChecks, /Comprehensive Learner Record data: Passed/);
    assert.doesNotMatch(clrChecks, /Open Badges data/);
    assert.match(clrFacts, /Achievements\s*Marine Electrics\s*Hull Inspection/);
    assert.ok(clrFacts.includes(`Learner${CLR_LEARNER.name}`), clrFacts);
    assert.match(clrFacts, /Issued by\s*Harbour Industry Panel/);
  });
});
