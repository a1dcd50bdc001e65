// Issue 15: a seven-minute SMTP outage lost 46 of 301 messages (failed after six quick attempts, never resent).
// Here the server refuses for an hour of the app's clock; every message must then arrive, once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../../test/support/backpack.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { createMailer } from '../platform/mail/mailer.ts';

const HOUR = 60 * 60_000;

async function until(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`an hour-long SMTP outage on ${testBackend}`, () => {
  const clock = fixedClock(new Date());
  const outageEnds = new Date(clock.now().getTime() + HOUR);
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;

  before(async () => {
    smtp = await startSmtp({ refuseWhile: () => clock.now() < outageEnds });
    app = await startTestApp({
      clock,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
      mailRetryCheckSeconds: 1,
    });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  test('every message is delivered exactly once after the server comes back, and none is failed', async () => {
    const kinds = ['badge_claim', 'password_reset', 'badge_revoked', 'invitation'];
    const addresses = Array.from({ length: 40 }, (_, n) => `outage.${n}@mail.example`);
    await app.database.db.transaction().execute((trx) =>
      app.services.notifications.queueMails(
        trx,
        addresses.map((to, n) => ({
          to,
          subject: `Message ${n}`,
          text: 'Body',
          kind: kinds[n % kinds.length]!,
        })),
      ),
    );
    const outbox = () => app.services.notifications.list({ limit: 1000 });
    // Nothing is in the middle of an attempt, and nothing is due that the retry check has not taken yet.
    const settled = async () =>
      (await outbox()).every(
        (m) => m.status === 'sent' || (m.status === 'retrying' && m.next_attempt_at! > clock.now()),
      );

    // Move through the outage ten minutes at a time, letting the app's own retry check and workers run each step.
    const start = clock.now().getTime();
    while (clock.now().getTime() - start < 3 * HOUR) {
      await until(settled, 'the outbox to settle');
      const rows = await outbox();
      assert.ok(
        rows.every((m) => m.status !== 'failed'),
        'no message is given up on during an outage',
      );
      if (rows.every((m) => m.status === 'sent')) break;
      clock.set(new Date(clock.now().getTime() + 10 * 60_000));
    }

    const rows = await outbox();
    assert.deepEqual(
      rows.map((m) => m.status).filter((status) => status !== 'sent'),
      [],
    );
    assert.ok(
      rows.every((m) => m.attempts > 1 && m.sent_at! >= outageEnds),
      'each was refused during the outage and sent after it',
    );
    const received = smtp.received.flatMap((m) => m.to).sort();
    assert.deepEqual(received, [...addresses].sort(), 'each address got its message exactly once');
  });
});
