import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccountMatch, type KnownAccount, matchAccount } from './account-match.ts';

const account = (fields: Partial<KnownAccount> = {}): KnownAccount => ({
  id: 'u1',
  status: 'active',
  hasOtherIdentityHere: false,
  isEmailVerified: true,
  ...fields,
});
const verified = { email: 'a@campus.edu', isEmailVerified: true };
const unverified = { email: 'a@campus.edu', isEmailVerified: false };

test('which account a person signing in becomes, as a table', () => {
  const rows: [string, Parameters<typeof matchAccount>, AccountMatch][] = [
    ['returning identity', [verified, account(), undefined], { kind: 'returning', userId: 'u1' }],
    [
      'returning, unverified now',
      [unverified, account(), account({ id: 'u2' })],
      { kind: 'returning', userId: 'u1' },
    ],
    [
      'returning to a disabled account',
      [verified, account({ status: 'disabled' }), undefined],
      { kind: 'refuse', reason: 'account_disabled' },
    ],
    ['new person', [verified, undefined, undefined], { kind: 'create' }],
    ['new person, address unverified', [unverified, undefined, undefined], { kind: 'create' }],
    [
      'no address',
      [{ email: null, isEmailVerified: false }, undefined, undefined],
      { kind: 'refuse', reason: 'email_missing' },
    ],
    [
      'address of an account, vouched for',
      [verified, undefined, account()],
      { kind: 'link_by_email', userId: 'u1' },
    ],
    [
      'address of an account, not vouched for: the person may prove it',
      [unverified, undefined, account()],
      { kind: 'refuse', reason: 'email_unverified_account_exists', mayProveEmail: true },
    ],
    [
      'address of a disabled account, not vouched for: nothing to prove it for',
      [unverified, undefined, account({ status: 'disabled' })],
      { kind: 'refuse', reason: 'email_unverified_account_exists', mayProveEmail: false },
    ],
    [
      'address of an account linked to another identity, not vouched for',
      [unverified, undefined, account({ hasOtherIdentityHere: true })],
      { kind: 'refuse', reason: 'email_unverified_account_exists', mayProveEmail: false },
    ],
    [
      'address of an account linked to another identity',
      [verified, undefined, account({ hasOtherIdentityHere: true })],
      { kind: 'refuse', reason: 'email_linked_to_other_identity' },
    ],
    [
      'address of a disabled account',
      [verified, undefined, account({ status: 'disabled' })],
      { kind: 'refuse', reason: 'account_disabled' },
    ],
  ];
  for (const [name, args, expected] of rows) assert.deepEqual(matchAccount(...args), expected, name);
});
