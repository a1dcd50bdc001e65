import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';
import { aPdf } from '../test/support/full-proposals.ts';

const widths = [1280, 390] as const;

async function signedInPage(browser: Browser, baseUrl: string, person: Person, width: number) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signIn(page, baseUrl, person.email, TEST_PASSWORD);
  return { context, page };
}

async function noSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the window`);
}

describe('a pilot’s full proposal prepared, submitted and decided, in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false, clock: fixedClock('2026-10-06T12:00:00Z') });
  let lead: Person;
  let approver: Person;
  let pilot: BuiltProgram;

  before(async () => {
    const app = served.app;
    await anInstitution(app, { name: 'Proposal Test College', shortName: 'PTC' });
    lead = await aStaffMember(app, 'program_lead', { name: 'Priya Lead' });
    approver = await aStaffMember(app, 'approver', { name: 'Abel Approver' });
    pilot = await aProgram(app, {
      title: 'Estuary Monitoring',
      lead,
      status: 'pilot',
      pilotStartYear: 2024,
      pilotStartedOn: '2024-09-01',
    });
  });

  test('the lead fills the sections, uploads a PDF and submits', async () => {
    const { context, page } = await signedInPage(served.browser, served.baseUrl, lead, 1280);
    await page.goto(`${served.baseUrl}/programs/${pilot.id}`);
    await page.getByRole('link', { name: 'Prepare the full proposal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Full proposal: Estuary Monitoring' }).waitFor();
    // The evidence starts from the records, in words and days as people write them.
    const evidence = page.getByLabel('Enrolment and completion evidence');
    assert.match(
      await evidence.inputValue(),
      /^From September 1, 2024 to October 6, 2026: 0 learners enrolled/,
    );

    // Submitting too early names what is missing, beside each field.
    await page.getByRole('button', { name: 'Submit the full proposal' }).click();
    const problems = page.getByRole('alert');
    await problems.getByText('Resources is required to submit the full proposal').waitFor();
    await problems.getByText(/The document is required/).waitFor();
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, `full-proposal-refused-${width}`, { everyImpact: true });
      await noSidewaysScroll(page, `the refused full proposal at ${width}px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page
      .getByLabel('Summary of the pilot’s outcome')
      .fill('Two cohorts finished; employers asked for more.');
    await page.getByLabel('Changes proposed for the established program').fill('Add a winter field week.');
    await page.getByLabel('Resources', { exact: true }).fill('One lecturer and the field station.');
    await page.getByLabel('Assessment plan').fill('A monitoring report marked against each outcome.');
    await page.getByRole('button', { name: 'Save a draft' }).click();
    await page.getByText('Your draft is saved').waitFor();

    await page.getByLabel('Add a document').setInputFiles({
      name: 'Estuary full proposal.pdf',
      mimeType: 'application/pdf',
      buffer: await aPdf('Estuary Monitoring: full proposal'),
    });
    await page.getByRole('button', { name: 'Upload the document' }).click();
    await page.getByText('The document is uploaded.').waitFor();
    const row = page.getByRole('row', { name: /Estuary full proposal\.pdf/ });
    await row.getByText('Priya Lead').waitFor();
    await row.getByText('October 6, 2026', { exact: false }).waitFor();
    assert.equal(
      await page.getByLabel('Assessment plan').inputValue(),
      'A monitoring report marked against each outcome.',
    );
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, `full-proposal-form-${width}`, { everyImpact: true });
      await noSidewaysScroll(page, `the full proposal form at ${width}px`);
    }

    await page.getByRole('button', { name: 'Submit the full proposal' }).click();
    await page.getByText('The full proposal is submitted for review.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Full proposal' }).waitFor();
    await context.close();
  });

  test('the approver reads it on the decision screen, downloads the PDF and decides', async () => {
    for (const width of widths) {
      const { context, page } = await signedInPage(served.browser, served.baseUrl, approver, width);
      await page.goto(`${served.baseUrl}/programs/${pilot.id}`);
      const section = page.getByRole('region', { name: 'Full proposal' });
      await section.getByText('Submitted by Priya Lead').waitFor();
      await section.getByText('Two cohorts finished; employers asked for more.').waitFor();
      await checkPage(page, `full-proposal-decision-${width}`, { everyImpact: true });
      await noSidewaysScroll(page, `the decision screen at ${width}px`);
      if (width === 1280) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          section.getByRole('link', { name: 'Estuary full proposal.pdf' }).click(),
        ]);
        assert.equal(download.suggestedFilename(), 'Estuary full proposal.pdf');
        await page.getByRole('button', { name: 'Approve review step' }).click();
        await page.getByText('Your step is approved and recorded.').waitFor();
      }
      await context.close();
    }
  });
});
