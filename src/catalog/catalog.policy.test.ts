import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { type CatalogAction, certificateFlagsFor, mayConfirmCourse, mayDo } from './catalog.policy.ts';

const person = (roles: Role[]) => ({ roles });
const certificateActions: CatalogAction[] = [
  'read_certificate_drafts',
  'edit_certificates',
  'publish_certificates',
];

test('who may take each certificate action, as a table', () => {
  const rows: [Role[], CatalogAction[]][] = [
    [['credentials_office'], ['read_certificate_drafts', 'edit_certificates', 'publish_certificates']],
    [['admin'], ['read_certificate_drafts', 'edit_certificates', 'publish_certificates']],
    [['registrar'], ['read_certificate_drafts']],
    [['program_lead'], []],
    [['approver'], []],
    [['bursar'], []],
    [['learner'], []],
    [[], []],
    [['learner', 'registrar'], ['read_certificate_drafts']],
  ];
  for (const [roles, allowed] of rows) {
    for (const action of certificateActions) {
      assert.equal(mayDo(person(roles), action), allowed.includes(action), `${roles.join('+')} ${action}`);
    }
  }
  for (const action of certificateActions)
    assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('the editor offers editing and publishing only to those the policy allows', () => {
  assert.deepEqual(certificateFlagsFor(person(['registrar'])), { canEdit: false, canPublish: false });
  assert.deepEqual(certificateFlagsFor(person(['credentials_office'])), { canEdit: true, canPublish: true });
  assert.deepEqual(certificateFlagsFor(null), { canEdit: false, canPublish: false });
});
const staff = (...roles: Role[]): Actor => ({ id: 'u1', name: 'Someone', email: 's@example.org', roles });
const structureActions: CatalogAction[] = [
  'view_structure',
  'change_structure',
  'import_structure',
  'confirm_course',
];

const table: [string, Actor | null, boolean][] = [
  ['the registrar', staff('registrar'), true],
  ['an administrator', staff('admin'), true],
  ['a program lead who is also registrar', staff('program_lead', 'registrar'), true],
  ['the credentials office', staff('credentials_office'), false],
  ['a program lead', staff('program_lead'), false],
  ['an approver', staff('approver'), false],
  ['the bursar', staff('bursar'), false],
  ['a learner', staff('learner'), false],
  ['someone with no role', staff(), false],
  ['an anonymous visitor', null, false],
];

for (const [who, actor, allowed] of table) {
  for (const action of structureActions) {
    test(`${who} ${allowed ? 'may' : 'may not'} ${action.replace(/_/g, ' ')}`, () => {
      assert.equal(mayDo(actor, action), allowed);
    });
  }
}

const confirming: [string, Actor | null, string | null, boolean][] = [
  ['the registrar, a course someone else proposed', staff('registrar'), 'u2', true],
  ['the registrar, a course nobody proposed', staff('registrar'), null, true],
  ['the registrar, a course they proposed themselves', staff('program_lead', 'registrar'), 'u1', false],
  ['an administrator, a course they proposed themselves', staff('admin'), 'u1', false],
  ['a program lead, a course someone else proposed', staff('program_lead'), 'u2', false],
  ['an anonymous visitor', null, 'u2', false],
];

for (const [who, actor, proposedBy, allowed] of confirming) {
  test(`confirming: ${who} → ${allowed ? 'allowed' : 'refused'}`, () => {
    assert.equal(mayConfirmCourse(actor, { proposedBy }), allowed);
  });
}
