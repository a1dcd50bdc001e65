// Issue 15: a message whose job gave up stayed `queued` with nothing left to send it, and a 5xx reply was retried
// for a day like a 4xx one. Deliveries now claim their message (`sending`), a watch queues stuck mail again
// without ever sending a message twice, and a 5xx reply makes a dead letter at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startSmtp } from '../../test/support/backpack.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { createMailer } from '../platform/mail/mailer.ts';
import { DELIVERY_CLAIM_MS, STUCK_AFTER_SECONDS } from './notifications.service.ts';

async function until(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(`mail claims, stuck mail and final refusals on ${testBackend}`, () => {
  const clock = fixedClock(new Date());
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let sequence = 0;

  before(async () => {
    smtp = await startSmtp({
      replyTo: (to) => (to.startsWith('gone.') ? 550 : to.startsWith('busy.') ? 451 : undefined),
    });
    app = await startTestApp({ clock, mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>') });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  const outbox = (id: string) => app.services.notifications.find(id).then((row) => row!);
  const receivedBy = (to: string) => smtp.received.filter((m) => m.to.includes(to)).length;
  const minutesLater = (minutes: number) => clock.set(new Date(clock.now().getTime() + minutes * 60_000));

  /** Queues one message; with `withoutJob`, its delivery job is lost in the same transaction (it gave up). */
  const queueOne = (to: string, options: { withoutJob?: boolean } = {}) =>
    app.database.db.transaction().execute(async (trx) => {
      const [id] = await app.services.notifications.queueMails(trx, [
        { to, subject: `Message ${sequence}`, text: 'Body', kind: 'badge_claim' },
      ]);
      if (options.withoutJob) {
        await sql`delete from pgboss.job where data->>'outboxId' = ${id!}`.execute(trx);
      }
      return id!;
    });

  test('a 5xx reply makes a dead letter after one attempt, with the reason', async () => {
    const to = `gone.${sequence++}@mail.example`;
    const id = await queueOne(to);
    await until(async () => (await outbox(id)).status === 'failed', 'the message to be given up on');
    const mail = await outbox(id);
    assert.equal(mail.attempts, 1);
    assert.equal(mail.next_attempt_at, null);
    assert.match(mail.last_error!, /Refused for good by the mail server: .*550/);
    assert.equal(await app.services.notifications.queueStuckMail(), 0, 'a dead letter is left to staff');
  });

  test('a 4xx reply is retried later', async () => {
    const to = `busy.${sequence++}@mail.example`;
    const id = await queueOne(to);
    await until(async () => (await outbox(id)).status === 'retrying', 'the message to wait for a retry');
    const mail = await outbox(id);
    assert.equal(mail.attempts, 1);
    assert.ok(mail.next_attempt_at! > clock.now(), 'it is tried again later');
    assert.match(mail.last_error!, /451/);
  });

  test('a queued message whose job is gone is sent exactly once by the watch', async () => {
    const to = `stuck.${sequence++}@mail.example`;
    const id = await queueOne(to, { withoutJob: true });
    assert.equal(
      await app.services.notifications.queueStuckMail(),
      0,
      'just queued: left to its job a while',
    );
    minutesLater(STUCK_AFTER_SECONDS / 60 + 1);
    assert.equal(await app.services.notifications.queueStuckMail(), 1);
    assert.equal(await app.services.notifications.queueStuckMail(), 0, 'queued again once');
    await until(async () => (await outbox(id)).status === 'sent', 'the message to be sent');
    minutesLater(STUCK_AFTER_SECONDS / 60 + 1);
    assert.equal(await app.services.notifications.queueStuckMail(), 0, 'a sent message is left alone');
    assert.equal(receivedBy(to), 1);
  });

  test('a message being sent under a live claim is not touched; once its claim runs out it is sent once', async () => {
    const to = `claimed.${sequence++}@mail.example`;
    const id = await queueOne(to, { withoutJob: true });
    // A worker claimed it and then died mid-delivery: `sending`, its claim still running.
    await app.database.db
      .updateTable('mail_outbox')
      .set({ status: 'sending', claimed_until: new Date(clock.now().getTime() + DELIVERY_CLAIM_MS) })
      .where('id', '=', id)
      .execute();
    minutesLater(STUCK_AFTER_SECONDS / 60 + 1);
    assert.equal(await app.services.notifications.queueStuckMail(), 0);
    assert.equal((await outbox(id)).status, 'sending');
    assert.equal(receivedBy(to), 0);

    minutesLater(DELIVERY_CLAIM_MS / 60_000);
    assert.equal(await app.services.notifications.queueStuckMail(), 1);
    await until(async () => (await outbox(id)).status === 'sent', 'the message to be sent');
    assert.equal(receivedBy(to), 1);
  });
});
