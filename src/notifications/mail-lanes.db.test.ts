// Issue 15: a password reset requested behind a 4,000-row tracking list was still queued twenty minutes later.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../../test/support/backpack.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { createMailer } from '../platform/mail/mailer.ts';

describe(`account mail and bulk mail on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>') });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  test('a password reset queued behind a bulk backlog leaves before the backlog does', async () => {
    const notifications = app.services.notifications;
    const backlog = Array.from({ length: 3000 }, (_, n) => ({
      to: `bulk.${n}@mail.example`,
      subject: 'Claim your badge',
      text: 'Body',
      kind: 'badge_claim',
    }));
    await app.database.db.transaction().execute((trx) => notifications.queueMails(trx, backlog));
    const resetId = await app.database.db.transaction().execute((trx) =>
      notifications.queueMail(trx, {
        to: 'reset@mail.example',
        subject: 'Reset',
        text: 'x',
        kind: 'password_reset',
      }),
    );

    const deadline = Date.now() + 30_000;
    while ((await notifications.find(resetId))?.status !== 'sent') {
      if (Date.now() > deadline) throw new Error('the reset was never sent');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stillWaiting = (await notifications.list({ status: 'queued', limit: 5000 })).length;
    assert.ok(stillWaiting > 1000, `the reset went out with ${stillWaiting} bulk messages still waiting`);
    assert.ok(smtp.received.some((m) => m.to.includes('reset@mail.example')));
  });
});
