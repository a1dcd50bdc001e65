import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { checkPage as checkWithAxe, signIn, startServedApp, useServedApp } from '../test/support/browser.ts';
import {
  aCourse,
  aDepartment,
  aLearner,
  anAccount,
  anInstitution,
  anIssuedBadge,
  aStaffMember,
  type Person,
  TEST_PASSWORD,
} from '../test/support/builders.ts';
import { aClientAddress, aNewAddress, SIGN_UP_PASSWORD } from '../test/support/sign-up.ts';

/**
 * Lets the next submit reach the server with whatever the fields hold, so the page the server draws for bad input
 * (the error summary and the messages by each field) is the one axe checks, not the browser's own bubbles.
 */
const skipBrowserChecks = (page: Page) =>
  page.evaluate(() => {
    for (const form of Array.from(document.forms)) form.noValidate = true;
  });

/** A wordless mark, so the screenshot shows the logo tile in the header drawn at its real size. */
const logo = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">' +
    '<rect x="2" y="4" width="32" height="32" rx="6" fill="#0b4f6c"/>' +
    '<circle cx="18" cy="20" r="9" fill="#e0a526"/>' +
    '<rect x="42" y="10" width="72" height="8" rx="4" fill="#0b4f6c"/>' +
    '<rect x="42" y="24" width="52" height="6" rx="3" fill="#4a5565"/></svg>',
);

/** New screens are held to every axe finding, minor ones included, not only the serious ones. */
const checkPage = (page: Page, name: string) => checkWithAxe(page, name, { everyImpact: true });

const problemSummary = (page: Page) => page.getByRole('heading', { name: 'There is a problem' }).waitFor();

