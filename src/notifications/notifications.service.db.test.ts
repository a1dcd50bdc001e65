import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../../test/support/backpack.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { createMailer } from '../platform/mail/mailer.ts';

async function waitFor(check: () => Promise<boolean> | boolean, ms: number) {
  const until = Date.now() + ms;
  while (!(await check()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}

describe(`mail outbox on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  const clock = fixedClock(new Date());

  before(async () => {
    smtp = await startSmtp({ failFirst: 1 });
    app = await startTestApp({
      clock,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
      // Retries are queued by hand below, where the test has moved the clock.
      mailRetryCheckSeconds: 3600,
    });
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  test('a queued message reaches the SMTP server through the job queue, once, after a failed attempt', async () => {
    const db = app.database.db;
    const id = await db.transaction().execute((trx) =>
      app.services.notifications.queueMail(trx, {
        to: 'ada@example.org',
        subject: 'Hello Ada',
        text: 'Plain body',
        html: '<p>Rich body</p>',
        kind: 'test',
      }),
    );
    // The first delivery fails at the server; the outbox records the attempt and when to try again.
    await waitFor(async () => (await app.services.notifications.find(id))?.attempts === 1, 15_000);
    const afterFailure = await app.services.notifications.find(id);
    assert.equal(afterFailure?.status, 'retrying');
    assert.match(String(afterFailure?.last_error), /451/);
    assert.equal(afterFailure?.next_attempt_at?.getTime(), clock.now().getTime() + 60_000);
    // Not due yet: nothing is queued again.
    assert.equal(await app.services.notifications.queueDueRetries(), 0);
    clock.set(afterFailure!.next_attempt_at!);
    assert.equal(await app.services.notifications.queueDueRetries(), 1);
    await waitFor(async () => (await app.services.notifications.find(id))?.status === 'sent', 15_000);
    // A second delivery of a sent message does nothing.
    await app.services.notifications.deliver(id);
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.received[0]?.to, ['ada@example.org']);
    assert.match(smtp.received[0]!.raw, /Subject: Hello Ada/);
    assert.match(smtp.received[0]!.raw, /Plain body/);
    assert.match(smtp.received[0]!.raw, /Rich body/);
    assert.equal((await app.services.notifications.find(id))?.status, 'sent');
  });

  test('mail queued in a transaction that rolls back is never sent', async () => {
    const before = smtp.received.length;
    await assert.rejects(
      app.database.db.transaction().execute(async (trx) => {
        await app.services.notifications.queueMail(trx, {
          to: 'bob@example.org',
          subject: 'Never',
          text: 'x',
          kind: 'test',
        });
        throw new Error('undo');
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.received.length, before);
    assert.equal((await app.services.notifications.list({ to: 'bob@example.org' })).length, 0);
  });
});
