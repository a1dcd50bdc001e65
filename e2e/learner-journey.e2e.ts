import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD, loadDemoUniversity } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

const data = loadDemoUniversity();
const learnerEmail = 'learner@cascaderidge.example';
const learner = data.learners.find((l) => l.email === learnerEmail)!;
// A program the demo learner is not yet in, led by lead@, whose requirement is plain courses, and which stacks
// into a certificate (so the learner's progress shows it) and is credit-bearing (the registrar issues it).
const program = data.programs.find(
  (p) =>
    p.status === 'established' &&
    p.lead === 'lead@cascaderidge.example' &&
    p.enrolmentPaths.includes('current') &&
    p.creditType === 'credit' &&
    p.stacksInto.length > 0 &&
    (p.requirement as { type: string; rules?: { type: string }[] }).type === 'all' &&
    (p.requirement as { rules: { type: string }[] }).rules.every((r) => r.type === 'course') &&
    !learner.enrolments.some((e) => e.program === p.slug),
)!;
const certificate = data.certificates.find((c) => c.slug === program?.stacksInto[0]);

describe('a learner from enrolment to an issued badge, its charge and certificate progress (Chromium)', () => {
  const served = useServedApp({ runJobs: false });

  test('enrol, import completions, see the fee, request, approval, issue, the charge and the certificate', async () => {
    assert.ok(program, 'the demo data has a suitable program');
    assert.ok(certificate, 'the program stacks into a demo certificate');
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
    // The fee is stated before the request.
    const feeText = `Fee: $${(program.feeCents / 100).toFixed(2)}, charged to your student account when the badge is issued.`;
    await page.getByText(feeText).first().waitFor();
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

    // 5. The registrar issues it (credit-bearing), which charges the fee.
    const registrarContext = await served.browser.newContext({ bypassCSP: true });
    const registrar = await registrarContext.newPage();
    await signIn(registrar, served.baseUrl, 'registrar@cascaderidge.example', DEMO_PASSWORD);
    await registrar.goto(`${served.baseUrl}/issuing?office=registrar`);
    await registrar
      .getByRole('row')
      .filter({ hasText: program.title })
      .filter({ hasText: learner.name })
      .getByRole('button', { name: /^Issue/ })
      .click();
    await registrar.getByText(`charges $${(program.feeCents / 100).toFixed(2)} in fees`).waitFor();
    await registrar.getByRole('button', { name: 'Yes, issue 1 badge' }).click();
    await registrar.waitForURL(/issued=1/);
    await registrarContext.close();

    // 6. The learner's account lists the charge.
    await page.goto(`${served.baseUrl}/home`);
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
    const chargeRow = page.getByRole('row').filter({ hasText: program.title });
    await chargeRow.getByText('Charged to your student account').waitFor();
    await chargeRow.getByText(`$${(program.feeCents / 100).toFixed(2)}`).waitFor();
    await checkPage(page, 'journey-learner-account');

    // 7. Progress shows the certificate the badge stacks into: what counts and what is missing.
    await page.goto(`${served.baseUrl}/progress`);
    await page.getByRole('heading', { name: 'Certificates your badges count toward' }).waitFor();
    const card = page.getByRole('region', { name: certificate!.title });
    await card.getByText(`${program.title}: Counts: you hold this badge`).waitFor();
    await checkPage(page, 'journey-certificate-progress');
    await learnerContext.close();
  });
});
