import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { mayDo } from './notifications.policy.ts';

test('who reads the outbox and resends failed mail, as a table', () => {
  const rows: [Role[], boolean][] = [
    [['admin'], true],
    [['credentials_office'], true],
    [['registrar'], false],
    [['bursar'], false],
    [['program_lead'], false],
    [['approver'], false],
    [['learner'], false],
    [['learner', 'credentials_office'], true],
  ];
  for (const action of ['read_outbox', 'resend_mail'] as const) {
    for (const [roles, expected] of rows)
      assert.equal(mayDo({ roles }, action), expected, `${action} ${roles.join('+')}`);
    assert.equal(mayDo(null, action), false, `${action} nobody signed in`);
  }
});
