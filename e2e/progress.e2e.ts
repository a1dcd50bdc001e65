import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { newId } from '../src/platform/ids.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

describe('progress and badge requests in Chromium', () => {
  const served = useServedApp({ runJobs: false });
  before(async () => {
    // Social Media Strategy becomes complete too: its three courses arrive from the student system.
    const db = served.app.database.db;
    const learner = await db
      .selectFrom('learners')
      .select('id')
      .where('email', '=', 'learner@cascaderidge.example')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('completions')
      .values(
        ['COMM 250', 'COMM 351', 'COMM 352'].map((course, index) => ({
          id: newId(),
          learner_id: learner.id,
          course_code: course,
          term: `2026 Fall e2e ${index}`,
          grade: 'A-',
          credits: 4,
          completed_on: '2026-10-15',
        })),
      )
      .execute();
  });

  test('the learner follows progress, asks for a badge, and the lead approves it', async () => {
    const learnerContext = await served.browser.newContext({ bypassCSP: true });
    const learner = await learnerContext.newPage();
    await signIn(learner, served.baseUrl, 'learner@cascaderidge.example', DEMO_PASSWORD);
    await learner.getByRole('link', { name: 'See my progress' }).click();
    await learner.getByRole('heading', { level: 1, name: 'My progress' }).waitFor();
    assert.equal(await learner.getByRole('progressbar').count(), 3);
    const dataViz = learner.getByRole('progressbar', { name: 'Progress toward Data Visualization' });
    assert.ok(Number(await dataViz.getAttribute('value')) > 0);
    await learner.getByText('still needs MATH 344 (C- or better)').waitFor();
    await checkPage(learner, 'progress-learner');

    await learner.getByRole('button', { name: 'Request my badge for Social Media Strategy' }).click();
    await learner.getByText('Your badge request is on its way').waitFor();
    await learner.getByText('waiting for a decision', { exact: true }).waitFor();
    await checkPage(learner, 'progress-learner-requested');

    const leadContext = await served.browser.newContext({ bypassCSP: true });
    const lead = await leadContext.newPage();
    await signIn(lead, served.baseUrl, 'lead@cascaderidge.example', DEMO_PASSWORD);
    await lead.goto(`${served.baseUrl}/progress/programs`);
    await checkPage(lead, 'progress-programs');
    await lead.getByRole('link', { name: 'Social Media Strategy' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Social Media Strategy: learner progress' }).waitFor();
    await checkPage(lead, 'progress-program');
    await lead.getByRole('link', { name: 'Jordan Ellis' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Jordan Ellis' }).waitFor();
    await checkPage(lead, 'progress-program-learner');

    await lead.getByRole('link', { name: 'Review the waiting request' }).click();
    await lead.getByRole('heading', { level: 1, name: 'Badge requests' }).waitFor();
    await checkPage(lead, 'progress-requests');
    await lead.getByLabel('Comment for the learner').fill('Well done: all three courses with strong grades.');
    await lead.getByRole('button', { name: 'Approve the request of Jordan Ellis' }).click();
    await lead.getByText('Request approved').waitFor();
    await checkPage(lead, 'progress-requests-approved');

    await learner.reload();
    await learner.getByText('The credentials office issues it next').waitFor();
    await leadContext.close();
    await learnerContext.close();
  });

  test('the lead signs off an applied experience; the form works without JavaScript', async () => {
    const checked = await served.browser.newContext({ bypassCSP: true });
    const viewer = await checked.newPage();
    await signIn(viewer, served.baseUrl, 'lead@cascaderidge.example', DEMO_PASSWORD);
    await viewer.goto(`${served.baseUrl}/progress/programs/set-skills-for-cinema-production`);
    await viewer.getByRole('link', { name: 'Tomás Herrera' }).click();
    await viewer.getByRole('heading', { name: 'Applied experiences' }).waitFor();
    await checkPage(viewer, 'progress-experience-form');

    const noScript = await served.browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const lead = await noScript.newPage();
    await signIn(lead, served.baseUrl, 'lead@cascaderidge.example', DEMO_PASSWORD);
    await lead.goto(viewer.url());
    await lead.getByLabel('Completed on').fill('2026-10-30');
    await lead.getByLabel('Note (optional)').fill('Crew placement on the spring student feature.');
    await lead.getByRole('button', { name: 'Sign off' }).click();
    await lead.getByText('Experience signed off').waitFor();
    await lead.getByText('signed off by Daniel Okafor').waitFor();
    await noScript.close();

    await viewer.reload();
    await viewer.getByText('signed off by Daniel Okafor').waitFor();
    await checkPage(viewer, 'progress-experience-signed');
    await checked.close();
  });
});
