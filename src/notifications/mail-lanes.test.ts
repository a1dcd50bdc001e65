import assert from 'node:assert/strict';
import { test } from 'node:test';
import { laneOf } from './mail-lanes.ts';

test('account mail and bulk mail, as a table', () => {
  const rows: [string, 'account' | 'bulk'][] = [
    ['password_reset', 'account'],
    ['invitation', 'account'],
    ['email_verification', 'account'],
    ['sign_up_existing', 'account'],
    ['badge_claim', 'bulk'],
    ['badge_revoked', 'bulk'],
    ['badge_request_approved', 'bulk'],
    ['program_reminder', 'bulk'],
    ['a_kind_nobody_listed', 'bulk'],
  ];
  for (const [kind, lane] of rows) assert.equal(laneOf(kind), lane, kind);
});
