// Issue 15: mail is delivered in batches, and a batch records what the SMTP server accepted only after its sends.
// A worker killed (kill -9) between the server's acceptance and that record must not lose the message: it stays
// claimed, and once the claim runs out the stuck-mail watch queues it again and it is sent, with the same
// Message-ID, so the recipient's mail system can tell the copy for what it is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../support/backpack.ts';
import { type FaultBench, openFaultBench, startServe, waitUntil } from '../support/faults.ts';
import { testBackend } from '../support/test-database.ts';

const MESSAGES = 30;
/** The worker dies just after the server accepted this many messages. */
const KILL_AFTER = 5;

describe(`a mail worker killed after the SMTP server accepted a message (${testBackend})`, {
  skip:
    testBackend !== 'postgres' &&
    'needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to the process that is killed',
}, () => {
  let bench: FaultBench;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let onAccepted: () => void = () => {};

  before(async () => {
    bench = await openFaultBench();
    smtp = await startSmtp({ onAccepted: () => onAccepted() });
  });
  after(async () => {
    await smtp?.close();
    await bench?.close();
  });

  test('the message is sent again once its claim runs out, with the same Message-ID, and none is lost', async () => {
    const notifications = bench.app.services.notifications;
    const addresses = Array.from({ length: MESSAGES }, (_, n) => `crash.${n}@mail.example`);
    const ids = await bench.app.database.db.transaction().execute((trx) =>
      notifications.queueMails(
        trx,
        addresses.map((to, n) => ({ to, subject: `Claim ${n}`, text: 'Body', kind: 'badge_claim' })),
      ),
    );
    const env = { SMTP_URL: smtp.url, MAIL_FROM: 'Stackable <no-reply@mail.example.edu>' };
    const first = await startServe(bench, bench.url.toString(), env);
    let second: Awaited<ReturnType<typeof startServe>> | undefined;
    try {
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      onAccepted = () => {
        if (smtp.received.length === KILL_AFTER) first.child.kill('SIGKILL');
      };
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise((_, reject) => {
          deadline = setTimeout(() => reject(new Error(`no mail was sent:\n${first.output()}`)), 120_000);
        }),
      ]).finally(() => clearTimeout(deadline));
      onAccepted = () => {};
      assert.equal(first.child.signalCode, 'SIGKILL');
      const accepted = smtp.received.length;
      assert.ok(accepted >= KILL_AFTER);

      const outbox = () =>
        bench.app.database.db
          .selectFrom('mail_outbox')
          .select(['id', 'to_address', 'status', 'attempts'])
          .where('id', 'in', ids)
          .execute();
      const atCrash = await outbox();
      const acceptedTo = new Set(smtp.received.flatMap((message) => message.to));
      const unrecorded = atCrash.filter((row) => acceptedTo.has(row.to_address) && row.status !== 'sent');
      assert.ok(unrecorded.length > 0, 'the worker died before recording what the server accepted');
      assert.ok(
        unrecorded.every((row) => row.status === 'sending'),
        'they stay claimed, so no other delivery sends them meanwhile',
      );

      // Five minutes pass: the dead worker's claims run out, and the watch (here called at once) queues them again.
      await bench.app.database.db
        .updateTable('mail_outbox')
        .set({ claimed_until: new Date(Date.now() - 1000) })
        .where('id', 'in', ids)
        .where('status', '=', 'sending')
        .execute();
      const requeued = await notifications.queueStuckMail();
      assert.equal(requeued, atCrash.filter((row) => row.status === 'sending').length);

      second = await startServe(bench, bench.url.toString(), env);
      const next = second;
      const done = await waitUntil(
        'every message to be sent',
        outbox,
        (rows) => rows.every((row) => row.status === 'sent'),
        120_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nthe second worker said:\n${next.output()}`);
      });
      assert.ok(
        done.every((row) => row.attempts === 1),
        'an attempt is counted once per recorded send',
      );

      const copies = new Map<string, string[]>();
      for (const message of smtp.received) {
        const messageId = /^Message-ID: (<[^>]+>)/im.exec(message.raw)?.[1] ?? '';
        for (const to of message.to) copies.set(to, [...(copies.get(to) ?? []), messageId]);
      }
      assert.deepEqual([...copies.keys()].sort(), [...addresses].sort(), 'every address got its message');
      for (const row of unrecorded) {
        const sent = copies.get(row.to_address)!;
        assert.equal(sent.length, 2, `${row.to_address}: sent again after the crash`);
        assert.equal(sent[0], `<${row.id}@mail.example.edu>`);
        assert.equal(sent[1], sent[0], 'the copy has the same Message-ID');
      }
      const recordedBefore = atCrash.filter((row) => row.status === 'sent').map((row) => row.to_address);
      for (const to of recordedBefore) assert.equal(copies.get(to)!.length, 1, `${to}: sent once`);
      assert.ok(
        [...copies.values()].every((sent) => sent.length <= 2),
        'nothing sent more than twice',
      );
    } finally {
      await first.stop();
      await second?.stop();
    }
  });
});
