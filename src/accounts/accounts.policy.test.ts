import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import {
  type AccountChange,
  type AccountsAction,
  isOwnAccount,
  leavesNoAdministrator,
  mayDo,
} from './accounts.policy.ts';

test('who manages accounts, as a table', () => {
  const actions: AccountsAction[] = [
    'list_users',
    'invite_user',
    'change_roles',
    'deactivate_user',
    'reactivate_user',
    'resend_invitation',
  ];
  const rows: [Role[], boolean][] = [
    [['admin'], true],
    [['admin', 'learner'], true],
    [['credentials_office'], false],
    [['registrar'], false],
    [['bursar'], false],
    [['program_lead'], false],
    [['approver'], false],
    [['signer'], false],
    [['learner'], false],
  ];
  for (const [roles, expected] of rows) {
    for (const action of actions)
      assert.equal(mayDo({ roles }, action), expected, `${roles.join('+')} ${action}`);
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('an administrator never changes their own account, as a table', () => {
  const rows: [string, string, boolean][] = [
    ['their own account', 'me', true],
    ["someone else's account", 'other', false],
  ];
  for (const [name, userId, expected] of rows)
    assert.equal(isOwnAccount({ id: 'me' }, userId), expected, name);
});

test('the last active administrator is never demoted or deactivated, as a table', () => {
  const admin = { status: 'active', roles: ['admin'] } as const;
  const demote: AccountChange = { kind: 'roles', roles: ['registrar'] };
  const keep: AccountChange = { kind: 'roles', roles: ['admin', 'signer'] };
  const deactivate: AccountChange = { kind: 'deactivate' };
  const rows: [string, Parameters<typeof leavesNoAdministrator>[0], AccountChange, number, boolean][] = [
    ['demoting the only active administrator', admin, demote, 1, true],
    ['taking every role from the only active administrator', admin, { kind: 'roles', roles: [] }, 1, true],
    ['deactivating the only active administrator', admin, deactivate, 1, true],
    ['changing the only administrator, admin kept', admin, keep, 1, false],
    ['demoting one of two active administrators', admin, demote, 2, false],
    ['deactivating one of two active administrators', admin, deactivate, 2, false],
    ['demoting an invited administrator', { status: 'invited', roles: ['admin'] }, demote, 1, false],
    [
      'deactivating someone who is not an administrator',
      { status: 'active', roles: ['bursar'] },
      deactivate,
      1,
      false,
    ],
  ];
  for (const [name, target, change, count, expected] of rows) {
    assert.equal(leavesNoAdministrator(target, change, count), expected, name);
  }
});
