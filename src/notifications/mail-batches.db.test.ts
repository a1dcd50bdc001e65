// Issue 15: mail is delivered a batch at a time (one claim, one record of the sent, one completion for the batch)
// to cut the commits a 15,000-row list's claim mails cost. Each message must still keep its own outcome: a refused
// one is retried on its own schedule without the others being sent again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startSmtp } from '../../test/support/backpack.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { createMailer, type Mailer } from '../platform/mail/mailer.ts';
import { bulkMailJob } from './notifications.jobs.ts';
import { FIRST_RETRY_MS } from './retry-schedule.ts';

describe(`mail delivered in batches on ${testBackend}`, () => {
  const clock = fixedClock(new Date());
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let sequence = 0;
  /** Called before each send; a test sets it to act in the middle of a batch. */
  let beforeSend: () => void = () => {};

  before(async () => {
    smtp = await startSmtp({
      replyTo: (to) => (to.startsWith('busy.') ? 451 : to.startsWith('gone.') ? 550 : undefined),
    });
    const smtpMailer = createMailer(smtp.url, 'Stackable <no-reply@example.edu>');
    const mailer: Mailer = {
      kind: 'smtp',
      send: async (message) => {
        beforeSend();
        await smtpMailer.send(message);
      },
      close: () => smtpMailer.close(),
    };
    // No workers: the test hands each batch to the delivery itself, as the bulk mail worker does.
    app = await startTestApp({ clock, mailer, runJobs: false });
  });
  after(async () => {
    await app?.close();
    await smtp?.close();
  });

  const queue = (addresses: readonly string[]) =>
    app.database.db.transaction().execute((trx) =>
      app.services.notifications.queueMails(
        trx,
        addresses.map((to) => ({ to, subject: `Claim ${sequence++}`, text: 'Body', kind: 'badge_claim' })),
      ),
    );
  const rows = (ids: readonly string[]) =>
    Promise.all(ids.map((id) => app.services.notifications.find(id).then((row) => row!)));
  const receivedBy = (to: string) => smtp.received.filter((message) => message.to.includes(to)).length;

  test('a batch with one refused recipient sends the others and retries only the refused one', async () => {
    const run = sequence;
    const addresses = Array.from({ length: 8 }, (_, n) =>
      n === 3
        ? `busy.${run}@mail.example`
        : n === 6
          ? `gone.${run}@mail.example`
          : `ok.${run}.${n}@mail.example`,
    );
    const ids = await queue(addresses);

    const outcomes = await app.services.notifications.deliverMany(ids, 4);
    assert.deepEqual(
      ids.map((id) => outcomes.get(id)?.status),
      ['sent', 'sent', 'sent', 'retrying', 'sent', 'sent', 'failed', 'sent'],
    );
    const [busy, gone] = [ids[3]!, ids[6]!];
    const after = await rows(ids);
    for (const row of after.filter((row) => row.id !== busy && row.id !== gone)) {
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 1);
      assert.equal(receivedBy(row.to_address), 1);
    }
    const refused = after.find((row) => row.id === busy)!;
    assert.equal(refused.status, 'retrying');
    assert.equal(refused.attempts, 1);
    assert.equal(refused.next_attempt_at?.getTime(), clock.now().getTime() + FIRST_RETRY_MS);
    assert.match(refused.last_error!, /451/);
    const dead = after.find((row) => row.id === gone)!;
    assert.equal(dead.status, 'failed');
    assert.match(dead.last_error!, /Refused for good by the mail server: .*550/);

    // Its retry comes due alone; the batch handed in again sends nothing twice.
    clock.set(refused.next_attempt_at!);
    assert.equal(await app.services.notifications.queueDueRetries(), 1);
    const again = await app.services.notifications.deliverMany(ids, 4);
    assert.deepEqual([...again.keys()], [busy]);
    const retried = (await rows([busy]))[0]!;
    assert.equal(retried.attempts, 2);
    assert.equal(retried.next_attempt_at?.getTime(), clock.now().getTime() + 2 * FIRST_RETRY_MS);
    assert.equal(smtp.received.length, 6, 'only the six accepted messages arrived, once each');
  });

  test('two deliveries of the same batch at once send each message once', async () => {
    const run = sequence;
    const addresses = Array.from({ length: 12 }, (_, n) => `twice.${run}.${n}@mail.example`);
    const ids = await queue(addresses);
    const [first, second] = await Promise.all([
      app.services.notifications.deliverMany(ids, 4),
      app.services.notifications.deliverMany(ids, 4),
    ]);
    assert.equal(first.size + second.size, addresses.length, 'each message was claimed by one of them');
    for (const to of addresses) assert.equal(receivedBy(to), 1, to);
    assert.ok((await rows(ids)).every((row) => row.status === 'sent'));
  });

  test('a message the batch has no time left to send under its claim is queued again untried', async () => {
    const run = sequence;
    const addresses = Array.from({ length: 3 }, (_, n) => `slow.${run}.${n}@mail.example`);
    const ids = await queue(addresses);
    // The worker has taken their jobs.
    await sql`delete from pgboss.job where data->>'outboxId' in (${sql.join(ids)})`.execute(app.database.db);
    // The first send meets a server that takes four minutes to answer: too late to start another under the claim.
    let sends = 0;
    beforeSend = () => {
      if (sends++ === 0) clock.set(new Date(clock.now().getTime() + 4 * 60_000));
    };
    try {
      const outcomes = await app.services.notifications.deliverMany(ids, 1);
      assert.deepEqual(
        ids.map((id) => outcomes.get(id)?.status),
        ['sent', 'not_queued', 'not_queued'],
      );
    } finally {
      beforeSend = () => {};
    }
    const [sent, ...untried] = await rows(ids);
    assert.equal(sent!.status, 'sent');
    for (const row of untried) {
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 0, 'no attempt is counted for a message not tried');
      assert.equal(row.claimed_until, null);
      assert.equal(receivedBy(row.to_address), 0);
    }
    // Each was given a job of its own again, in the bulk queue, and is delivered by it.
    const { rows: jobs } = await sql<{ outbox_id: string }>`
      select data->>'outboxId' as outbox_id from pgboss.job
      where name = ${bulkMailJob.name} and state = 'created'
        and data->>'outboxId' in (${sql.join(untried.map((row) => row.id))})
    `.execute(app.database.db);
    assert.deepEqual(jobs.map((job) => job.outbox_id).sort(), untried.map((row) => row.id).sort());
    await app.services.notifications.deliverMany(
      untried.map((row) => row.id),
      4,
    );
    for (const row of untried) assert.equal(receivedBy(row.to_address), 1);
  });
});
