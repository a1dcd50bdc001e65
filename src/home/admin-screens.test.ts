import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { adminIndexRoles, adminScreensFor } from './admin-screens.ts';
import { roleLinks } from './role-links.ts';

const hrefsFor = (...roles: Role[]) =>
  adminScreensFor({ roles }).flatMap((group) => group.screens.map((screen) => screen.href));

const everyScreen = [
  '/admin/users',
  '/admin/api-clients',
  '/admin/sso',
  '/admin/audit',
  '/admin/institution',
  '/admin/trusted-issuers',
  '/admin/mail',
  '/admin/departments',
  '/admin/terms',
  '/admin/courses',
  '/certificates',
  '/admin/approval-chains',
];

test('the administration index offers each role the screens its modules open to it, as a table', () => {
  const rows: [Role[], string[]][] = [
    [['admin'], everyScreen],
    [['registrar'], ['/admin/departments', '/admin/terms', '/admin/courses', '/certificates']],
    [['credentials_office'], ['/admin/mail', '/certificates']],
    [['program_lead'], []],
    [['approver'], []],
    [['signer'], []],
    [['bursar'], []],
    [['learner'], []],
    [[], []],
    [
      ['registrar', 'credentials_office'],
      ['/admin/mail', '/admin/departments', '/admin/terms', '/admin/courses', '/certificates'],
    ],
  ];
  for (const [roles, expected] of rows) assert.deepEqual(hrefsFor(...roles), expected, roles.join('+'));
  assert.deepEqual(adminScreensFor(null), []);
});

test('groups with nothing this person may open are left out', () => {
  assert.deepEqual(
    adminScreensFor({ roles: ['registrar'] }).map((group) => group.heading),
    ['Academic structure'],
  );
});

test('the index route lets in exactly the roles that find a screen on it', () => {
  const roles: Role[] = [
    'learner',
    'program_lead',
    'approver',
    'signer',
    'credentials_office',
    'registrar',
    'bursar',
    'admin',
  ];
  for (const role of roles) {
    assert.equal(adminIndexRoles.includes(role), hrefsFor(role).length > 0, role);
  }
});

test('an administrator’s role home links every administration screen', () => {
  assert.deepEqual(
    roleLinks.admin.map((link) => link.href),
    everyScreen,
  );
});
