import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../platform/actor.ts';
import type { Role } from '../platform/db/schema.ts';
import { type CatalogAction, mayConfirmCourse, mayDo } from './catalog.policy.ts';

const person = (...roles: Role[]): Actor => ({ id: 'u1', name: 'Someone', email: 's@example.org', roles });
const actions: CatalogAction[] = ['view_structure', 'change_structure', 'import_structure', 'confirm_course'];

const table: [string, Actor | null, boolean][] = [
  ['the registrar', person('registrar'), true],
  ['an administrator', person('admin'), true],
  ['a program lead who is also registrar', person('program_lead', 'registrar'), true],
  ['the credentials office', person('credentials_office'), false],
  ['a program lead', person('program_lead'), false],
  ['an approver', person('approver'), false],
  ['the bursar', person('bursar'), false],
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

const confirming: [string, Actor | null, string | null, boolean][] = [
  ['the registrar, a course someone else proposed', person('registrar'), 'u2', true],
  ['the registrar, a course nobody proposed', person('registrar'), null, true],
  ['the registrar, a course they proposed themselves', person('program_lead', 'registrar'), 'u1', false],
  ['an administrator, a course they proposed themselves', person('admin'), 'u1', false],
  ['a program lead, a course someone else proposed', person('program_lead'), 'u2', false],
  ['an anonymous visitor', null, 'u2', false],
];

for (const [who, actor, proposedBy, allowed] of confirming) {
  test(`confirming: ${who} → ${allowed ? 'allowed' : 'refused'}`, () => {
    assert.equal(mayConfirmCourse(actor, { proposedBy }), allowed);
  });
}
