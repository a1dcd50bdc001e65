import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import { mayDo } from './notifications.policy.ts';

test('who reads the outbox, as a table', () => {
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
  for (const [roles, expected] of rows)
    assert.equal(mayDo({ roles }, 'read_outbox'), expected, roles.join('+'));
  assert.equal(mayDo(null, 'read_outbox'), false, 'nobody signed in');
});
