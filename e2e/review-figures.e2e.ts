import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  anInstitution,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';
import { aPilotWithEnrolments } from '../test/support/pilots.ts';

/** Every figure table on the page, caption first, as the reader sees it. */
const tablesOf = (page: Page) =>
  page.locator('.review-tables table').evaluateAll((tables) => tables.map((t) => t.textContent ?? ''));

describe('a pilot review pre-filled with the year’s figures, submitted and printed, in Chromium', () => {
  // 2026-10-06: year 1 of a pilot started on 2025-09-01 has ended and may be reviewed.
  const served = useServedApp({ seed: false, runJobs: false, clock: fixedClock('2026-10-06T12:00:00Z') });
  let lead: Person;
  let pilot: BuiltProgram;
  let learner: BuiltLearner;

  before(async () => {
    const app = served.app;
    await anInstitution(app, { name: 'Review Test College', shortName: 'RTC' });
    lead = await aStaffMember(app, 'program_lead', { name: 'Rhea Lead' });
    const built = await aPilotWithEnrolments(app, {
      title: 'Coastal Field Methods',
      lead,
      enrolments: [
        { path: 'new', enrolledOn: '2025-10-01' },
        { path: 'non_degree', enrolledOn: '2026-01-20' },
      ],
    });
    pilot = built.pilot;
    learner = built.learners[0]!;
  });

  test('the lead reads the charts beside their tables, submits, and the figures stay after an import', async () => {
    const context = await served.browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, lead.email, TEST_PASSWORD);
    const address = `${served.baseUrl}/programs/${pilot.id}/reviews/1`;
    await page.goto(address);
    await page
      .getByRole('heading', { level: 1, name: 'Year 1 pilot review: Coastal Field Methods' })
      .waitFor();
    const pathsChart = page.getByRole('img', { name: 'How learners enrolled in Coastal Field Methods' });
    await pathsChart.waitFor();
    const paths = page.getByRole('table', { name: 'Learners by enrolment path' });
    const counts = (await paths.locator('tbody tr td').allInnerTexts()).map(Number);
    assert.deepEqual(counts, [1, 1, 0, 0]);
    // One bar per row of the table, each as long as its number: the zero rows draw bars of no width.
    const widths = await pathsChart
      .locator('.mark-rect path')
      .evaluateAll((bars) => bars.map((b) => (b as SVGGraphicsElement).getBBox().width));
    assert.equal(widths.length, counts.length);
    assert.deepEqual(
      widths.map((w) => w > 0),
      counts.map((c) => c > 0),
    );
    await checkPage(page, 'pilot-review-form-1280', { everyImpact: true });

    await page.getByLabel('What went well this year').fill('Both field weekends ran.');
    await page.getByLabel('What was difficult, and why').fill('Tides.');
    await page.getByLabel('Changes planned for next year').fill('A spring weekend.');
    await page.getByRole('button', { name: 'Submit the review' }).click();
    await page.getByText('The review is submitted. Thank you.').waitFor();
    const atSubmission = await tablesOf(page);

    const csv = [
      'student_id,course_code,term,grade,credits,completed_on',
      ...pilot.courses.map((code) => `${learner.studentId},${code},2026 Spring,A,3,2026-04-30`),
    ].join('\n');
    const imported = await served.app.services.completionImports.importCompletions(
      { system: 'e2e import' },
      Readable.from([Buffer.from(csv)]),
      'spring.csv',
      'cli',
    );
    assert.equal(imported.accepted, 2);
    await page.goto(address);
    assert.deepEqual(await tablesOf(page), atSubmission, 'the submitted review shows what it kept');
    await checkPage(page, 'pilot-review-submitted-1280', { everyImpact: true });

    await page.getByRole('link', { name: 'Printable version' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Year 1 pilot review: Coastal Field Methods' })
      .waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0, 'no site navigation on the printable page');
    assert.deepEqual(await tablesOf(page), atSubmission);
    await checkPage(page, 'pilot-review-print-1280', { everyImpact: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('link', { name: 'Back to the review' }).isVisible(), false);
    await context.close();
  });

  test('the submitted review and its printable version read on a phone', async () => {
    const context = await served.browser.newContext({
      bypassCSP: true,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, lead.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/programs/${pilot.id}/reviews/1`);
    await page.getByRole('link', { name: 'Printable version' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the review is ${overflow}px wider than the phone`);
    await checkPage(page, 'pilot-review-submitted-390', { everyImpact: true });
    await page.getByRole('link', { name: 'Printable version' }).click();
    await page.getByRole('link', { name: 'Back to the review' }).waitFor();
    await checkPage(page, 'pilot-review-print-390', { everyImpact: true });
    await context.close();
  });
});