describe('the go-live screens in Chromium, checked with axe', () => {
  const served = useServedApp({ seed: false, runJobs: false });
  let admin: Person;
  let registrar: Person;

  before(async () => {
    await anInstitution(served.app, { name: 'Axe Check University', shortName: 'ACU' });
    admin = await aStaffMember(served.app, 'admin', { name: 'Ada Admin' });
    registrar = await aStaffMember(served.app, 'registrar', { name: 'Reggie Registrar' });
  });

  const signedIn = async (person: Person, viewport = { width: 1280, height: 900 }) => {
    const context = await served.browser.newContext({ bypassCSP: true, viewport });
    const page = await context.newPage();
    await signIn(page, served.baseUrl, person.email, TEST_PASSWORD);
    return { context, page };
  };
  const visit = async (page: Page, path: string, heading: string | RegExp) => {
    await page.goto(`${served.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  test('an empty install: the first administrator is made at /setup and is told the institution is not set up', async () => {
    const empty = await startServedApp({ seed: false, runJobs: false });
    const context = await served.browser.newContext({ bypassCSP: true });
    try {
      const token = await empty.app.services.firstAdmin.openSetup();
      assert.ok(token);
      const page = await context.newPage();
      await page.goto(`${empty.baseUrl}/setup?token=${token}`);
      await page.getByRole('heading', { level: 1, name: 'Set up the first administrator' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Stackable Micro-credentials' }).count(), 1);
      await checkPage(page, 'go-live-setup');

      await page.getByLabel('Full name').fill('Robin Ops');
      await page.getByLabel('E-mail address').fill('robin.ops@setup.example');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel('Type it again').fill('short');
      await skipBrowserChecks(page);
      await page.getByRole('button', { name: 'Create the administrator' }).click();
      await problemSummary(page);
      await checkPage(page, 'go-live-setup-errors');

      await page.getByLabel('Password', { exact: true }).fill(SIGN_UP_PASSWORD);
      await page.getByLabel('Type it again').fill(SIGN_UP_PASSWORD);
      await page.getByRole('button', { name: 'Create the administrator' }).click();
      const notice = page.getByRole('link', { name: 'Institution not set up yet' });
      await notice.waitFor();
      await page.goto(`${empty.baseUrl}/admin`);
      await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
      await checkPage(page, 'go-live-admin-index-empty-install');
      await notice.click();
      await page.getByRole('heading', { level: 1, name: 'Institution profile' }).waitFor();
    } finally {
      await context.close();
      await empty.app.close();
    }
  });

  test('an administrator finds every settings screen from the staff bar and the administration index', async () => {
    const { context, page } = await signedIn(admin);
    await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    for (const heading of ['People and access', 'Institution', 'Academic structure']) {
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
    }
    await checkPage(page, 'go-live-admin-index');
    await page.getByRole('link', { name: 'People and roles' }).click();
    await page.getByRole('heading', { level: 1, name: 'People and roles' }).waitFor();
    const staffBar = page.getByRole('navigation', { name: 'Staff' });
    assert.equal(await staffBar.getByRole('link', { name: 'Admin' }).getAttribute('aria-current'), 'page');
    await checkPage(page, 'go-live-people');

    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-people-invite-errors');

    await visit(page, '/admin/institution', 'Institution profile');
    await page.getByLabel('Brand colour', { exact: true }).fill('#fefefe');
    await page.getByRole('button', { name: 'Save the profile' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-institution-errors');
    await context.close();
  });

  test('an administrator adds an API client and sees its secret once', async () => {
    // Its three states (the empty list, a client without scopes refused, the secret shown once) are axe-checked in
    // api-clients.e2e.ts, every finding counted as here: the same pages in the same states, so once is enough.
    const { context, page } = await signedIn(admin);
    await visit(page, '/admin/api-clients', 'API clients');
    await page.getByLabel('Name').fill('Timetable sync');
    await page.getByRole('button', { name: 'Add the client' }).click();
    await problemSummary(page);
    await page.getByRole('checkbox', { name: /courses:write/ }).check();
    await page.getByRole('button', { name: 'Add the client' }).click();
    await page.getByRole('heading', { name: /copy the secret now/ }).waitFor();
    await context.close();
  });

  test('the registrar keeps departments, terms and courses, by form and by import', async () => {
    const department = await aDepartment(served.app, { name: 'Axe Studies' });
    await aCourse(served.app, { department: department.code, title: 'Contrast and Colour' });
    const { context, page } = await signedIn(registrar);
    await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 2, name: 'Academic structure' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: 'People and access' }).count(), 0);

    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Departments' }).waitFor();
    await checkPage(page, 'go-live-departments');
    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Add the department' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-departments-errors');

    await visit(page, '/admin/terms', 'Terms');
    await checkPage(page, 'go-live-terms');
    await page.getByLabel('Code').fill('202610');
    await page.getByLabel('Name').fill('Fall 2026');
    await page.getByLabel('First day').fill('2026-12-10');
    await page.getByLabel('Last day').fill('2026-08-24');
    await page.getByRole('button', { name: 'Add the term' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-terms-errors');

    await visit(page, '/admin/courses', 'Courses');
    await checkPage(page, 'go-live-courses');
    await visit(page, '/admin/courses/new', 'Add a course');
    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Add the course' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-courses-new-errors');

    await visit(page, '/admin/courses/import', 'Import courses');
    await checkPage(page, 'go-live-courses-import');
    const csv = [
      'subject,number,title,credits,department',
      `AXE,101,Landmarks and Headings,3,${department.code}`,
      `AXE,102,Focus Order,lots,${department.code}`,
      'AXE,103,Nowhere To Be Found,3,NOPE',
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'courses.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Show what would change' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check the changes' }).waitFor();
    await page.getByRole('heading', { name: 'Some lines are not accepted' }).waitFor();
    await checkPage(page, 'go-live-courses-import-preview');
    await context.close();
  });

  test('records staff link a learner record to the account its holder made', async () => {
    const email = aNewAddress('record');
    const learner = await aLearner(served.app, { name: 'Linh Record', email, account: false });
    await anAccount(served.app, { name: 'Linh Record', email: email.replace('@', '+own@') });
    const { context, page } = await signedIn(registrar);
    await visit(page, `/learners/${learner.id}`, 'Linh Record');
    await page.getByLabel('Find an account by e-mail').fill(email.split('@')[0]!);
    await page.getByRole('button', { name: 'Search accounts' }).click();
    await page.getByRole('table', { name: /Accounts whose e-mail contains/ }).waitFor();
    await checkPage(page, 'go-live-link-search');
    await page.getByRole('link', { name: /^Link / }).click();
    await page.getByRole('heading', { level: 1, name: 'Link an account to Linh Record' }).waitFor();
    await checkPage(page, 'go-live-link-confirm');
    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Link the account' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-link-confirm-errors');
    await page.getByLabel(/I have checked that this account/).check();
    await page.getByRole('button', { name: 'Link the account' }).click();
    await page.getByText(/Linked to Linh Record/).waitFor();
    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Unlink the account' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-unlink-errors');
    await context.close();
  });

  test('a newcomer signs up, and is asked to confirm the address before going on', async () => {
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/signup`);
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await checkPage(page, 'go-live-signup');
    await skipBrowserChecks(page);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await problemSummary(page);
    await checkPage(page, 'go-live-signup-errors');

    const email = aNewAddress('pending');
    await served.app.services.signUp.signUp(
      { name: 'Pat Pending', email, password: SIGN_UP_PASSWORD, confirm: SIGN_UP_PASSWORD },
      aClientAddress(),
    );
    await page.goto(`${served.baseUrl}/login`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(SIGN_UP_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    await page.goto(`${served.baseUrl}/signup/pending`);
    await page.getByRole('heading', { level: 1, name: 'Confirm your e-mail address first' }).waitFor();
    await checkPage(page, 'go-live-signup-pending');
    await context.close();
  });

  test('help pages and the certificates editor', async () => {
    // A visitor's help pages are axe-checked in certificates-nav-help.e2e.ts, every finding counted as here.
    const visitor = await served.browser.newContext({ bypassCSP: true });
    const page = await visitor.newPage();
    for (const [path, heading] of [
      ['/help', 'Help'],
      ['/help/learners', 'Help for learners'],
      ['/help/staff', 'Help for staff'],
    ] as const) {
      await visit(page, path, heading);
    }
    await visitor.close();

    const office = await aStaffMember(served.app, 'credentials_office');
    const { context, page: staff } = await signedIn(office);
    await visit(staff, '/certificates', 'Certificates');
    await checkPage(staff, 'go-live-certificates');
    await staff.getByRole('link', { name: 'New certificate' }).click();
    await skipBrowserChecks(staff);
    await staff.getByRole('button', { name: 'Save the draft' }).click();
    await problemSummary(staff);
    await checkPage(staff, 'go-live-certificates-new-errors');
    await context.close();
  });

  test('the header shows the institution’s logo, and the staff bar folds on a narrow screen', async () => {
    await served.app.services.institution.replaceLogo(admin, { content: logo, truncated: false });
    let context: BrowserContext | undefined;
    try {
      ({ context } = await signedIn(admin, { width: 380, height: 800 }));
      const page = context.pages()[0]!;
      await visit(page, '/admin', 'Administration');
      const home = page.getByRole('link', { name: 'Axe Check University Micro-credentials' });
      assert.equal(await home.getByRole('img', { name: 'Axe Check University' }).count(), 1);
      const staffBar = page.getByRole('navigation', { name: 'Staff' });
      await staffBar.getByText('Staff menu').click();
      await staffBar.getByRole('link', { name: 'Admin' }).waitFor();
      await checkPage(page, 'go-live-narrow-admin');
    } finally {
      await context?.close();
      await served.app.services.institution.removeLogo(admin);
    }
  });

  test('/verify shows our logo beside the issuer of a badge we signed', async () => {
    await served.app.services.institution.replaceLogo(admin, { content: logo, truncated: false });
    const context = await served.browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const { credentialId } = await anIssuedBadge(served.app, { issuer: admin });
      const page = await context.newPage();
      await visit(page, `/verify?credential=${credentialId}`, 'Verify a badge');
      const issuerLogo = page.locator('.badge-facts img.issuer-logo');
      await issuerLogo.waitFor();
      assert.ok(await issuerLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
      await checkPage(page, 'go-live-verify-our-logo');
    } finally {
      await context.close();
      await served.app.services.institution.removeLogo(admin);
    }
  });
});
