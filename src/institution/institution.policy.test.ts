import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditActor } from '../audit/audit.service.ts';
import type { Role } from '../platform/roles.ts';
import { type InstitutionAction, mayDo } from './institution.policy.ts';

const person = (...roles: Role[]): AuditActor => ({
  id: 'u1',
  name: 'Someone',
  email: 'someone@example.org',
  roles,
});
const actions: InstitutionAction[] = ['view_profile', 'edit_profile', 'manage_signing_keys'];

const table: [string, AuditActor | null, boolean][] = [
  ['an administrator', person('admin'), true],
  ['an administrator who also leads a program', person('program_lead', 'admin'), true],
  ['the command line', { system: 'command line (ops)' }, true],
  ['the credentials office', person('credentials_office'), false],
  ['the registrar', person('registrar'), false],
  ['the bursar', person('bursar'), false],
  ['an approver', person('approver'), false],
  ['a program lead', person('program_lead'), false],
  ['a learner', person('learner'), false],
  ['someone with no role', person(), false],
  ['an anonymous visitor', null, false],
];

for (const [who, actor, allowed] of table) {
  for (const action of actions) {
    test(`${who} ${allowed ? 'may' : 'may not'} ${action.replace(/_/g, ' ')}`, () => {
      assert.equal(mayDo(actor, action), allowed);
    });
  }
}
