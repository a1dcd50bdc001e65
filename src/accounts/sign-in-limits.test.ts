import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  delayAfterFailures,
  forgetFailuresBefore,
  SIGN_IN_LIMITS,
  tooManyFailures,
} from './sign-in-limits.ts';

const minute = 60_000;

test('the wait after each failure: none for the first five, then doubling up to the cap', () => {
  const table: [failures: number, wait: number][] = [
    [1, 0],
    [4, 0],
    [5, 1 * minute],
    [6, 2 * minute],
    [7, 4 * minute],
    [9, 16 * minute],
    [10, 30 * minute],
    [50, 30 * minute],
    [10_000, 30 * minute],
  ];
  for (const [failures, wait] of table) assert.equal(delayAfterFailures(failures), wait, `after ${failures}`);
});

test('failures are forgotten an hour after the last one, which outlasts the longest wait', () => {
  const now = new Date('2026-01-01T10:00:00Z');
  assert.equal(forgetFailuresBefore(now).toISOString(), '2026-01-01T09:00:00.000Z');
  assert.ok(SIGN_IN_LIMITS.windowMs > SIGN_IN_LIMITS.maxDelayMs);
});

test('the refusal names the wait in whole minutes, rounded up', () => {
  const now = new Date('2026-01-01T10:00:00Z');
  const in90s = new Date(now.getTime() + 90_000);
  assert.match(tooManyFailures(in90s, now).publicMessage, /try again in 2 minutes\.$/);
  assert.match(tooManyFailures(new Date(now.getTime() + 1000), now).publicMessage, /in 1 minute\.$/);
  assert.equal(tooManyFailures(in90s, now).status, 429);
});
