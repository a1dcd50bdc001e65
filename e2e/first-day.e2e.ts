import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type App, createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { checkPage, chromiumForFile, releaseChromium } from '../test/support/browser.ts';
import {
  assertNoDemoName,
  completionsCsv,
  coursesCsv,
  department,
  newcomer,
  northwind,
  northwindLogo,
  passwordOf,
  program,
  staff,
  termsCsv,
} from '../test/support/first-day.ts';
import { freePort } from '../test/support/free-port.ts';
import { readMessage } from '../test/support/mail.ts';
import { createTestDatabase, databaseUrl, withAdmin } from '../test/support/test-snapshots.ts';

const BIN = fileURLToPath(new URL('../bin/stackable.js', import.meta.url));
const serverUrl =
  process.env.CI_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Issue 14's acceptance journey: a real university's first day on an empty PostgreSQL database with the demo off.
 * Everyone acts in a browser of their own through the real pages; mail arrives at a real SMTP server; the first
 * administrator comes from the real command line. Every page is checked for demo names, and each distinct page
 * with axe.
 */
describe('the first day at Northwind, in Chromium on PostgreSQL', () => {
  const databaseName = `stackable_first_day_${process.pid}_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-first-day-'));
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: App;
  let browser: Browser;
  let baseUrl = '';
  let env: Record<string, string> = {};

  before(async () => {
    smtp = await startSmtp();
    await withAdmin(serverUrl, (client) => createTestDatabase(client, databaseName));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // As an operator would configure production, except for the loopback addresses.
    env = {
      NODE_ENV: 'production',
      STACKABLE_SEED_DEMO: 'false',
      DATABASE_URL: databaseUrl(serverUrl, databaseName),
      STACKABLE_SECRET: 'first-day-at-northwind-secret-long-enough',
      STACKABLE_DATA_DIR: dataDir,
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
    };
    app = await createApp(
      loadConfig({ ...env, SMTP_URL: smtp.url, MAIL_FROM: 'badges@northwind-state.example' }),
      {
        jobPollingIntervalSeconds: 0.5,
      },
    );
    await app.http.listen({ port, host: '127.0.0.1' });
    browser = await chromiumForFile();
  });
  after(async () => {
    await releaseChromium(browser);
    await app?.close();
    await smtp?.close();
    await withAdmin(serverUrl, (client) =>
      client.query(`drop database if exists ${databaseName} with (force)`),
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  const checked = new Set<string>();
  /** After every page load: no demo name anywhere on it; axe and a screenshot the first time a page is seen. */
  async function look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    assertNoDemoName(await page.content(), `${name} (${page.url()})`);
    if (checked.has(name)) return;
    checked.add(name);
    await checkPage(page, `first-day-${name}`);
  }

  async function personPage(): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${baseUrl}/login`);
    await look(page, 'sign-in');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL(/\/home$/), page.getByRole('button', { name: 'Sign in' }).click()]);
    await look(page, `home-${email.split('@')[0]}`);
  }

  /** The link matching `path` in a message to `address`, as its owner reads it; waits for the message. */
  async function linkMailedTo(address: string, path: RegExp): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      for (const message of smtp.received.filter((m) => m.to.includes(address)).reverse()) {
        const text = readMessage(message.raw).parts.get('text/plain') ?? '';
        const link = new RegExp(`https?://\\S+${path.source}[^\\s>]*`).exec(text)?.[0];
        if (link) return link;
      }
      assert.ok(Date.now() < deadline, `no message to ${address} with a link matching ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The real command line, against the same database, without SMTP so that it prints the link. */
  async function adminCreate(): Promise<string> {
    const child = spawn(
      process.execPath,
      [BIN, 'admin', 'create', '--email', staff.admin.email, '--name', staff.admin.name],
      { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, output);
    const link = /https?:\/\/\S+\/invitation\?token=[\w-]+/.exec(output)?.[0];
    assert.ok(link, output);
    return link;
  }

  /** Chooses a password on an invitation page, then signs in. */
  async function acceptInvitation(link: string, who: { email: string }) {
    const page = await personPage();
    await page.goto(link);
    await look(page, 'invitation');
    await page.getByLabel('New password', { exact: true }).fill(passwordOf(who.email));
    await page.getByLabel('Type it again').fill(passwordOf(who.email));
    await Promise.all([
      page.waitForURL(/\/login/),
      page.getByRole('button', { name: 'Save the password' }).click(),
    ]);
    await signIn(page, who.email, passwordOf(who.email));
    return page;
  }

  test('an empty installation becomes a university that issues its first badge', async () => {
    // 1. The operator makes the first administrator, who sets a password through the printed link.
    const admin = await acceptInvitation(await adminCreate(), staff.admin);

    // 2. The institution's profile and logo.
    await admin.goto(`${baseUrl}/admin/institution`);
    await look(admin, 'institution-empty');
    const fill = (label: string, value: string) => admin.getByLabel(label, { exact: true }).fill(value);
    await fill('Legal name', northwind.name);
    await fill('Short name', northwind.shortName);
    await fill('Website address', northwind.url);
    await fill('Contact e-mail', northwind.email);
    await fill('Time zone', northwind.timeZone);
    await fill('Brand colour', northwind.primaryColour);
    await fill('Accent colour', northwind.accentColour);
    await fill('Default badge fee', northwind.fee);
    await fill('Currency', 'USD');
    await admin.getByRole('button', { name: 'Save the profile' }).click();
    await admin.getByText('The profile is saved').waitFor();
    await admin
      .getByLabel('Logo file')
      .setInputFiles({ name: 'northwind.png', mimeType: 'image/png', buffer: northwindLogo() });
    await admin.getByRole('button', { name: 'Upload the logo' }).click();
    await admin.getByText('The logo is saved.').waitFor();
    await look(admin, 'institution-set-up');

    // 3. Academic structure: a department by hand, then terms and twenty courses from the student system.
    await admin.goto(`${baseUrl}/admin/departments`);
    await look(admin, 'departments');
    const addDepartment = admin.locator('form[action="/admin/departments"]');
    await addDepartment.getByLabel('Code').fill(department.code);
    await addDepartment.getByLabel('Name', { exact: true }).fill(department.name);
    await addDepartment.getByRole('button', { name: 'Add the department' }).click();
    await admin.getByRole('cell', { name: department.name }).waitFor();
    for (const [kind, csv, count] of [
      ['terms', termsCsv, 3],
      ['courses', coursesCsv, 20],
    ] as const) {
      await admin.goto(`${baseUrl}/admin/${kind}`);
      await look(admin, kind);
      await admin.getByRole('link', { name: new RegExp(`Import ${kind}`) }).click();
      await look(admin, `${kind}-import`);
      await admin
        .getByLabel('CSV file')
        .setInputFiles({ name: `${kind}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await admin.getByRole('button', { name: 'Show what would change' }).click();
      await admin.getByRole('heading', { level: 1, name: 'Check the changes' }).waitFor();
      await look(admin, `${kind}-preview`);
      await admin.getByText(`${count} new, 0 changed`).waitFor();
      await admin.getByRole('button', { name: `Save ${count} ${kind}` }).click();
      await admin.getByRole('heading', { level: 1 }).waitFor();
      await look(admin, `${kind}-imported`);
    }

    // 4. People: a program lead, a signer and the credentials office, each invited by e-mail.
    await admin.goto(`${baseUrl}/admin/users`);
    await look(admin, 'people');
    const invited: Record<string, Page> = {};
    for (const key of ['lead', 'signer', 'office'] as const) {
      const person = staff[key];
      const invite = admin.locator('form[action="/admin/users"]');
      await invite.getByLabel('Full name').fill(person.name);
      await invite.getByLabel('E-mail address').fill(person.email);
      await invite.getByRole('checkbox', { name: roleLabel[person.role], exact: true }).check();
      await invite.getByRole('button', { name: 'Send the invitation' }).click();
      await admin.getByRole('cell', { name: person.email }).first().waitFor();
      await look(admin, 'people-invited');
      invited[key] = await acceptInvitation(await linkMailedTo(person.email, /\/invitation\?token=/), person);
    }
    const { lead, signer, office } = invited as Record<'lead' | 'signer' | 'office', Page>;

    // 5. The lead proposes a program from two imported courses; the signer signs; the office approves the pilot.
    await lead.goto(`${baseUrl}/programs`);
    await look(lead, 'programs-lead');
    await lead.getByRole('link', { name: 'Start a new proposal' }).click();
    await look(lead, 'new-proposal');
    const field = (label: string) => lead.getByLabel(label, { exact: true });
    await field('Title').fill(program.title);
    await field('Summary').fill('Plan and run the daily work of a busy harbour.');
    await field('Description').fill(
      'Learners schedule vessels, plan container yards and keep the harbour safe.',
    );
    await field('Department').selectOption(department.code);
    await lead.getByRole('radio', { name: 'Non-credit', exact: true }).check();
    await field('Credits').fill('6');
    await field('Courses').fill(program.courses.join('\n'));
    await field('Learning outcomes').fill('Plan a vessel schedule.\nRun a safe cargo operation.');
    await field('Skills').fill('Port operations\nLogistics planning');
    assert.equal(
      await field('Badge fee').inputValue(),
      '25.00',
      'the fee comes from the institution profile',
    );
    for (const path of await lead.getByRole('group', { name: 'Ways to enrol' }).getByRole('checkbox').all()) {
      await path.check();
    }
    await field('Market analysis').fill('The port authority asks for trained planners every season.');
    await field('Financial model').fill('Existing sections; the fee covers the badge.');
    await field('Marketing plan').fill('Port employers and the college newsletter.');
    await field('In person').check();
    await field('Audience').fill('Harbour staff moving into planning roles.');
    await field('Rationale').fill('The port needs planners and has no short program for them.');
    await field('Assessment').fill('A vessel schedule and a cargo plan, marked by the course instructors.');
    await field('Syllabus').setInputFiles({
      name: 'syllabus.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 harbour logistics syllabus'),
    });
    await lead.getByRole('button', { name: 'Save the draft proposal', exact: true }).click();
    await lead.getByText('The draft proposal is saved').waitFor();
    await look(lead, 'proposal-draft');
    const programUrl = lead.url().replace(/\?.*$/, '');
    await lead.getByLabel('Signer’s e-mail address', { exact: true }).fill(staff.signer.email);
    await lead.getByLabel('Signs as', { exact: true }).fill('Dean of Maritime Studies');
    await lead.getByRole('button', { name: 'Add the signer', exact: true }).click();
    await lead.getByText('The signer is named').waitFor();
    await lead.getByRole('button', { name: 'Request signatures', exact: true }).click();
    await lead.getByText('The signers have been asked to sign').waitFor();
    await look(lead, 'proposal-awaiting-signatures');

    await signer.goto(`${baseUrl}/inbox`);
    await signer.getByRole('heading', { name: 'Proposals to sign' }).waitFor();
    await look(signer, 'inbox-signer');
    await signer.getByLabel(`Comment on ${program.title}`, { exact: true }).fill('The school supports it.');
    await signer.getByRole('button', { name: `Sign ${program.title}`, exact: true }).click();
    await signer.getByText('You signed the proposal').waitFor();
    await look(signer, 'inbox-signed');

    await lead.goto(programUrl);
    await lead.getByRole('button', { name: 'Submit proposal', exact: true }).click();
    await lead.getByText('The proposal is submitted for pilot approval').waitFor();
    await look(lead, 'proposal-submitted');

    await office.goto(`${baseUrl}/inbox`);
    await office.getByRole('heading', { name: 'Proposals waiting for a pilot decision' }).waitFor();
    await look(office, 'inbox-office');
    await office.getByRole('link', { name: program.title }).click();
    await look(office, 'program-office');
    await office.getByLabel('Comment', { exact: true }).fill('Academic council approved the pilot.');
    await office.getByRole('button', { name: 'Approve for pilot', exact: true }).click();
    await office.getByText('The decision is recorded').waitFor();
    await look(office, 'program-pilot');

    // 6. Anyone finds it in the catalog, under Northwind's name and logo.
    const learner = await personPage();
    await learner.goto(`${baseUrl}/catalog`);
    await look(learner, 'catalog');
    await learner.getByRole('link', { name: program.title }).first().click();
    await learner.getByRole('heading', { level: 1, name: program.title }).waitFor();
    await look(learner, 'catalog-program');
    const programPage = await learner.content();
    assert.match(programPage, new RegExp(northwind.name));
    // The header carries the uploaded logo, named by the institution, and the image really loaded.
    const headerLogo = learner.locator('.site-header img.brand-logo');
    assert.equal(await headerLogo.getAttribute('alt'), northwind.name);
    assert.ok(
      await headerLogo.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0),
      'the header logo loaded',
    );

    // 7. The newcomer signs up from "Just want the badge", confirms the address from the mail and enrols.
    await learner.goto(`${baseUrl}/enrol/${program.slug}`);
    await look(learner, 'enrol-visitor');
    await learner.getByRole('link', { name: /Create an account.*Just want the badge/ }).click();
    await look(learner, 'sign-up');
    await learner.getByLabel('Full name').fill(newcomer.name);
    await learner.getByLabel('E-mail address').fill(newcomer.email);
    await learner.getByLabel('Password', { exact: true }).fill(passwordOf(newcomer.email));
    await learner.getByLabel('Type it again').fill(passwordOf(newcomer.email));
    await learner.getByRole('button', { name: 'Create my account' }).click();
    await learner.getByRole('heading', { level: 1, name: 'Check your e-mail' }).waitFor();
    await look(learner, 'sign-up-sent');
    await learner.goto(await linkMailedTo(newcomer.email, /\/signup\/verify\?token=/));
    await look(learner, 'sign-up-verify');
    await learner.getByLabel('The password you chose').fill(passwordOf(newcomer.email));
    await learner.getByRole('button', { name: 'Confirm my e-mail address' }).click();
    await learner.getByRole('heading', { level: 2, name: 'Just want the badge' }).waitFor();
    await look(learner, 'enrol-non-degree');
    // The student ID continuing education gave them; it stays unconfirmed until the student system names them.
    await learner.getByLabel('Student ID (optional)').fill(newcomer.studentId);
    await learner.getByLabel('I understand that financial aid does not cover').check();
    await learner.getByRole('button', { name: `Enrol in ${program.title}` }).click();
    await learner.getByText('You are enrolled').waitFor();
    await look(learner, 'enrolled');

    // 8. The student system's integration: a client made on the screen, its secret read once, a token, a CSV.
    await admin.goto(`${baseUrl}/admin/api-clients`);
    await look(admin, 'api-clients');
    await admin.getByLabel('Name').fill('Northwind student system');
    await admin.getByRole('checkbox', { name: /completions:write:/ }).check();
    await admin.getByRole('button', { name: 'Add the client' }).click();
    await admin.getByRole('heading', { name: /copy the secret now/ }).waitFor();
    await look(admin, 'api-client-secret');
    const [clientId, secret] = await admin.locator('dd code').allTextContents();
    const tokenAnswer = await fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(tokenAnswer.status, 200);
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const imported = await fetch(`${baseUrl}/api/imports/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: completionsCsv(newcomer.studentId, newcomer.email),
    });
    const report = (await imported.json()) as { counts: { accepted: number } };
    assert.equal(imported.status, 201, JSON.stringify(report));
    assert.equal(report.counts.accepted, 2, JSON.stringify(report));

    // 9. The learner asks for the badge; the lead approves; the credentials office issues it with the $25 fee.
    await learner.goto(`${baseUrl}/progress`);
    await look(learner, 'progress');
    await learner.getByRole('button', { name: `Request my badge for ${program.title}` }).click();
    await learner.getByText('Your badge request is on its way').waitFor();
    await look(learner, 'progress-requested');

    await lead.goto(`${baseUrl}/progress/requests`);
    await look(lead, 'badge-requests');
    await lead.getByLabel('Comment for the learner').first().fill('Both courses done well.');
    await lead.getByRole('button', { name: `Approve the request of ${newcomer.name}` }).click();
    await lead.getByText('Request approved').waitFor();
    await look(lead, 'badge-requests-approved');

    await office.goto(`${baseUrl}/issuing`);
    await look(office, 'issuing-queue');
    const row = office.getByRole('row').filter({ hasText: newcomer.name });
    assert.match((await row.textContent()) ?? '', /\$25\.00/, 'the queue shows the fee to be charged');
    await row.getByRole('button', { name: `Issue the badge of ${newcomer.name}` }).click();
    await office.getByRole('button', { name: 'Yes, issue 1 badge' }).click();
    await office
      .getByText(/issued/i)
      .first()
      .waitFor();
    await look(office, 'issuing-issued');

    // 10. The claim mail; the learner opens the badge, and its credential names Northwind with its logo.
    const claimLink = await linkMailedTo(newcomer.email, /\/claim\?token=/);
    // Signed in as the address it was sent to, the learner claims it by opening the link.
    await learner.goto(claimLink);
    await learner.waitForURL(/\/backpack\?claimed=/);
    await learner.getByText('The badge is in your backpack.').waitFor();
    await look(learner, 'backpack');
    const jsonLink = learner.getByRole('link', { name: /JSON/ }).first();
    const jsonHref = await jsonLink.getAttribute('href');
    assert.ok(jsonHref, 'the backpack links the credential as JSON');
    const credentialAnswer = await learner.request.get(new URL(jsonHref, baseUrl).toString());
    assert.equal(credentialAnswer.status(), 200);
    const credential = (await credentialAnswer.json()) as {
      id: string;
      issuer: { name: string; image?: { id: string } };
    };
    assert.equal(credential.issuer.name, northwind.name);
    const logoUrl = credential.issuer.image?.id;
    assert.ok(logoUrl?.startsWith(baseUrl), `the issuer's image is our logo: ${logoUrl}`);
    const logo = await fetch(logoUrl!);
    assert.equal(logo.status, 200);
    assert.ok(
      Buffer.from(await logo.arrayBuffer()).equals(northwindLogo()),
      'the logo answers with its bytes',
    );

    await learner.goto(`${baseUrl}/verify?credential=${encodeURIComponent(credential.id)}`);
    await learner.getByRole('heading', { level: 2, name: 'Verified', exact: true }).waitFor();
    await look(learner, 'verify');
    assert.match(await learner.content(), new RegExp(northwind.name));

    for (const page of [admin, lead, signer, office, learner]) await page.context().close();
  });
});

const roleLabel: Record<string, string> = {
  program_lead: 'Program lead',
  signer: 'Signer',
  credentials_office: 'Credentials office',
};
