import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import type { MailLane } from './mail-lanes.ts';

const payload = z.object({ outboxId: z.uuid() });

// Both lanes deliver each fetched batch whole (NotificationsService.deliverMany: one claim, one record of the sent,
// one completion for the batch), `parallel` sends at a time. Failed deliveries are retried by the outbox on its own
// day-long schedule (retry-schedule.ts), so pg-boss's retries here only cover a worker that died or lost the
// database mid-job; delivering twice is harmless (a message that is not queued is skipped). Twelve of them, from
// 5 s doubling, span about six hours of database outage: a job that gave up sooner would leave its message queued
// with nothing left to send it.

/**
 * Account mail: small batches, fetched as soon as the request that queued one commits (the send wakes the worker),
 * so a reset link leaves within a moment of its request however long the bulk queue is.
 */
export const accountMailJob: JobDefinition<{ outboxId: string }> = {
  name: 'mail-account',
  payload,
  retryLimit: 12,
  worker: { batchSize: 5, parallel: 5 },
};

/**
 * Bulk mail (claims, notices). Large batches cost a few commits per hundred messages. One send at a time: over a
 * reused connection that still keeps up with the fastest list (15,000 claim mails were received 84 s after its
 * commit, against 78 s four at a time), and it leaves more of the process's one thread to the pages people are
 * waiting on while the list runs (staff p99 during a 15,000-row list: mean of two runs 96 ms, against 113 ms four
 * at a time; bench/fair-issuing.bench.ts). Account mail always finds a free SMTP connection. The name is the single
 * mail queue's from before the split, so jobs queued before an upgrade are still delivered.
 */
export const bulkMailJob: JobDefinition<{ outboxId: string }> = {
  name: 'mail-send',
  payload,
  retryLimit: 12,
  worker: { batchSize: 100, parallel: 1 },
};

/** The job that delivers a message in the given lane. */
export const mailJobFor = (lane: MailLane) => (lane === 'account' ? accountMailJob : bulkMailJob);
