import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { fillProposalForm } from '../test/support/proposals.ts';

const title = 'Community Radio Storytelling';

describe('program proposals in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  async function personPage(email: string): Promise<Page> {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, email, DEMO_PASSWORD);
    return page;
  }

  test('a lead drafts a proposal, the signer signs from the inbox, the lead submits and the office approves a pilot', async () => {
    const lead = await personPage('lead@cascaderidge.example');
    await lead.goto(`${served.baseUrl}/programs`);
    await lead.getByRole('heading', { name: 'My programs and proposals' }).waitFor();
    await checkPage(lead, 'programs-list-lead');

    await lead.getByRole('link', { name: 'Start a new proposal' }).click();
    await lead.getByRole('heading', { name: 'New program proposal' }).waitFor();
    await checkPage(lead, 'programs-new');

    // A first try without the required text shows the problems beside the fields.
    await lead.getByRole('button', { name: 'Save the draft proposal', exact: true }).click();
    await lead.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.ok((await lead.getByText('Title is required.').count()) > 0);
    await checkPage(lead, 'programs-new-problems');

    await fillProposalForm(lead, {
      title,
      summary: 'Make short audio stories with local organisations.',
      description: 'Learners plan, record and edit audio features with a community partner.',
      department: 'COMM',
      credits: '8',
      courses: 'COMM 241\nCOMM 342',
      outcomes: 'Plan an audio story.\nEdit clean field audio.',
      skills: 'Audio editing | ESCO | http://data.europa.eu/esco/skill/example',
      marketAnalysis: 'Local stations ask for trained volunteers.',
      financialModel: 'Existing sections; the fee covers the badge.',
      marketingPlan: 'Partner stations and the campus newsletter.',
      deliveryMode: 'In person',
      audience: 'Communication students and station volunteers.',
      rationale: 'Stations need volunteers and the department teaches the craft.',
      assessment: 'An aired story marked with a rubric.',
      syllabus: '%PDF-1.4 syllabus',
    });
    await lead.getByRole('button', { name: 'Save the draft proposal', exact: true }).click();
    await lead.getByText('The draft proposal is saved').waitFor();
    await checkPage(lead, 'program-draft');

    await lead.getByLabel('Signer’s e-mail address', { exact: true }).fill('approver@cascaderidge.example');
    await lead.getByLabel('Signs as', { exact: true }).fill('Section head');
    await lead.getByRole('button', { name: 'Add the signer', exact: true }).click();
    await lead.getByText('The signer is named').waitFor();
    await lead.getByRole('button', { name: 'Request signatures', exact: true }).click();
    await lead.getByText('The signers have been asked to sign').waitFor();
    await checkPage(lead, 'program-awaiting-signatures');

    const signer = await personPage('approver@cascaderidge.example');
    await signer.goto(`${served.baseUrl}/inbox`);
    await signer.getByRole('heading', { name: 'Proposals to sign' }).waitFor();
    await checkPage(signer, 'inbox-signer');
    await signer.getByLabel(`Comment on ${title}`, { exact: true }).fill('Fits the department plan.');
    await signer.getByRole('button', { name: `Sign ${title}`, exact: true }).click();
    await signer.getByText('You signed the proposal').waitFor();
    await checkPage(signer, 'inbox-signed');

    await lead.reload();
    await lead.getByRole('button', { name: 'Submit proposal', exact: true }).click();
    await lead.getByText('The proposal is submitted for pilot approval').waitFor();

    const office = await personPage('credentials@cascaderidge.example');
    await office.goto(`${served.baseUrl}/inbox`);
    await office.getByRole('heading', { name: 'Proposals waiting for a pilot decision' }).waitFor();
    await checkPage(office, 'inbox-credentials-office');
    await office.getByRole('link', { name: title }).click();
    await office
      .getByLabel('Add a consultation note', { exact: true })
      .fill('Budget and partner letter reviewed with the lead.');
    await office.getByRole('button', { name: 'Add the note', exact: true }).click();
    await office.getByText('The consultation note is saved').waitFor();
    await office.getByLabel('Comment', { exact: true }).fill('Faculty Senate approved the pilot.');
    await office.getByRole('button', { name: 'Approve for pilot', exact: true }).click();
    await office.getByText('The decision is recorded').waitFor();
    assert.ok((await office.getByText('Status: Pilot').count()) > 0, 'the program is now a pilot');
    assert.ok((await office.getByText('Approved for pilot').count()) > 0, 'the history shows the approval');
    await checkPage(office, 'program-pilot');

    await office.goto(`${served.baseUrl}/programs/overdue`);
    await office.getByRole('heading', { name: 'Overdue and upcoming reviews' }).waitFor();
    await checkPage(office, 'programs-overdue');
    await office.goto(`${served.baseUrl}/programs?status=pilot`);
    await checkPage(office, 'programs-list-office');

    await lead.reload();
    await lead.getByRole('link', { name: /Not started.*year 1 review/ }).click();
    await lead.getByRole('heading', { name: new RegExp(`Year 1 pilot review: ${title}`) }).waitFor();
    await checkPage(lead, 'pilot-review');

    for (const page of [lead, signer, office]) await page.context().close();
  });
});
