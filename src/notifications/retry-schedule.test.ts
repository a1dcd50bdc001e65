import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { afterFailedAttempt, LONGEST_RETRY_MS, RETRY_WINDOW_MS } from './retry-schedule.ts';

const queuedAt = new Date('2026-03-02T08:00:00Z');
const minutes = (n: number) => new Date(queuedAt.getTime() + n * 60_000);

test('retries start a minute apart and double', () => {
  assert.deepEqual(afterFailedAttempt(queuedAt, 1, queuedAt), { retryAt: minutes(1) });
  assert.deepEqual(afterFailedAttempt(queuedAt, 2, minutes(1)), { retryAt: minutes(3) });
  assert.deepEqual(afterFailedAttempt(queuedAt, 3, minutes(3)), { retryAt: minutes(7) });
});

test('the wait between attempts stops growing at an hour', () => {
  assert.deepEqual(afterFailedAttempt(queuedAt, 12, minutes(300)), { retryAt: minutes(360) });
});

test('a message fails only after a whole day of attempts', () => {
  assert.ok('retryAt' in afterFailedAttempt(queuedAt, 40, minutes(24 * 60 - 1)));
  assert.deepEqual(afterFailedAttempt(queuedAt, 41, minutes(24 * 60)), { giveUp: true });
});

test('following the schedule, a message is tried again and again for at least a day', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5 * 60_000 }), (slowness) => {
      // Each attempt takes up to a few minutes of its own before it fails; the message is never dropped early.
      let now = queuedAt;
      for (let attempts = 1; attempts < 1000; attempts++) {
        const next = afterFailedAttempt(queuedAt, attempts, now);
        if ('giveUp' in next) return now.getTime() - queuedAt.getTime() >= RETRY_WINDOW_MS;
        const wait = next.retryAt.getTime() - now.getTime();
        if (wait <= 0 || wait > LONGEST_RETRY_MS) return false;
        now = new Date(next.retryAt.getTime() + slowness);
      }
      return false;
    }),
  );
});
