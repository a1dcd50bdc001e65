import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extractFromPng } from '../src/credentials/bake-png.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-data.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { checkPage, signIn, useServedApp, withoutSelfRefresh } from '../test/support/browser.ts';
import { readMessage, waitForMessage } from '../test/support/mail.ts';

const AMARA = 'amara.chen@students.cascaderidge.example';
const GIS = 'Geographic Information Systems (GIS)';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A credit-bearing cohort, as a program lead would send it: two learners who finished, one student ID nobody
 * has, and one line whose e-mail is not the one on record.
 */
const creditList = [
  'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort,fee_waived,notes',
  `C00023871,${AMARA},Amara,Chen,geographic-information-systems-gis,2026-10-20,2026 Fall,,Fall 2026 capstone,,`,
  'C00027340,diego.ramirez@students.cascaderidge.example,Diego,Ramirez,network-technology,2026-10-20,2026 Fall,,Fall 2026 capstone,,',
  'C09999999,nobody@mail.example,No,Body,geographic-information-systems-gis,2026-10-20,2026 Fall,,Fall 2026 capstone,,',
  'C00025519,ravi@wrong.example,Ravi,Menon,data-visualization,2026-10-20,2026 Fall,,Fall 2026 capstone,,',
].join('\n');

describe('from a tracking list to a verified public badge, in Chromium', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let folder: string;

  before(async () => {
    smtp = await startSmtp();
    folder = mkdtempSync(join(tmpdir(), 'stackable-journey-'));
  });
  // As in production: mail goes over SMTP, and the pg-boss workers run the issuing and mail jobs.
  const served = useServedApp(() => ({
    runJobs: true,
    linksToItself: true,
    env: { SMTP_URL: smtp.url },
    clock: fixedClock('2026-11-25T15:00:00Z'),
  }));
  // After the app has closed, so that no delivery job is left talking to a closed server.
  after(async () => {
    await smtp?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('the registrar issues a cohort; the learner claims from the e-mail, downloads and verifies; the public sees it verified', async () => {
    const { baseUrl } = served;

    // The registrar: credit-bearing lists are theirs to upload and commit.
    let office = await served.browser.newContext({ bypassCSP: true });
    let staff = await office.newPage();
    await signIn(staff, baseUrl, 'registrar@cascaderidge.example', DEMO_PASSWORD);
    await staff.goto(`${baseUrl}/issuing`);
    await staff
      .getByRole('navigation', { name: 'Issuing' })
      .getByRole('link', { name: 'Tracking lists' })
      .click();
    await staff.getByRole('heading', { level: 1, name: 'Tracking lists' }).waitFor();
    await checkPage(staff, 'journey-tracking-lists');
    await staff.getByLabel('Tracking list (CSV)').setInputFiles({
      name: 'fall-2026-capstone-credit.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(creditList, 'utf8'),
    });
    await staff.getByRole('button', { name: 'Upload and preview' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Tracking list: Fall 2026 capstone' }).waitFor();
    await staff.getByText('Credit-bearing, so the registrar commits it').waitFor();
    await staff.getByText('Nothing has been issued from this list yet').waitFor();
    const statusOf = async (student: string) =>
      (
        (await staff.getByRole('row').filter({ hasText: student }).getByRole('cell').last().textContent()) ??
        ''
      )
        .replace(/\s+/g, ' ')
        .trim();
    assert.match(await statusOf('C00023871'), /^Ready$/);
    assert.match(await statusOf('C00027340'), /^Ready$/);
    assert.match(await statusOf('C09999999'), /^Not eligible.*Unknown student/);
    assert.match(await statusOf('C00025519'), /^Error.*not the one on record/);
    await checkPage(staff, 'journey-tracking-list-preview');

    // Nobody commits a list they uploaded: an administrator, who acts for both offices, checks and commits it.
    await staff.getByText('You uploaded this list: another person must check and commit it.').waitFor();
    const listAddress = staff.url();
    await office.close();
    office = await served.browser.newContext({ bypassCSP: true });
    staff = await office.newPage();
    await signIn(staff, baseUrl, 'admin@cascaderidge.example', DEMO_PASSWORD);
    await staff.goto(listAddress);

    await Promise.all([
      staff.waitForURL(/\?done=committed$/),
      (async () => {
        // Committing signs and charges, so it asks again on a page of its own.
        await staff.getByRole('link', { name: 'Commit and issue 2 badges' }).click();
        await staff.getByRole('button', { name: 'Yes, issue 2 badges' }).click();
      })(),
    ]);
    await withoutSelfRefresh(staff, /\/issuing\/tracking-lists\/[0-9a-f-]{36}\?done=committed$/, async () => {
      await staff.getByText('The list is committed').waitFor();
      await staff.getByRole('progressbar', { name: 'Issuing progress' }).waitFor();
      await checkPage(staff, 'journey-tracking-list-committed');
    });
    // While the job runs the page reloads itself every 2 seconds; the figures come from the database.
    await staff.goto(staff.url().replace(/\?.*$/, ''));
    await staff.getByText('100% done').waitFor({ timeout: 90_000 });
    await staff.getByText('2 of 2 rows processed: 2 issued, 0 skipped, 0 failed.').waitFor();
    assert.equal(
      await staff.getByRole('progressbar', { name: 'Issuing progress' }).getAttribute('value'),
      '100',
    );
    assert.equal(await staff.locator('meta[http-equiv="refresh"]').count(), 0);
    await checkPage(staff, 'journey-tracking-list-done');
    await office.close();

    // The claim e-mail, as the SMTP server received it.
    const received = await waitForMessage(smtp.received, AMARA);
    assert.deepEqual(received.to, [AMARA]);
    const mail = readMessage(received.raw);
    assert.match(mail.to, new RegExp(AMARA.replaceAll('.', '\\.')));
    assert.equal(mail.subject, `Your ${GIS} badge from Cascade Ridge University is ready to claim`);
    const text = mail.parts.get('text/plain');
    const html = mail.parts.get('text/html');
    assert.ok(text, 'the message has a plain-text part');
    assert.ok(html, 'the message has an HTML part');
    assert.match(text, /Amara Chen/);
    const claimLink = /https?:\/\/\S+\/claim\?token=[A-Za-z0-9_.-]+/.exec(text)?.[0];
    assert.ok(claimLink, 'the text part carries the claim link');
    assert.ok(claimLink.startsWith(`${baseUrl}/claim?token=`), claimLink);
    assert.ok(html.includes(`href="${claimLink}"`), 'the HTML part links the same claim address');

    // The learner, who has no account yet, follows the link in a browser of their own.
    const learnerContext = await served.browser.newContext({ acceptDownloads: true, bypassCSP: true });
    const learner = await learnerContext.newPage();
    await learner.goto(claimLink);
    await learner.getByRole('heading', { level: 1, name: 'Claim your badge' }).waitFor();
    await checkPage(learner, 'journey-claim');
    assert.equal(await learner.getByLabel('Your name').inputValue(), 'Amara Chen');
    await learner.getByLabel('Choose a password').fill('granite lantern meadow');
    await learner.getByLabel('Type it again').fill('granite lantern meadow');
    await Promise.all([
      learner.waitForURL(/\/backpack\?claimed=/),
      learner.getByRole('button', { name: 'Create my account and claim the badge' }).click(),
    ]);
    await learner.getByRole('heading', { level: 1, name: 'My backpack' }).waitFor();
    await learner.getByText('The badge is in your backpack.').waitFor();
    const card = learner.getByRole('article', { name: GIS });
    await card.getByText(/^Claimed on/).waitFor();
    await checkPage(learner, 'journey-backpack');

    const [download] = await Promise.all([
      learner.waitForEvent('download'),
      card.getByRole('link', { name: `Badge image (PNG) (${GIS})` }).click(),
    ]);
    const file = join(folder, download.suggestedFilename());
    await download.saveAs(file);
    const png = readFileSync(file);
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'the download is a PNG');
    const baked = JSON.parse(extractFromPng(new Uint8Array(png)) ?? '{}') as {
      id?: string;
      type?: string[];
      proof?: unknown;
      credentialSubject?: { achievement?: { name?: string } };
    };
    assert.deepEqual(baked.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(baked.credentialSubject?.achievement?.name, GIS);
    assert.ok(baked.proof, 'the baked credential is signed');
    const id = /^urn:uuid:([0-9a-f-]{36})$/.exec(baked.id ?? '')?.[1];
    assert.ok(id, `the baked credential has our id: ${baked.id}`);
    assert.equal(await card.getByLabel(`Public link to ${GIS}`).inputValue(), `${baseUrl}/badges/${id}`);

    // The learner checks the downloaded file on the verify page, as an employer would.
    await learner.goto(`${baseUrl}/verify`);
    await learner.getByLabel(/^Badge file/).setInputFiles(file);
    await learner.getByRole('button', { name: 'Verify the file' }).click();
    await learner.getByRole('heading', { level: 2, name: 'Verified', exact: true }).waitFor();
    await learner.getByText('Awarded to', { exact: true }).waitFor();
    assert.equal(await learner.locator('dt:text-is("Awarded to") + dd').textContent(), 'Amara Chen');
    await checkPage(learner, 'journey-verify-upload');
    // And the API says the same of the same bytes, asked as an employer's system would: without anyone's cookies
    // (a signed-in browser's POST would need the CSRF token).
    const api = await fetch(`${baseUrl}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    assert.equal(api.status, 200);
    const report = (await api.json()) as { verified: boolean; source: string; ours: { id: string } };
    assert.equal(report.verified, true);
    assert.equal(report.source, 'png');
    assert.equal(report.ours.id, id);
    await learnerContext.close();

    // Anyone, signed out, opens the public page and sees it verified live.
    const visitor = await served.browser.newContext({ bypassCSP: true });
    const publicPage = await visitor.newPage();
    const response = await publicPage.goto(`${baseUrl}/badges/${id}`);
    assert.equal(response?.status(), 200);
    await publicPage.getByRole('heading', { level: 1, name: GIS }).waitFor();
    await publicPage.getByText('Verified.', { exact: true }).waitFor();
    assert.equal(await publicPage.locator('dt:text-is("Earned by") + dd').textContent(), 'Amara Chen');
    assert.equal(await publicPage.getByRole('link', { name: 'Sign in' }).count(), 1, 'signed out');
    await checkPage(publicPage, 'journey-public-badge');
    await visitor.close();

    // One claim e-mail per learner issued, however many jobs and pages were involved.
    assert.equal(smtp.received.filter((message) => message.to.includes(AMARA)).length, 1);
  });
});
