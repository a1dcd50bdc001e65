import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditActor } from '../audit/audit.service.ts';
import type { Role } from '../platform/roles.ts';
import { type IntegrationsAction, mayDo } from './integrations.policy.ts';

const person = (...roles: Role[]): AuditActor => ({
  id: 'u1',
  name: 'Someone',
  email: 'a@example.org',
  roles,
});
const actions: IntegrationsAction[] = ['view_api_clients', 'manage_api_clients'];

const table: [string, AuditActor | null, boolean][] = [
  ['an administrator', person('admin'), true],
  ['an administrator who is also registrar', person('registrar', 'admin'), true],
  ['the registrar', person('registrar'), false],
  ['the credentials office', person('credentials_office'), false],
  ['the bursar', person('bursar'), false],
  ['a program lead', person('program_lead'), false],
  ['a learner', person('learner'), false],
  ['someone with no role', person(), false],
  ['an integration acting with a token', { system: 'API client "SIS" (stk_x)' }, false],
  ['the command line', { system: 'command line (ops)' }, false],
  ['an anonymous visitor', null, false],
];

for (const [who, actor, allowed] of table) {
  for (const action of actions) {
    test(`${who} ${allowed ? 'may' : 'may not'} ${action.replace(/_/g, ' ')}`, () => {
      assert.equal(mayDo(actor, action), allowed);
    });
  }
}
