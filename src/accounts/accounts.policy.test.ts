import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import { type AccountsAction, mayDo, removesOwnAdmin } from './accounts.policy.ts';

test('who manages accounts, as a table', () => {
  const actions: AccountsAction[] = ['list_users', 'invite_user', 'change_roles'];
  const rows: [Role[], boolean][] = [
    [['admin'], true],
    [['admin', 'learner'], true],
    [['credentials_office'], false],
    [['registrar'], false],
    [['bursar'], false],
    [['program_lead'], false],
    [['approver'], false],
    [['learner'], false],
  ];
  for (const [roles, expected] of rows) {
    for (const action of actions)
      assert.equal(mayDo({ roles }, action), expected, `${roles.join('+')} ${action}`);
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('an administrator cannot remove their own administrator role, as a table', () => {
  const admin = { id: 'me' };
  const rows: [string, string, Role[], boolean][] = [
    ['their own roles, without admin', 'me', ['registrar'], true],
    ['their own roles, none left', 'me', [], true],
    ['their own roles, admin kept', 'me', ['admin', 'registrar'], false],
    ["someone else's roles, without admin", 'other', ['learner'], false],
    ["someone else's roles, admin taken away", 'other', [], false],
  ];
  for (const [name, userId, roles, expected] of rows) {
    assert.equal(removesOwnAdmin(admin, userId, roles), expected, name);
  }
});
