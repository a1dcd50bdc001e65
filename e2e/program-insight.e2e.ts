import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';

describe("a program's insight page in Chromium", () => {
  const served = useServedApp({ seed: false, runJobs: false });
  let lead: Person;
  let program: BuiltProgram;

  before(async () => {
    const app = served.app;
    await anInstitution(app, { name: 'Insight Test College', shortName: 'ITC' });
    lead = await aStaffMember(app, 'program_lead', { name: 'Lee Lead' });
    program = await aProgram(app, { title: 'Soil Science Basics', lead });
    const registrar = await aStaffMember(app, 'registrar');
    for (const [code, name, startsOn, endsOn] of [
      ['T25F', 'Fall 2025', '2025-08-25', '2025-12-12'],
      ['T26S', 'Spring 2026', '2026-01-12', '2026-05-08'],
    ]) {
      await app.services.structure.saveOne(registrar, 'terms', { code, name, startsOn, endsOn }, 'create');
    }
    await anIssuedBadge(app, { program });
    await anIssuedBadge(app, { program });
    for (const [path, enrolledOn] of [
      ['non_degree', '2026-01-20'],
      ['returning', '2026-02-02'],
      ['new', '2026-01-15'],
    ] as const) {
      await anEnrolment(app, await aLearner(app), program, { path, enrolledOn });
    }
  });

  for (const width of [1280, 390]) {
    test(`the lead reads each chart and the table of its numbers, ${width} pixels wide`, async () => {
      const context = await served.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, lead.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/programs/${program.id}/insight`);
      await page.getByRole('heading', { level: 1, name: 'How Soil Science Basics is doing' }).waitFor();

      // The charts are images named by their own title; their numbers are the table's beside them.
      const termsChart = page.getByRole('img', {
        name: 'Enrolments and completions per term, Soil Science Basics',
      });
      await termsChart.waitFor();
      const terms = page.getByRole('table', { name: 'Enrolments and completions per term' });
      const rows = (await terms.locator('tbody tr').allInnerTexts()).map((row) => row.split('\t'));
      assert.deepEqual(
        rows.map(([term, enrolled]) => [term, enrolled]),
        [
          ['Fall 2025', '2'],
          ['Spring 2026', '3'],
        ],
      );
      // Both badges count once, in the term their completion falls in.
      assert.equal(
        rows.reduce((sum, row) => sum + Number(row[2]), 0),
        2,
      );
      // Each bar of the chart is one number of the table: Vega draws one path per bar, in the table's order.
      const bars = await termsChart.locator('.mark-rect path').count();
      assert.equal(bars, 4, 'two terms × enrolled and completed');
      await page.getByRole('img', { name: 'How learners enrolled in Soil Science Basics' }).waitFor();
      await checkPage(page, `program-insight-${width}`, { everyImpact: true });
      await context.close();
    });
  }

  for (const width of [1280, 390]) {
    test(`an approver filters the institution overview and reads it, ${width} pixels wide`, async () => {
      const approver = await aStaffMember(served.app, 'approver', { name: `Ava Approver ${width}` });
      const context = await served.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, approver.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/insight`);
      await page.getByRole('heading', { level: 1, name: 'Institution overview' }).waitFor();
      await page.getByLabel('Term').selectOption({ label: 'Spring 2026' });
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/term=T26S/);
      const paths = page.getByRole('table', { name: 'Learners enrolled by path' });
      assert.deepEqual(await paths.locator('tbody tr').allInnerTexts(), [
        'New students\t1',
        'Non-degree learners\t1',
        'Current students\t0',
        'Returning students\t1',
      ]);
      await page.getByRole('img', { name: 'Learners enrolled by path' }).waitFor();
      await checkPage(page, `institution-overview-${width}`, { everyImpact: true });
      await context.close();
    });
  }
});
