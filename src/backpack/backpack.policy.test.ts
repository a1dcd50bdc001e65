import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { mayDo } from './backpack.policy.ts';

test('who edits the claim e-mail, as a table', () => {
  const rows: [Role[], boolean][] = [
    [['credentials_office'], true],
    [['admin'], true],
    [['registrar'], false],
    [['bursar'], false],
    [['program_lead'], false],
    [['approver'], false],
    [['learner'], false],
  ];
  for (const [roles, expected] of rows) {
    assert.equal(mayDo({ roles }, 'edit_claim_template'), expected, roles.join('+'));
  }
  assert.equal(mayDo(null, 'edit_claim_template'), false, 'nobody signed in');
});
