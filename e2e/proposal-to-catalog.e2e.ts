import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { fillProposalForm } from '../test/support/proposals.ts';

const title = 'Audio Journalism for Community Radio';
const slug = 'audio-journalism-for-community-radio';
const people = {
  lead: 'lead@cascaderidge.example',
  supervisor: 'lead2@cascaderidge.example',
  sectionHead: 'approver@cascaderidge.example',
  office: 'credentials@cascaderidge.example',
  admin: 'admin@cascaderidge.example',
};

/**
 * The done-when journey: a proposal drafted in the browser, signed by two people from their own inboxes,
 * submitted and approved for a pilot by a third, found by a visitor in the public catalog, changed (a fee the
 * catalog shows only once the change is approved: issue 17), and, once its first academic year has ended, shown
 * overdue on the credentials office's dashboard.
 */
describe('from proposal to catalog in Chromium', () => {
  // The pilot is approved in October 2025; the clock is later moved past the end of that academic year.
  const clock = fixedClock('2025-10-06T15:00:00Z');
  const served = useServedApp({ runJobs: false, clock });

  async function personPage(email: string): Promise<Page> {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, email, DEMO_PASSWORD);
    return page;
  }

  /** Signs from the signer's inbox, axe-checking it before and after when `screenshot` names the checks. */
  async function signFromInbox(email: string, comment: string, screenshot?: string) {
    const signer = await personPage(email);
    await signer.goto(`${served.baseUrl}/inbox`);
    await signer.getByRole('heading', { name: 'Proposals to sign' }).waitFor();
    if (screenshot) await checkPage(signer, `${screenshot}-inbox`);
    await signer.getByLabel(`Comment on ${title}`, { exact: true }).fill(comment);
    await signer.getByRole('button', { name: `Sign ${title}`, exact: true }).click();
    await signer.getByText('You signed the proposal').waitFor();
    if (screenshot) await checkPage(signer, `${screenshot}-signed`);
    await signer.context().close();
  }

  test('a proposal goes from an unfinished draft through consultation to pilot with three people deciding, reaches the catalog, has a change approved before it goes live and falls overdue', async () => {
    // The program lead starts a proposal and saves it with little more than its title.
    const lead = await personPage(people.lead);
    await lead.goto(`${served.baseUrl}/programs`);
    await lead.getByRole('link', { name: 'Start a new proposal' }).click();
    await lead.getByRole('heading', { name: 'New program proposal' }).waitFor();
    await lead.getByLabel('Title', { exact: true }).fill(title);
    await lead.getByLabel('Department', { exact: true }).selectOption('COMM');
    await lead.getByRole('button', { name: 'Save the draft proposal', exact: true }).click();
    await lead.getByText('The draft proposal is saved').waitFor();
    const programUrl = lead.url().replace(/\?.*$/, '');
    const missing = lead.getByRole('list', { name: 'Still missing before you can ask for signatures' });
    await missing.getByRole('link', { name: 'Summary is required' }).waitFor();
    await checkPage(lead, 'p2c-unfinished-draft');

    // Asking for signatures now names each missing field.
    await lead.getByRole('button', { name: 'Request signatures', exact: true }).click();
    await lead.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const problems = lead.getByRole('alert');
    for (const text of [
      'Delivery mode must say',
      'Audience must say who',
      'Rationale is not written yet',
      'Syllabus is not uploaded',
    ])
      await problems.getByRole('link', { name: new RegExp(`^${text}`) }).waitFor();
    await checkPage(lead, 'p2c-completeness-check');

    // The lead finishes the form; credits that the two 4-credit courses cannot add up to are caught.
    await lead.goto(`${programUrl}/edit`);
    await fillProposalForm(lead, {
      title,
      summary: 'Report local stories for community radio.',
      description: 'Learners research, record and edit short news features with a partner station.',
      department: 'COMM',
      credits: '9',
      courses: 'COMM 241\nCOMM 342',
      outcomes: 'Plan a news feature with a partner.\nRecord and edit clean field audio.',
      skills: 'Audio editing\nInterviewing',
      marketAnalysis: 'Three stations in the valley ask for trained volunteers.',
      financialModel: 'Existing sections; the fee covers the badge.',
      marketingPlan: 'Partner stations and the campus newsletter.',
      deliveryMode: 'Hybrid (online and in person)',
      audience: 'Communication students and volunteers at community stations.',
      rationale: 'Community stations need trained reporters, and the department already teaches the craft.',
      assessment: 'A produced news feature, marked against the outcomes with a rubric.',
      syllabus: '%PDF-1.4 audio journalism syllabus',
    });
    await checkPage(lead, 'p2c-new-proposal');
    await lead.getByRole('button', { name: 'Save changes', exact: true }).click();
    await lead.getByText('Your changes are saved').waitFor();
    await missing
      .getByRole('link', { name: /^Credits say 9, but the listed courses, all required, add up to 8/ })
      .waitFor();
    await lead.goto(`${programUrl}/edit`);
    await lead.getByLabel('Credits', { exact: true }).fill('8');
    await lead.getByRole('button', { name: 'Save changes', exact: true }).click();
    await lead.getByText('Your changes are saved').waitFor();

    // Consultation: the office's manager (with an account) answers on the proposal's page; the lead records
    // what an outside station manager said, on their behalf.
    const consult = async (email: string, name: string) => {
      await lead.getByLabel('Consultee’s e-mail address', { exact: true }).fill(email);
      await lead.getByLabel('Consultee’s name', { exact: true }).fill(name);
      await lead
        .getByLabel('What to consult them on', { exact: true })
        .fill('market analysis and credit options');
      await lead.getByRole('button', { name: 'Add the consultee', exact: true }).click();
      await lead.getByText('The consultee is named').waitFor();
    };
    await consult(people.office, '');
    await consult('manager@valleyradio.example', 'Rita Station');
    const consultation = lead.getByRole('list', { name: 'Still missing before you can ask for signatures' });
    await consultation.getByRole('link', { name: /^Consultation is still waiting for/ }).waitFor();
    await lead
      .getByRole('group', { name: /^Record Rita Station/ })
      .getByRole('radio', { name: 'Supports the proposal' })
      .check();
    await lead.getByRole('button', { name: 'Record the response of Rita Station', exact: true }).click();
    await lead.getByText('The response is recorded').waitFor();

    const manager = await personPage(people.office);
    await manager.goto(programUrl);
    await manager.getByRole('radio', { name: 'Has concerns' }).check();
    await manager.getByLabel('Your comments', { exact: true }).fill('Plan studio time with the station.');
    await manager.getByRole('button', { name: /^Record the response/ }).click();
    await manager.getByText('The response is recorded').waitFor();
    await manager.context().close();
    await lead.reload();
    const step = lead.getByRole('list', { name: 'Consultation' });
    assert.match(
      (await step.textContent()) ?? '',
      /Has concerns[\s\S]*Plan studio time[\s\S]*Rita Station: Supports the proposal \([^)]*recorded by/,
    );
    await checkPage(lead, 'p2c-consultation');
    // The same page on a phone, with its consultation and missing-field lists.
    const desktop = lead.viewportSize();
    await lead.setViewportSize({ width: 390, height: 844 });
    await checkPage(lead, 'p2c-consultation-390');
    await lead.goto(`${programUrl}/edit`);
    await checkPage(lead, 'p2c-edit-proposal-390');
    await lead.goto(programUrl);
    if (desktop) await lead.setViewportSize(desktop);

    // The lead names two signers and asks them to sign.
    for (const [email, role] of [
      [people.sectionHead, 'Section head'],
      [people.supervisor, 'Supervisor'],
    ] as const) {
      await lead.getByLabel('Signer’s e-mail address', { exact: true }).fill(email);
      await lead.getByLabel('Signs as', { exact: true }).fill(role);
      await lead.getByRole('button', { name: 'Add the signer', exact: true }).click();
      await lead.getByText('The signer is named').waitFor();
    }
    await checkPage(lead, 'p2c-draft-with-signers');
    await lead.getByRole('button', { name: 'Request signatures', exact: true }).click();
    await lead.getByText('The signers have been asked to sign').waitFor();
    await checkPage(lead, 'p2c-awaiting-signatures');

    // Each signer signs from their own inbox. The section head's inbox, before and after signing, is axe-checked in
    // programs.e2e.ts (the same person and states); the supervisor's, a program lead's, only here.
    await signFromInbox(people.sectionHead, 'The section supports it.');
    await signFromInbox(people.supervisor, 'Fits the department plan.', 'p2c-supervisor');

    // The lead submits; the credentials office approves it for a pilot.
    await lead.goto(programUrl);
    await lead.getByRole('button', { name: 'Submit proposal', exact: true }).click();
    await lead.getByText('The proposal is submitted for pilot approval').waitFor();
    await checkPage(lead, 'p2c-submitted');

    const office = await personPage(people.office);
    await office.goto(`${served.baseUrl}/inbox`);
    await office.getByRole('heading', { name: 'Proposals waiting for a pilot decision' }).waitFor();
    await checkPage(office, 'p2c-office-inbox');
    await office.getByRole('link', { name: title }).click();
    await office
      .getByLabel('Comment', { exact: true })
      .fill('Faculty Senate approved the pilot on 2025-10-01.');
    await office.getByRole('button', { name: 'Approve for pilot', exact: true }).click();
    await office.getByText('The decision is recorded').waitFor();
    assert.ok((await office.getByText('Status: Pilot').count()) > 0, 'the program is now a pilot');
    await checkPage(office, 'p2c-pilot');

    // Three different people signed or approved, each step on the history with who took it.
    // The latest steps and the earlier ones folded below them, read together.
    const history = office.getByRole('table', { name: /steps taken on this program/ });
    const who = async (what: string) =>
      Promise.all(
        (await history.getByRole('row').filter({ hasText: what }).all()).map(async (row) =>
          ((await row.getByRole('cell').nth(1).textContent()) ?? '').trim(),
        ),
      );
    const signers = await who('Signed');
    const approvers = await who('Approved for pilot');
    assert.equal(signers.length, 2);
    assert.equal(approvers.length, 1);
    assert.equal(new Set([...signers, ...approvers]).size, 3, `three people: ${[...signers, ...approvers]}`);

    // A visitor finds it in the public catalog, where drafts never appear.
    const visitorContext = await served.browser.newContext({ bypassCSP: true });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${served.baseUrl}/catalog`);
    await visitor.getByRole('searchbox', { name: 'Search' }).fill('audio journalism');
    await visitor.getByRole('button', { name: 'Show results' }).click();
    await visitor.waitForURL(/q=audio/);
    await checkPage(visitor, 'p2c-catalog-search');
    await visitor.getByRole('link', { name: title }).click();
    await visitor.getByRole('heading', { level: 1, name: title }).waitFor();
    assert.equal(new URL(visitor.url()).pathname, `/catalog/${slug}`);
    await visitor.getByRole('heading', { name: 'How to enrol' }).waitFor();
    await checkPage(visitor, 'p2c-catalog-program');
    const draft = await visitor.goto(`${served.baseUrl}/catalog/grant-writing-for-community-organizations`);
    assert.equal(draft?.status(), 404, 'a demo draft is not public, even by its address');
    await visitorContext.close();

    // The lead proposes a higher fee. It is a proposed change: the catalog keeps the approved fee meanwhile.
    const catalogText = async () => {
      const response = await fetch(`${served.baseUrl}/catalog/${slug}`);
      assert.equal(response.status, 200);
      return response.text();
    };
    assert.doesNotMatch(await catalogText(), /\$250\.00/);
    await lead.goto(programUrl);
    await lead.getByRole('link', { name: 'Propose a change to the program' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Propose a change to the program' }).waitFor();
    await lead.getByLabel('Badge fee', { exact: true }).fill('250.00');
    await lead.getByLabel('What changed', { exact: true }).fill('The fee now covers studio time.');
    await checkPage(lead, 'p2c-edit-offered');
    await lead.getByRole('button', { name: 'Save the change', exact: true }).click();
    await lead.getByText('Saved as a proposed change').waitFor();
    await lead.getByRole('button', { name: 'Submit the change for approval', exact: true }).click();
    await lead.getByText('The proposed change is submitted for approval').waitFor();
    const change = lead.getByRole('table', { name: 'Fields that would change' });
    assert.match((await change.textContent()) ?? '', /Badge fee[\s\S]*\$10\.00[\s\S]*\$250\.00/);
    assert.equal(
      await lead.getByRole('button', { name: 'Approve the change' }).count(),
      0,
      'the lead is not offered to approve their own change',
    );
    await checkPage(lead, 'p2c-change-submitted');
    assert.doesNotMatch(await catalogText(), /\$250\.00/, 'not live while under review');

    // The curriculum committee (an approver other than the lead) approves it: only now is it public.
    const committee = await personPage(people.sectionHead);
    await committee.goto(programUrl);
    await committee.getByRole('button', { name: 'Approve the change', exact: true }).click();
    await committee.getByText('Your approval of the change is recorded').waitFor();
    const versions = committee.getByRole('table', { name: 'Versions of this program' });
    await versions.getByRole('rowheader', { name: '2', exact: true }).waitFor();
    assert.match((await versions.textContent()) ?? '', /The fee now covers studio time\./);
    await checkPage(committee, 'p2c-change-approved');
    await committee.context().close();
    assert.match(await catalogText(), /\$250\.00/, 'live once approved');

    // Past the end of the pilot's first academic year, its review is overdue on the office's dashboard.
    clock.set('2026-09-15T15:00:00Z');
    await office.context().close();
    const officeLater = await personPage(people.office);
    await officeLater.goto(`${served.baseUrl}/programs/overdue`);
    await officeLater.getByRole('heading', { name: 'Overdue and upcoming reviews' }).waitFor();
    const overdue = officeLater.getByRole('table', { name: 'Overdue reviews and decisions' });
    const row = overdue.getByRole('row').filter({ hasText: title });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Year 1 review[\s\S]*August 31, 2026[\s\S]*15/);
    await checkPage(officeLater, 'p2c-overdue');

    for (const page of [lead, officeLater]) await page.context().close();
  });

  test('an administrator edits an approval chain with plain forms', async () => {
    const admin = await personPage(people.admin);
    await admin.goto(`${served.baseUrl}/home`);
    await admin.getByRole('link', { name: 'Approval chains' }).first().click();
    await admin.getByRole('heading', { level: 1, name: 'Approval chains' }).waitFor();
    await checkPage(admin, 'p2c-chains');
    await admin.getByRole('link', { name: 'Full proposal approval' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Edit Full proposal approval' }).waitFor();
    await checkPage(admin, 'p2c-chain');

    // Spaces get past the browser's own check of a required field; the server still says what is wrong.
    const addForm = admin.locator('form[action$="/steps"]');
    await addForm.getByLabel('Approving body').fill('   ');
    await addForm.getByRole('button', { name: 'Add the step' }).click();
    await admin.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await admin.getByText('Approving body is required.').waitFor();
    await checkPage(admin, 'p2c-chain-problem');

    await addForm.getByLabel('Approving body').fill('Board of Governors');
    await addForm.getByLabel('Place in the chain').selectOption({ label: 'Before step 4: Provost' });
    await addForm.getByRole('button', { name: 'Add the step' }).click();
    await admin.getByText('The step is added.').waitFor();
    await admin.getByRole('heading', { name: 'Step 4: Board of Governors' }).waitFor();
    await admin.getByRole('button', { name: 'Move down step 4, Board of Governors' }).click();
    await admin.getByRole('heading', { name: 'Step 5: Board of Governors' }).waitFor();
    await checkPage(admin, 'p2c-chain-changed');
    await admin.getByRole('button', { name: 'Remove step 5, Board of Governors' }).click();
    await admin.getByText('The step is removed.').waitFor();
    assert.equal(await admin.getByRole('heading', { name: /^Step \d: / }).count(), 4);
    await admin.context().close();
  });

  test('the credentials office retires an established program after confirming, with a reason, and reinstates it', async () => {
    const office = await personPage(people.office);
    await office.goto(`${served.baseUrl}/programs?status=established`);
    await office.getByRole('link', { name: 'Broadcast News Production' }).first().click();
    await office.getByRole('link', { name: 'Retire the program…' }).click();
    await office.getByRole('heading', { level: 1, name: /^Retire / }).waitFor();
    await checkPage(office, 'p2c-retire');
    // Without the tick nothing happens, and the page says what is missing.
    await office.getByLabel('Reason for retiring').fill('Replaced by the new media program.');
    await office.getByRole('button', { name: 'Retire the program', exact: true }).click();
    await office.getByText('Confirmation must be ticked to confirm the retirement.').first().waitFor();
    await checkPage(office, 'p2c-retire-problem');
    await office.getByLabel('I understand that new learners can no longer enrol once it is retired.').check();
    await office.getByRole('button', { name: 'Retire the program', exact: true }).click();
    await office.getByText('The program is retired.').waitFor();
    await office.getByText(/Reason: Replaced by the new media program\./).waitFor();
    await checkPage(office, 'p2c-retired');
    await office.getByRole('button', { name: 'Reinstate the program', exact: true }).click();
    await office.getByText('The program is reinstated').waitFor();
    assert.ok((await office.getByText('Status: Established').count()) > 0);
    await office.context().close();
  });
});
