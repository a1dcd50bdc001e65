/**
 * mail_throughput and account_mail_latency: how fast queued mail leaves for a real SMTP server on loopback
 * (smtp-server), through the app's own path (outbox → pg-boss queue → batched worker → pooled nodemailer), and
 * how long a password reset waits while a 10,000-message bulk backlog is draining.
 *
 * Throughput: BENCH_MAIL_MESSAGES (2,000) bulk messages queued in one transaction, timed until the last is
 * marked sent; the median of BENCH_MAIL_ROUNDS (3) rounds, with the process's peak RSS. Latency: 10,000 bulk
 * messages are queued, then a reset every half second while they drain; each reset's time from queueing to
 * sent. The measurement before the change was about 1 message/s (one queue, one job per poll, one
 * connection per message); it is quoted, not re-run, as 2,000 messages would take half an hour.
 * Correctness gates (fail the bench): every message sent, and received by the server exactly once.
 */

import { mailDeliveries } from '../src/notifications/notifications.queries.ts';
import { createMailer } from '../src/platform/mail/mailer.ts';
import { startSmtp } from '../test/support/backpack.ts';
import { type BenchApp, startBenchApp } from './support/bench-app.ts';
import { type BenchDefinition, median, metric, percentiles } from './support/harness.ts';

const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 2000);
const ROUNDS = Number(process.env.BENCH_MAIL_ROUNDS ?? 3);
const BACKLOG = Number(process.env.BENCH_MAIL_BACKLOG ?? 10_000);
const RESETS = 20;
const MB = 1024 * 1024;

export default {
  name: 'mail',
  description: `${MESSAGES} messages to a loopback SMTP server, and account-mail latency behind a ${BACKLOG}-message backlog`,
  async run(log) {
    const smtp = await startSmtp();
    const app = await startBenchApp('pglite', {
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
      runJobs: true,
    });
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    try {
      log(`warming up on 200 messages…`);
      await queueBulk(app, 200, 'warm');
      await waitUntilSent(app);

      const rates: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const began = performance.now();
        await queueBulk(app, MESSAGES, `round${round}`);
        await waitUntilSent(app);
        const rate = MESSAGES / ((performance.now() - began) / 1000);
        rates.push(rate);
        log(`round ${round}: ${MESSAGES} messages at ${rate.toFixed(0)} messages/s`);
      }

      log(`latency: ${BACKLOG} bulk messages queued, then a reset every half second…`);
      const backlogBegan = performance.now();
      await queueBulk(app, BACKLOG, 'backlog');
      const latencies: number[] = [];
      for (let n = 0; n < RESETS; n++) {
        const queuedAt = performance.now();
        const id = await app.database.db.transaction().execute((trx) =>
          app.services.notifications.queueMail(trx, {
            to: `reset.${n}@bench.example`,
            subject: 'Reset your password',
            text: 'x',
            kind: 'password_reset',
          }),
        );
        while ((await app.services.notifications.find(id))?.status !== 'sent') await pause(10);
        latencies.push(performance.now() - queuedAt);
        await pause(500);
      }
      const waiting = await count(app, 'queued');
      log(`resets sent with ${waiting} bulk messages still waiting; draining the rest…`);
      await waitUntilSent(app);
      const backlogRate = BACKLOG / ((performance.now() - backlogBegan) / 1000);

      const expected = 200 + MESSAGES * ROUNDS + BACKLOG + RESETS;
      const received = smtp.received.length;
      const distinct = new Set(smtp.received.map((m) => m.to.join())).size;
      if (received !== expected || distinct !== expected)
        throw new Error(
          `the server received ${received} messages (${distinct} distinct), expected ${expected}`,
        );

      const latency = percentiles(latencies);
      const rssMb = Math.round(peakRss / MB);
      log(
        `backlog drained at ${backlogRate.toFixed(0)} messages/s; reset latency ${JSON.stringify(latency)} ms`,
      );
      return {
        metrics: {
          mail_throughput: metric({
            unit: 'messages/s',
            ours: median(rates),
            better: 'higher',
            description:
              `${MESSAGES} bulk messages queued at once, to sent on a loopback smtp-server, PGlite, median of ` +
              `${ROUNDS} rounds; peak RSS ${rssMb} MB. Before issue 15: about 1 message/s.`,
            rounds: { ours: rates },
          }),
          account_mail_latency: metric({
            unit: 'ms',
            ours: latency.p90,
            better: 'lower',
            description:
              `p90 time from queueing to sent of ${RESETS} password resets queued while a ${BACKLOG}-message ` +
              `bulk backlog drained (${backlogRate.toFixed(0)} messages/s); max ${Math.round(Math.max(...latencies))} ms.`,
            latencyMs: { ours: latency },
          }),
        },
        details: {
          rates,
          latenciesMs: latencies,
          backlogRate,
          peakRssMb: rssMb,
          waitingWhenResetsDone: waiting,
        },
      };
    } finally {
      clearInterval(sampler);
      await app.close();
      await smtp.close();
    }
  },
} satisfies BenchDefinition;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function queueBulk(app: BenchApp, n: number, tag: string): Promise<void> {
  const messages = Array.from({ length: n }, (_, i) => ({
    to: `${tag}.${i}@bench.example`,
    subject: 'Claim your badge',
    text: `Hello ${i}, your badge is ready.`,
    kind: 'badge_claim',
  }));
  await app.database.db.transaction().execute((trx) => app.services.notifications.queueMails(trx, messages));
}

async function count(
  app: BenchApp,
  status: 'queued' | 'sending' | 'retrying' | 'sent' | 'failed',
): Promise<number> {
  const row = await app.database.db
    .selectFrom(mailDeliveries(app.database.db).where('status', '=', status).as('m'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function waitUntilSent(app: BenchApp): Promise<void> {
  // A batch being delivered is 'sending' until its sends are recorded: it is not done yet either.
  const pending = async () =>
    (await count(app, 'queued')) + (await count(app, 'sending')) + (await count(app, 'retrying'));
  while ((await pending()) > 0) await pause(100);
  const failed = await count(app, 'failed');
  if (failed > 0) throw new Error(`${failed} messages failed`);
}
