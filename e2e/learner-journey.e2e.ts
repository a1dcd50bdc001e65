import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD, loadDemoUniversity } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

const data = loadDemoUniversity();
const learnerEmail = 'learner@cascaderidge.example';
const learner = data.learners.find((l) => l.email === learnerEmail)!;
// A program the demo learner is not yet in, led by lead@, whose requirement is plain courses.
const program = data.programs.find(
  (p) =>
    p.status === 'established' &&
    p.lead === 'lead@cascaderidge.example' &&
    p.enrolmentPaths.includes('current') &&
    (p.requirement as { type: string; rules?: { type: string }[] }).type === 'all' &&
    (p.requirement as { rules: { type: string }[] }).rules.every((r) => r.type === 'course') &&
    !learner.enrolments.some((e) => e.program === p.slug),
)!;

describe('a learner from enrolment to an approved badge request (Chromium)', () => {
  const served = useServedApp({ runJobs: false });

  test('enrol, import completions, watch progress, request the badge, lead approves', async () => {
    assert.ok(program, 'the demo data has a suitable program');
    const learnerContext = await served.browser.newContext({ bypassCSP: true });
    const page = await learnerContext.newPage();
    await signIn(page, served.baseUrl, learnerEmail, DEMO_PASSWORD);

    // 1. Enrol as a current student from the public program page.
    await page.goto(`${served.baseUrl}/catalog/${program.slug}`);
    await page
      .getByRole('link', { name: `Enrol in ${program.title}` })
      .nth(1)
      .click();
    await page.getByRole('button', { name: `Enrol in ${program.title}` }).click();
    await page.getByText('You are enrolled. A confirmation e-mail is on its way.').waitFor();
    await checkPage(page, 'journey-enrolled');

    const bar = () => page.getByRole('progressbar', { name: `Progress toward ${program.title}` });
    await page.goto(`${served.baseUrl}/progress`);
    assert.equal(Number(await bar().getAttribute('value')), 0);

    // 2. The registrar imports the grades from the student system.
    const staffContext = await served.browser.newContext({ bypassCSP: true });
    const staff = await staffContext.newPage();
    await signIn(staff, served.baseUrl, 'registrar@cascaderidge.example', DEMO_PASSWORD);
    await staff.goto(`${served.baseUrl}/learners/imports`);
    const csv = [
      'student_id,course_code,term,grade,credits',
      ...program.courses.map((code) => {
        const credits = data.courses.find((c) => c.code === code)!.credits;
        return `${learner.studentId},${code},2026 Summer,A,${credits}`;
      }),
    ].join('\n');
    await staff.getByLabel('Completions file (CSV)').setInputFiles({
      name: 'fall-grades.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await staff.getByRole('button', { name: 'Import the file' }).click();
    await staff
      .getByRole('heading', { level: 1 })
      .filter({ hasText: /import/i })
      .waitFor();
    await checkPage(staff, 'journey-import-report');
    await staffContext.close();

    // 3. The learner's progress follows, and the badge can be requested.
    await page.reload();
    assert.equal(Number(await bar().getAttribute('value')), 100);
    await page.getByRole('button', { name: `Request my badge for ${program.title}` }).click();
    await page.getByText('Your badge request is on its way').waitFor();
    await checkPage(page, 'journey-requested');

    // 4. The program lead approves it.
    const leadContext = await served.browser.newContext({ bypassCSP: true });
    const lead = await leadContext.newPage();
    await signIn(lead, served.baseUrl, 'lead@cascaderidge.example', DEMO_PASSWORD);
    await lead.goto(`${served.baseUrl}/progress/requests`);
    await lead.getByRole('button', { name: 'Approve the request of Jordan Ellis' }).first().click();
    await lead.getByText('Request approved').waitFor();
    await leadContext.close();

    await page.reload();
    await page.getByText('The credentials office issues it next').first().waitFor();
    await learnerContext.close();
  });
});
