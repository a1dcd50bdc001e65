/**
 * Audit points 4 and 5 in Chromium: the page that turns away a claim link opened in the wrong account signs out
 * and comes back to the link for its owner; the staff queue shows a reactivation beside the record on file.
 * Both pages pass the accessibility check.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { newId } from '../../src/platform/ids.ts';
import { claimPathIn, issueBadge, latestMailTo } from '../support/backpack.ts';
import { checkPage, signIn, useServedApp } from '../support/browser.ts';

describe('identity pages in Chromium', () => {
  const served = useServedApp({ runJobs: false });

  const account = async (name: string, roles: ('registrar' | 'learner')[] = []) => {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${newId().slice(0, 6)}@mail.example`;
    await served.app.services.accounts.createUser(served.app.database.db, {
      email,
      name,
      password: DEMO_PASSWORD,
      roles,
    });
    return email;
  };

  test('a claim link opened in the wrong account: sign out, and the link asks its owner to sign in', async () => {
    const owner = await account('Seraphine Okoye');
    const other = await account('Lachlan Dunmore');
    await issueBadge(served.app, { email: owner, name: 'Seraphine Okoye' });
    const path = claimPathIn((await latestMailTo(served.app, owner)).text_body);

    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, other, DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}${path}`);
    await page.getByRole('heading', { name: 'This badge was sent to someone else' }).waitFor();
    await checkPage(page, 'claim-wrong-account');
    await Promise.all([
      page.waitForURL(/\/claim\?token=/),
      page.getByRole('button', { name: 'Sign out and open the link again' }).click(),
    ]);
    await page.getByRole('heading', { name: 'Sign in to claim your badge' }).waitFor();
    assert.equal(await page.getByLabel('E-mail address').inputValue(), owner);
    await context.close();
  });

  test('the staff queue shows a request beside the record its student ID points to', async () => {
    const studentId = `C8${newId().replace(/\D/g, '').slice(0, 7).padEnd(7, '0')}`;
    await served.app.database.db
      .insertInto('learners')
      .values({
        id: newId(),
        user_id: null,
        email: 'perdita.vance@students.example',
        name: 'Perdita Vance',
        student_id: studentId,
        status: 'current',
      })
      .execute();
    const asker = await account('Quentin Marlowe');
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, asker, DEMO_PASSWORD);
    await page.goto(`${served.baseUrl}/enrol/comic-studies?path=returning`);
    await page.getByLabel('Full name').fill('Perdita Vance');
    await page.getByLabel('Your student ID').fill(studentId);
    await page.getByLabel('Last term you attended').fill('2020 Fall');
    await page.getByLabel('Why you are returning').fill('I would like to finish the program I started.');
    await Promise.all([
      page.waitForURL(/done=requested/),
      page.getByRole('button', { name: /^Ask to return/ }).click(),
    ]);
    await context.close();

    const registrar = await account('Eulalia Brandvold', ['registrar']);
    const staff = await served.browser.newContext({ bypassCSP: true });
    const staffPage = await staff.newPage();
    await signIn(staffPage, served.baseUrl, registrar, DEMO_PASSWORD);
    await staffPage.goto(`${served.baseUrl}/learners/reactivations`);
    await staffPage
      .getByRole('table', { name: `The request beside the record on file for ${studentId}` })
      .waitFor();
    assert.ok(
      await staffPage
        .getByText("E-mail differs: the account's e-mail is not the e-mail on record")
        .isVisible(),
    );
    await checkPage(staffPage, 'reactivations-identity-comparison');

    const unconfirmedId = newId();
    await served.app.database.db
      .insertInto('learners')
      .values({
        id: unconfirmedId,
        user_id: null,
        email: 'ignatius.fell@mail.example',
        name: 'Ignatius Fell',
        student_id: `N${studentId.slice(1)}`,
        status: 'non_degree_seeking',
        identity_confirmed: false,
      })
      .execute();
    await staffPage.goto(`${served.baseUrl}/learners/${unconfirmedId}`);
    await staffPage.getByText('Identity not confirmed').waitFor();
    await checkPage(staffPage, 'learner-identity-unconfirmed');
    await staffPage.getByLabel("I have verified this person's identity").check();
    await Promise.all([
      staffPage.waitForURL(/confirmed=1$/),
      staffPage.getByRole('button', { name: 'Confirm the student ID' }).click(),
    ]);
    await staffPage.getByText('Identity confirmed.').waitFor();
    await staff.close();
  });
});
