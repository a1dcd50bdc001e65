import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDates, datesProblem } from './check-dates.ts';

const now = new Date('2026-06-01T12:00:00Z');

test('dates are judged against now, each verdict in words', () => {
  const cases: [Record<string, unknown>, { status: string; message: RegExp; expired?: boolean }][] = [
    [
      { validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00+02:00' },
      { status: 'passed', message: /^This badge is valid since .*2026.*, until .*2026.*\.$/ },
    ],
    [{ validFrom: '2026-01-01T00:00:00.123Z' }, { status: 'passed', message: /and does not expire\.$/ }],
    [{}, { status: 'passed', message: /^This badge is valid and does not expire\.$/ }],
    [{ validFrom: '2026-07-01T00:00:00Z' }, { status: 'failed', message: /is not valid until/ }],
    [{ validUntil: '2026-05-01T00:00:00Z' }, { status: 'failed', message: /expired on/, expired: true }],
    [{ validFrom: '2026-01-01' }, { status: 'failed', message: /validFrom is not a valid date/ }],
    [{ validFrom: '2026-01-01T00:00:00' }, { status: 'failed', message: /validFrom is not a valid date/ }],
    [{ validUntil: '2026-13-45T00:00:00Z' }, { status: 'failed', message: /validUntil is not a valid date/ }],
    [{ validUntil: 20260101 }, { status: 'failed', message: /validUntil is not a valid date/ }],
    [{ issuanceDate: '2027-01-01T00:00:00Z' }, { status: 'failed', message: /is not valid until/ }],
    [{ expirationDate: '2026-01-01T00:00:00Z' }, { status: 'failed', message: /expired on/, expired: true }],
  ];
  for (const [credential, expected] of cases) {
    const check = checkDates(credential, now);
    const label = JSON.stringify(credential);
    assert.equal(check.status, expected.status, label);
    assert.match(check.message, expected.message, label);
    assert.equal(check.expired, expected.expired, label);
    // datesProblem gives the same failure, and nothing for dates that hold.
    assert.deepEqual(datesProblem(credential, now), check.status === 'failed' ? check : null, label);
  }
});
