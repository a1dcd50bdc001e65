import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AwardRecord,
  type AwardStatus,
  awardStatuses,
  awardStatusLabels,
  awardStatusOf,
} from './award-status.ts';

describe('a learner’s award status', () => {
  const cases: [string, AwardRecord, AwardStatus][] = [
    ['nothing on record', {}, 'not_requested'],
    ['a request waiting', { request: { status: 'requested' } }, 'requested'],
    ['a request approved', { request: { status: 'approved' } }, 'approved'],
    ['a request returned', { request: { status: 'returned' } }, 'returned'],
    ['a request withdrawn', { request: { status: 'withdrawn' } }, 'withdrawn'],
    [
      'issued from a request, not claimed',
      { request: { status: 'issued' }, credential: { status: 'active', isClaimed: false } },
      'issued',
    ],
    [
      'issued from a tracking list (no request), claimed',
      { credential: { status: 'active', isClaimed: true } },
      'claimed',
    ],
    [
      'claimed, then revoked: the revocation wins',
      { request: { status: 'issued' }, credential: { status: 'revoked', isClaimed: true } },
      'revoked',
    ],
    ['suspended', { credential: { status: 'suspended', isClaimed: false } }, 'suspended'],
    [
      'a request returned after a tracking list issued the badge: the badge decides',
      { request: { status: 'returned' }, credential: { status: 'active', isClaimed: false } },
      'issued',
    ],
  ];
  for (const [name, record, expected] of cases) {
    test(name, () => assert.equal(awardStatusOf(record), expected));
  }

  test('every status has its own words', () => {
    const labels = awardStatuses.map((status) => awardStatusLabels[status]);
    assert.equal(new Set(labels).size, awardStatuses.length);
  });
});
