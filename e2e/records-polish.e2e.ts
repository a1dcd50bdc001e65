// Issue 17: the pages this round touched, read in Chromium at 1280 and 390 pixels and checked with axe: the
// summary before issuing, the staff learner page and the register with the learner's own status words, and the
// inbox with a proposed change.
import { before, describe, test } from 'node:test';
import { formValuesOf } from '../src/programs/program-form.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  aBadgeRequest,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';

describe('issuing summary, status words and the inbox in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });
  let office: Person;
  let approver: Person;
  let admin: Person;
  const built: { learner: BuiltLearner; program: BuiltProgram; requestId: string }[] = [];
  let changed: BuiltProgram;

  before(async () => {
    const app = served.app;
    await anInstitution(app, { name: 'Records Test College', shortName: 'RTC' });
    office = await aStaffMember(app, 'credentials_office', { name: 'Olive Office' });
    approver = await aStaffMember(app, 'approver', { name: 'Ava Approver' });
    admin = await aStaffMember(app, 'admin');
    const lead = await aStaffMember(app, 'program_lead', { name: 'Lee Lead' });
    for (const title of ['Persuasive Writing', 'Team Facilitation']) {
      const program = await aProgram(app, { title, creditType: 'non_credit', feeCents: 2500 });
      const { request, learner } = await aBadgeRequest(app, { program });
      await app.services.badgeRequests.decide(admin, request.id, 'approve', '');
      built.push({ learner, program, requestId: request.id });
    }
    changed = await aProgram(app, { title: 'Field Ecology', lead, feeCents: 1000 });
    const form = await app.services.programs.drafting.editForm(lead, changed.id);
    await app.services.programs.drafting.editProgram(
      lead,
      changed.id,
      { ...formValuesOf(form.fields), fee: '40.00' },
      [],
      { expectedVersion: form.program.version, changeNote: 'Costs went up' },
    );
    await app.services.programs.modifications.submit(lead, changed.id);
  });

  for (const width of [1280, 390]) {
    test(`the office confirms issuing, and staff pages word the badge as the learner's do, ${width} pixels wide`, async () => {
      const { learner, program } = built[width === 1280 ? 0 : 1]!;
      const context = await served.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, office.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/issuing`);
      await page.getByRole('button', { name: `Issue the badge of ${learner.name}` }).click();
      await page.getByRole('heading', { level: 1, name: 'Issue 1 badge?' }).waitFor();
      await page.getByText('charges $25.00 in fees').waitFor();
      await checkPage(page, `records-issue-confirm-${width}`, { everyImpact: true });
      await page.getByRole('button', { name: 'Yes, issue 1 badge' }).click();
      await page.getByText('One badge was issued.').waitFor();

      await page.goto(`${served.baseUrl}/issuing/badges?search=${learner.studentId}`);
      await page
        .getByRole('row')
        .filter({ hasText: program.title })
        .getByText('Issued, not yet claimed')
        .waitFor();
      await checkPage(page, `records-issued-badges-${width}`, { everyImpact: true });

      await page.goto(`${served.baseUrl}/learners/${learner.id}`);
      await page
        .getByRole('row')
        .filter({ hasText: program.title })
        .getByText('Issued, not yet claimed')
        .waitFor();
      await checkPage(page, `records-learner-record-${width}`, { everyImpact: true });
      await context.close();
    });

    test(`an approver finds the proposed change in the inbox, ${width} pixels wide`, async () => {
      const context = await served.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signIn(page, served.baseUrl, approver.email, TEST_PASSWORD);
      await page.goto(`${served.baseUrl}/inbox`);
      await page.getByRole('heading', { level: 2, name: 'Proposed changes waiting for your step' }).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: changed.title })
        .getByText(/Badge fee/)
        .waitFor();
      await checkPage(page, `records-inbox-${width}`, { everyImpact: true });
      await context.close();
    });
  }
});
