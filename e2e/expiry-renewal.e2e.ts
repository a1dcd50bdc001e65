import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expiryRemindersJob } from '../src/issuing/expiry-reminders.service.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createMailer } from '../src/platform/mail/mailer.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import {
  aCompletion,
  aCourse,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  TEST_PASSWORD,
} from '../test/support/builders.ts';
import { readMessage } from '../test/support/mail.ts';

const DAY = 86_400_000;

// Issue 19, point 7, done when "an expiring badge sends its reminder and is renewed": staff give a program a
// validity period (a substantive change, approved along the modification chain), a learner's badge carries
// validUntil, the clock moves to two weeks before expiry, the reminder reaches a real SMTP server, and the learner
// renews from the backpack: refused while the refresher course is missing, then renewed, and the new badge verifies.
describe('an expiring badge is reminded of and renewed, in Chromium', () => {
  const clock = fixedClock('2026-02-02T15:00:00Z');
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
  });
  const served = useServedApp(() => ({
    seed: false,
    clock,
    mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
  }));
  // After the app has closed (hooks run in the order declared): its mailer keeps pooled connections open, which the
  // SMTP server would otherwise wait 30 s for before closing.
  after(() => smtp?.close());

  /** Waits for a message to `address` whose subject matches, as the mail job delivers it. */
  async function waitForMail(address: string, subject: RegExp) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = smtp.received
        .filter((message) => message.to.includes(address))
        .map((message) => readMessage(message.raw))
        .find((message) => subject.test(message.subject));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no message to ${address} matching ${subject}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  test('staff set a validity period, the reminder arrives, and the learner renews the badge', async () => {
    const { app, baseUrl } = served;
    await anInstitution(app, { name: 'Expiry Test College', shortName: 'ETC' });
    const lead = await aStaffMember(app, 'program_lead', { name: 'Lena Lead' });
    const approver = await aStaffMember(app, 'approver');
    const refresher = await aCourse(app, { title: 'Safety Refresher' });
    const program = await aProgram(app, { title: 'Confined Space Safety', creditType: 'non_credit', lead });

    // The lead gives the approved program a two-year validity and a renewal requirement, in the edit form.
    const context = await served.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, lead.email, TEST_PASSWORD);
    await page.goto(`${baseUrl}/programs/${program.id}/edit`);
    await page.getByLabel('Validity', { exact: true }).fill('2');
    await page.getByText('Renewal of an expiring badge').click();
    await page
      .getByLabel('Renewal requirement')
      .fill(JSON.stringify({ type: 'course', code: refresher.code, minGrade: 'C' }));
    await page.getByLabel('What changed').fill('Badges now expire after two years, renewed by a refresher');
    await checkPage(page, 'expiry-program-edit');
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'));
    // A validity change is substantive: it waits for the modification chain before badges carry it.
    await app.services.programs.modifications.submit(lead, program.id);
    assert.equal(
      await app.services.programs.modifications.approveStep(approver, program.id, 'Agreed.'),
      'approved',
    );
    await context.close();

    // The learner's badge, issued today, carries validUntil two years on.
    const { credentialId, learner } = await anIssuedBadge(app, { program });
    await app.services.backpack.accept(learner.account!, credentialId);
    const issued = await app.services.credentials.find(credentialId);
    assert.equal(issued?.valid_until?.toISOString(), '2028-02-02T15:00:00.000Z');

    // Two weeks before expiry the daily run sends the reminder, through the outbox to the real mail server.
    clock.set(new Date(issued!.valid_until!.getTime() - 14 * DAY));
    await app.jobs.run(expiryRemindersJob, {});
    const reminder = await waitForMail(learner.email, /badge expires on February 2, 2028/);
    assert.match(reminder.parts.get('text/plain') ?? '', /ask to renew it from your backpack/);

    const learnerContext = await served.browser.newContext({ bypassCSP: true });
    const own = await learnerContext.newPage();
    await signIn(own, baseUrl, learner.email, TEST_PASSWORD);
    await own.goto(`${baseUrl}/backpack`);
    const card = own.locator(`#badge-${credentialId}`).locator('xpath=ancestor::article');
    await card.getByText('Expires', { exact: true }).waitFor();
    await checkPage(own, 'expiry-backpack-renewal-offered');

    // Without the refresher course taken since the award, renewal is refused, saying what is missing.
    await own.getByRole('button', { name: `Renew this badge (${program.title})` }).click();
    await own.getByRole('alert').getByText(`The ${program.title} badge cannot be renewed yet.`).waitFor();
    await own.getByRole('alert').getByText(new RegExp(refresher.code)).waitFor();
    await checkPage(own, 'expiry-backpack-renewal-refused');

    await aCompletion(app, learner, refresher.code, { completedOn: '2028-01-10', grade: 'A-' });
    await own.goto(`${baseUrl}/backpack`);
    await own.getByRole('button', { name: `Renew this badge (${program.title})` }).click();
    await own.getByText('Your badge is renewed').waitFor();
    await own.getByText('Renews your badge issued on February 2, 2026').waitFor();
    await own.getByText(/Renewed on January 19, 2028/).waitFor();
    await checkPage(own, 'expiry-backpack-renewed');

    const renewedId = new URL(own.url()).hash.replace('#badge-', '');
    assert.notEqual(renewedId, credentialId);
    await app.services.backpack.accept(learner.account!, renewedId);
    await learnerContext.close();

    // Anyone can verify the new badge; the old one, after its day, reads as expired but genuine.
    const visitor = await served.browser.newContext({ bypassCSP: true });
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${baseUrl}/badges/${renewedId}`);
    await publicPage.getByText('Verified.', { exact: true }).waitFor();
    await publicPage.getByText('January 19, 2030').first().waitFor();
    await checkPage(publicPage, 'expiry-renewed-badge-public');

    clock.set(new Date(issued!.valid_until!.getTime() + DAY));
    await publicPage.goto(`${baseUrl}/verify?credential=${credentialId}`);
    await publicPage.getByRole('heading', { name: 'Expired: genuine, but no longer current' }).waitFor();
    await checkPage(publicPage, 'expiry-old-badge-verified-expired');
    await visitor.close();
  });
});
