import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  aLearner,
  anAccount,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';
import { readPdf } from '../test/support/pdf.ts';

describe('staff dashboards and PDFs in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });
  let lead: Person;
  let badge: Awaited<ReturnType<typeof anIssuedBadge>>;

  before(async () => {
    const app = served.app;
    await anInstitution(app, { name: 'Dashboard Test College', shortName: 'DTC' });
    lead = await aStaffMember(app, 'program_lead', { name: 'Dana Lead' });
    const hydrology = await aProgram(app, { title: 'Hydrology Field Methods', lead });
    await aProgram(app, { title: 'Applied Geomatics', lead });
    badge = await anIssuedBadge(app, { program: hydrology });
    await anEnrolment(app, await aLearner(app), hydrology);
  });

  for (const width of [1280, 390]) {
    test(`each role reads its dashboard, ${width} pixels wide`, async () => {
      const everyOffice = await anAccount(served.app, {
        name: `Olu Office ${width}`,
        roles: ['credentials_office', 'registrar', 'bursar'],
      });
      const context = await served.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();

      await signIn(page, served.baseUrl, lead.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/home`);
      const table = page.getByRole('table', { name: /Programs you lead/ });
      assert.deepEqual(await table.locator('tbody th').allInnerTexts(), [
        'Applied Geomatics',
        'Hydrology Field Methods',
      ]);
      // Sorting is a link in the column's heading: it works without a script, and says which way it sorts.
      await table.getByRole('link', { name: /^Badges issued/ }).click();
      await page.waitForURL(/sort=badges&order=desc/);
      assert.deepEqual(await table.locator('tbody th').allInnerTexts(), [
        'Hydrology Field Methods',
        'Applied Geomatics',
      ]);
      assert.match(await table.locator('th[aria-sort="descending"]').innerText(), /^Badges issued/);
      await checkPage(page, `dashboard-lead-${width}`, { everyImpact: true });

      await context.clearCookies();
      await signIn(page, served.baseUrl, everyOffice.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/home`);
      for (const name of [
        'Credentials office: waiting for you',
        'Registrar: the next transcript export',
        'Bursar: the next fee export',
      ]) {
        await page.getByRole('heading', { level: 2, name }).waitFor();
      }
      const registrar = page.locator('#registrar-exports');
      assert.match(await registrar.innerText(), /1 Transcript notations to add/);
      await registrar.getByRole('link', { name: /Transcript notations to add/ }).click();
      await page.waitForURL(/\/issuing\/exports$/);
      await page.goBack();
      await checkPage(page, `dashboard-offices-${width}`, { everyImpact: true });
      await context.close();
    });
  }

  test('the overview report and a badge certificate download as PDFs', async () => {
    const admin = await aStaffMember(served.app, 'admin');
    const context = await served.browser.newContext({ bypassCSP: true, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/insight`);
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this overview as a PDF report' }).click(),
    ]);
    assert.match(report.suggestedFilename(), /^overview-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
    const overview = await readPdf(readFileSync((await report.path())!));
    assert.equal(overview.title, 'Institution overview, Dashboard Test College');
    await overview.close();

    await context.clearCookies();
    await signIn(page, served.baseUrl, badge.learner.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/badges/${badge.credentialId}`);
    await checkPage(page, 'badge-page-with-certificate', { everyImpact: true });
    const [certificate] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download a printable certificate (PDF)' }).click(),
    ]);
    assert.equal(certificate.suggestedFilename(), 'hydrology-field-methods-certificate.pdf');
    const pdf = await readPdf(readFileSync((await certificate.path())!));
    assert.ok((await pdf.texts()).includes(badge.learner.name));
    assert.deepEqual(await pdf.qrCodes(), [`${served.app.config.publicUrl}/badges/${badge.credentialId}`]);
    await pdf.close();
    await context.close();
  });
});
