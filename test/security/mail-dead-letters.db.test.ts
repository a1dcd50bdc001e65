// Issue 15: failed mail can be sent again from the dead letters. Only the staff who read the outbox may do it,
// only through a same-site form (CSRF), each resend is audited, and the one-time link inside stays hidden.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { startSmtp } from '../support/backpack.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const DAY = 24 * 60 * 60_000;
const TOKEN = 'DeadLetterToken_0123456789abcdef';

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`resending dead letters on ${testBackend}`, () => {
  const clock = fixedClock(new Date());
  let isDown = true;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let office: BrowserSession;
  let registrar: BrowserSession;
  let failedId: string;

  const statusOf = async (id: string) => (await app.services.notifications.find(id))?.status;

  before(async () => {
    smtp = await startSmtp({ refuseWhile: () => isDown });
    app = await startTestApp({
      clock,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
      mailRetryCheckSeconds: 3600,
    });
    // A reset mail the server refuses for more than a day: it ends as a dead letter.
    const link = `https://badges.example.edu/password/reset?token=${TOKEN}`;
    failedId = await app.database.db.transaction().execute((trx) =>
      app.services.notifications.queueMail(trx, {
        to: 'locked.out@mail.example',
        subject: 'Reset your password',
        text: `Open ${link} to choose a new password.`,
        secrets: [link],
        kind: 'password_reset',
      }),
    );
    await until(async () => (await statusOf(failedId)) === 'retrying', 'the first refusal');
    clock.set(new Date(clock.now().getTime() + DAY + 60_000));
    assert.equal(await app.services.notifications.queueDueRetries(), 1);
    await until(async () => (await statusOf(failedId)) === 'failed', 'the last refusal');
    isDown = false;
    // Signed in after the clock moved a day on, so the sessions are fresh.
    office = await (await aStaffMember(app, 'credentials_office')).signIn();
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  test('the dead letters show the failure and a resend button, never the one-time link', async () => {
    const page = await office.get('/admin/mail?status=failed');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /locked\.out@mail\.example/);
    assert.match(page.body, new RegExp(`action="/admin/mail/${failedId}/resend"`));
    assert.match(page.body, /Service unavailable/);
    assert.ok(!page.body.includes(TOKEN), 'the reset token is not shown to staff');
  });

  test('staff who may not read the outbox cannot resend', async () => {
    const response = await registrar.postForm(`/admin/mail/${failedId}/resend`, {});
    assert.equal(response.statusCode, 403);
    assert.equal(await statusOf(failedId), 'failed');
  });

  test('a resend without the CSRF token is refused', async () => {
    const response = await office.postForm(`/admin/mail/${failedId}/resend`, {}, { csrf: false });
    assert.equal(response.statusCode, 403);
    assert.equal(await statusOf(failedId), 'failed');
  });

  test('the credentials office resends it once, it is delivered, and the audit log says who did it', async () => {
    const response = await office.postForm(`/admin/mail/${failedId}/resend`, {});
    assert.equal(response.statusCode, 303);
    // The office is told it was done (it once landed on an empty list of failed mail, with no word).
    assert.equal(response.headers.location, '/admin/mail?resent=1');
    assert.match((await office.get('/admin/mail?resent=1')).body, /The message was queued again/);
    await until(async () => (await statusOf(failedId)) === 'sent', 'the resent message to go');
    assert.deepEqual(
      smtp.received.map((m) => m.to),
      [['locked.out@mail.example']],
    );
    const entries = await app.services.audit.list({
      entityType: 'mail',
      entityId: failedId,
      limit: 5,
      offset: 0,
    });
    assert.deepEqual(
      entries.map((e) => e.action),
      ['mail.resent'],
    );
    assert.ok(!JSON.stringify(entries).includes(TOKEN), 'the audit entry holds no secret');

    // A message that is not failed is not sent a second time, and one that does not exist is not found.
    const unknown = await office.postForm('/admin/mail/00000000-0000-4000-8000-000000000000/resend', {});
    assert.equal(unknown.statusCode, 404);
    const again = await office.postForm(`/admin/mail/${failedId}/resend`, {});
    assert.equal(again.statusCode, 422);
    assert.equal(smtp.received.length, 1);
  });
});
