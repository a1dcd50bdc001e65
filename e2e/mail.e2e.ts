import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../src/platform/clock.ts';
import { createMailer } from '../src/platform/mail/mailer.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { checkPage, signIn, useServedApp } from '../test/support/browser.ts';
import { aStaffMember, TEST_PASSWORD } from '../test/support/builders.ts';

const DAY = 24 * 60 * 60_000;

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('outgoing mail in Chromium', () => {
  const clock = fixedClock(new Date());
  let isDown = true;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp({ refuseWhile: () => isDown });
  });
  const served = useServedApp(() => ({
    seed: false,
    clock,
    mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    mailRetryCheckSeconds: 3600,
  }));
  // After the app has closed (hooks run in the order declared): its mailer keeps pooled connections open, which the
  // SMTP server would otherwise wait 30 s for before closing.
  after(() => smtp?.close());

  test('the credentials office finds a message that failed for a day and sends it again', async () => {
    const { app } = served;
    const notifications = app.services.notifications;
    const id = await app.database.db.transaction().execute((trx) =>
      notifications.queueMail(trx, {
        to: 'notice.reader@mail.example',
        subject: 'Your badge request was approved',
        text: 'Good news.',
        kind: 'badge_request_approved',
      }),
    );
    await until(async () => (await notifications.find(id))?.status === 'retrying', 'the first refusal');
    clock.set(new Date(clock.now().getTime() + DAY + 60_000));
    await notifications.queueDueRetries();
    await until(async () => (await notifications.find(id))?.status === 'failed', 'the last refusal');
    isDown = false;

    const office = await aStaffMember(app, 'credentials_office');
    const page = await (await served.browser.newContext({ bypassCSP: true })).newPage();
    await signIn(page, served.baseUrl, office.email, TEST_PASSWORD);
    await page.goto(`${served.baseUrl}/admin/mail`);
    await page.getByRole('link', { name: 'failed (dead letters)' }).click();
    await page.getByRole('cell', { name: 'notice.reader@mail.example', exact: true }).waitFor();
    await checkPage(page, 'mail-dead-letters');

    await page.getByRole('button', { name: 'Send again to notice.reader@mail.example' }).click();
    await page.getByRole('status').getByText('The message was queued again').waitFor();
    await checkPage(page, 'mail-resent');
    await until(async () => (await notifications.find(id))?.status === 'sent', 'the resent message to go');
    assert.deepEqual(
      smtp.received.map((m) => m.to),
      [['notice.reader@mail.example']],
    );
    await page.goto(`${served.baseUrl}/admin/mail?status=sent`);
    await page.getByRole('cell', { name: 'notice.reader@mail.example', exact: true }).waitFor();
    await checkPage(page, 'mail-sent');
  });
});
