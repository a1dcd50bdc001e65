import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';

const csv = [
  'student_id,course_code,term,grade,credits',
  'C00012345,MATH 243,2025 Fall,B+,4',
  'C00012345,CS 225,2026 Winter,A-,4',
  'C99999999,CS 225,2026 Winter,A,4',
].join('\n');

describe('learners in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  test('the registrar uploads a completions file and reads the report', async () => {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, 'registrar@cascaderidge.example', DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}/learners/imports`);
    await checkPage(page, 'learners-imports');
    await page.getByLabel('Completions file (CSV)').setInputFiles({
      name: 'winter-grades.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await Promise.all([
      page.waitForURL(/\/learners\/imports\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Import the file' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Import report' }).waitFor();
    await page.getByRole('heading', { name: 'Rejected rows (1)' }).waitFor();
    assert.ok(await page.getByText('no learner has student ID "C99999999"').isVisible());
    await checkPage(page, 'learners-import-report');

    await page.goto(`${served.baseUrl}/learners?q=jordan`);
    await checkPage(page, 'learners-search');
    await page.getByRole('link', { name: 'Jordan Ellis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Jordan Ellis' }).waitFor();
    assert.ok(await page.getByRole('cell', { name: 'winter-grades.csv' }).isVisible());
    await checkPage(page, 'learners-record');
    await context.close();
  });

  test('a newcomer enrols as a non-degree learner and asks to return to another program; staff see the request', async () => {
    const email = 'sam.quill@mail.example';
    await served.app.services.accounts.createUser(served.app.database.db, {
      email,
      name: 'Sam Quill',
      password: DEMO_PASSWORD,
      roles: [],
    });
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, email, DEMO_PASSWORD);

    await page.goto(`${served.baseUrl}/catalog/broadcast-news-production`);
    await page.getByRole('link', { name: 'Enrol in Broadcast News Production' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Enrol in Broadcast News Production' }).waitFor();
    await page.goto(`${served.baseUrl}/enrol/broadcast-news-production?path=non_degree`);
    await checkPage(page, 'enrol-non-degree');
    await page.getByLabel('I understand that financial aid').check();
    await Promise.all([
      page.waitForURL(/done=enrolled/),
      page.getByRole('button', { name: /^Enrol in/ }).click(),
    ]);
    await page.getByText('You are enrolled. A confirmation e-mail is on its way.').waitFor();
    await checkPage(page, 'enrol-done');

    await page.goto(`${served.baseUrl}/enrol/comic-studies?path=returning`);
    await page.getByLabel('Last term you attended').fill('2020 Fall');
    await page.getByLabel('Why you are returning').fill('I moved back and want to finish what I started.');
    await checkPage(page, 'enrol-returning');
    await Promise.all([
      page.waitForURL(/done=requested/),
      page.getByRole('button', { name: /^Ask to return/ }).click(),
    ]);
    await context.close();

    const staff = await served.browser.newContext({ bypassCSP: true });
    const staffPage = await staff.newPage();
    await signIn(staffPage, served.baseUrl, 'credentials@cascaderidge.example', DEMO_PASSWORD);
    await staffPage.goto(`${served.baseUrl}/learners/reactivations`);
    await staffPage.getByRole('heading', { name: 'Sam Quill · Comic Studies' }).waitFor();
    await checkPage(staffPage, 'learners-reactivations');
    await staff.close();
  });
});
