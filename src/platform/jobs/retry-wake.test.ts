import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RETRY_WAKE_MARGIN_MS, retryWakeAfterMs } from './retry-wake.ts';

test('a failed job is woken for at the latest moment pg-boss may have put its retry, as a table', () => {
  const cases: [string, Parameters<typeof retryWakeAfterMs>[0], number | undefined][] = [
    [
      'first failure, no backoff',
      { retryCount: 0, retryLimit: 5, retryDelay: 5, retryBackoff: false },
      5_000,
    ],
    [
      'third failure, no backoff',
      { retryCount: 2, retryLimit: 5, retryDelay: 5, retryBackoff: false },
      5_000,
    ],
    [
      'first failure, backoff: 5 · 2¹',
      { retryCount: 0, retryLimit: 5, retryDelay: 5, retryBackoff: true },
      10_000,
    ],
    [
      'third failure, backoff: 5 · 2³',
      { retryCount: 2, retryLimit: 5, retryDelay: 5, retryBackoff: true },
      40_000,
    ],
    [
      'the exponent stops at 16',
      { retryCount: 20, retryLimit: 30, retryDelay: 1, retryBackoff: true },
      65_536_000,
    ],
    ['no retry left', { retryCount: 5, retryLimit: 5, retryDelay: 5, retryBackoff: true }, undefined],
    ['no retries at all', { retryCount: 0, retryLimit: 0, retryDelay: 5, retryBackoff: false }, undefined],
  ];
  for (const [name, job, seconds] of cases) {
    const expected = seconds === undefined ? undefined : seconds + RETRY_WAKE_MARGIN_MS;
    assert.equal(retryWakeAfterMs(job), expected, name);
  }
});
