import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { staffNavFor } from './staff-nav.ts';

const labelsFor = (...roles: Role[]) => staffNavFor({ roles }).map((item) => item.label);

test('each staff role sees the sections its modules open to it, then Help, as a table', () => {
  const rows: [Role[], string[]][] = [
    [['program_lead'], ['Programs', 'Inbox', 'Learners', 'Tracking lists', 'Help']],
    [['approver'], ['Programs', 'Inbox', 'Insight', 'Help']],
    [['credentials_office'], ['Programs', 'Certificates', 'Learners', 'Issuing', 'Insight', 'Admin', 'Help']],
    [['registrar'], ['Certificates', 'Learners', 'Issuing', 'Admin', 'Help']],
    [['bursar'], ['Billing', 'Help']],
    [['admin'], ['Programs', 'Certificates', 'Learners', 'Issuing', 'Billing', 'Insight', 'Admin', 'Help']],
    [
      ['learner', 'bursar'],
      ['Billing', 'Help'],
    ],
  ];
  for (const [roles, expected] of rows) assert.deepEqual(labelsFor(...roles), expected, roles.join('+'));
});

test('learners, people without a role and visitors keep the plain header', () => {
  assert.deepEqual(labelsFor('learner'), []);
  assert.deepEqual(labelsFor(), []);
  assert.deepEqual(staffNavFor(null), []);
});

test('a section is current for every page under it', () => {
  const admin = staffNavFor({ roles: ['admin'] }).find((item) => item.label === 'Admin');
  assert.equal(admin?.href, '/admin');
  assert.equal(admin?.prefix, '/admin');
});
