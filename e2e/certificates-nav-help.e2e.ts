import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aCourse, anInstitution, aProgram, aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';

describe('the certificates editor, the staff navigation and help in Chromium', () => {
  const served = useServedApp({ seed: false, runJobs: false });

  test('the credentials office creates, fixes and publishes a certificate with plain forms', async () => {
    const { app, baseUrl } = served;
    await anInstitution(app, { name: 'Browser Test University' });
    const office = await aStaffMember(app, 'credentials_office', { name: 'Casey Office' });
    const [core, elective] = [await aCourse(app, { credits: 3 }), await aCourse(app, { credits: 3 })];
    const program = await aProgram(app, { title: 'Field Mapping', credits: { min: 6, max: 6 } });

    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, office.email, TEST_PASSWORD);
    const staffBar = page.getByRole('navigation', { name: 'Staff' });
    await staffBar.getByRole('link', { name: 'Certificates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificates' }).waitFor();
    assert.equal(
      await staffBar.getByRole('link', { name: 'Certificates' }).getAttribute('aria-current'),
      'page',
    );
    assert.equal(await staffBar.getByRole('link', { name: 'Billing' }).count(), 0);
    await checkPage(page, 'certificates-list');

    await page.getByRole('link', { name: 'New certificate' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Certificate in Field Methods');
    await page.getByLabel('Description').fill('Mapping and surveying in the field, with one extra course.');
    await page.getByLabel('Credits required').fill('9');
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('checkbox', { name: program.title }).check();
    await page.getByLabel('Required extra courses').fill(`${core.code}\nNOPE 100`);
    await page.getByLabel('Elective courses').fill(elective.code);
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkPage(page, 'certificates-new-errors');
    await page.getByRole('link', { name: /Required extra courses names NOPE 100/ }).click();
    await page.getByLabel('Required extra courses').fill(core.code);
    await page.getByRole('button', { name: 'Save the draft' }).click();

    await page.getByRole('heading', { level: 1, name: 'Certificate in Field Methods' }).waitFor();
    await page.getByText('Not published yet').waitFor();
    await checkPage(page, 'certificates-editor-draft');
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published: the public pathway page now shows this version.').waitFor();
    await page.getByRole('cell', { name: '1 (current)' }).waitFor();
    await checkPage(page, 'certificates-editor-published');

    await page.getByRole('link', { name: 'its pathway page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificate in Field Methods' }).waitFor();
    await page.getByRole('link', { name: program.title }).first().waitFor();
    await context.close();
  });

  test('on a narrow screen the staff navigation folds into a disclosure menu (no script of ours)', async () => {
    const { app, baseUrl } = served;
    await anInstitution(app);
    const admin = await aStaffMember(app, 'admin');
    const context = await served.browser.newContext({
      bypassCSP: true,
      viewport: { width: 380, height: 800 },
    });
    const page = await context.newPage();
    await signIn(page, baseUrl, admin.email, TEST_PASSWORD);
    await page.goto(`${baseUrl}/help/staff`);
    const staffBar = page.getByRole('navigation', { name: 'Staff' });
    assert.equal(await staffBar.getByRole('link', { name: 'Admin' }).isVisible(), false);
    await staffBar.getByText('Staff menu').click();
    const help = staffBar.getByRole('link', { name: 'Help' });
    await help.waitFor();
    assert.equal(await help.getAttribute('aria-current'), 'page');
    await checkPage(page, 'staff-nav-narrow');
    // Keyboard: the menu's links take focus in order.
    await staffBar.getByRole('link', { name: 'Programs' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Certificates');
    await context.close();
  });

  test('the help pages read well for visitors', async () => {
    const { app, baseUrl } = served;
    await anInstitution(app);
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/catalog`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Help' }).click();
    await page.getByRole('heading', { level: 1, name: 'Help' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Staff' }).count(), 0);
    await checkPage(page, 'help-index', { everyImpact: true });
    await page.getByRole('link', { name: 'Help for learners' }).click();
    await page.getByRole('heading', { name: 'Claiming your badge' }).waitFor();
    await checkPage(page, 'help-learners', { everyImpact: true });
    await page.goto(`${baseUrl}/help/staff`);
    await page.getByRole('heading', { name: 'From proposal to program' }).waitFor();
    await checkPage(page, 'help-staff', { everyImpact: true });
    await context.close();
  });
});
