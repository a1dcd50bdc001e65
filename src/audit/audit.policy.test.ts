import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { mayDo } from './audit.policy.ts';

test('who reads the audit log, as a table', () => {
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
  for (const [roles, expected] of rows) assert.equal(mayDo({ roles }, 'read_log'), expected, roles.join('+'));
  assert.equal(mayDo(null, 'read_log'), false, 'nobody signed in');
});
