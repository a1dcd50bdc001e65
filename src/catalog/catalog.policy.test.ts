import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import { type CatalogAction, certificateFlagsFor, mayDo } from './catalog.policy.ts';

const person = (roles: Role[]) => ({ roles });
const actions: CatalogAction[] = ['read_certificate_drafts', 'edit_certificates', 'publish_certificates'];

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
    for (const action of actions) {
      assert.equal(mayDo(person(roles), action), allowed.includes(action), `${roles.join('+')} ${action}`);
    }
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('the editor offers editing and publishing only to those the policy allows', () => {
  assert.deepEqual(certificateFlagsFor(person(['registrar'])), { canEdit: false, canPublish: false });
  assert.deepEqual(certificateFlagsFor(person(['credentials_office'])), { canEdit: true, canPublish: true });
  assert.deepEqual(certificateFlagsFor(null), { canEdit: false, canPublish: false });
});
