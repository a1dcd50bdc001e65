import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAddressTrusted, profileOf } from './claims-mapping.ts';

test('OpenID claims become a profile, with roles from the mapped groups only', () => {
  const profile = profileOf(
    'oidc',
    {
      sub: 'abc',
      email: 'Ada@Campus.EDU',
      email_verified: true,
      given_name: 'Ada',
      family_name: 'Lovelace',
      student_id: 12345,
      groups: ['badge-office', 'choir'],
    },
    {
      studentIdClaim: 'student_id',
      roleMap: [
        { group: 'badge-office', role: 'credentials_office' },
        { group: 'registry', role: 'registrar' },
      ],
    },
    ['campus.edu'],
  );
  assert.deepEqual(profile, {
    subject: 'abc',
    email: 'ada@campus.edu',
    isEmailVerified: true,
    name: 'Ada Lovelace',
    studentId: '12345',
    groups: ['badge-office', 'choir'],
    managedRoles: ['credentials_office', 'registrar'],
    grantedRoles: ['credentials_office'],
  });
});

test('SAML attributes are read by their eduPerson names or OIDs', () => {
  const profile = profileOf(
    'saml',
    {
      nameID: 'opaque-id',
      'urn:oid:0.9.2342.19200300.100.1.3': ['grace@campus.edu'],
      displayName: 'Grace Hopper',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['staff', 'member'],
      employeeNumber: 'E-7',
    },
    { studentIdClaim: 'employeeNumber', roleMap: [{ group: 'staff', role: 'program_lead' }] },
    ['campus.edu'],
  );
  assert.equal(profile?.email, 'grace@campus.edu');
  assert.equal(profile?.isEmailVerified, true);
  assert.equal(profile?.name, 'Grace Hopper');
  assert.equal(profile?.studentId, 'E-7');
  assert.deepEqual(profile?.grantedRoles, ['program_lead']);
});

test('a transient SAML NameID is passed over for eduPersonPrincipalName, which stays the same', () => {
  const transient = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
  const claims = { nameID: '_once', nameIDFormat: transient, eduPersonPrincipalName: 'gh@campus.edu' };
  assert.equal(profileOf('saml', claims, {}, [])?.subject, 'gh@campus.edu');
  assert.equal(profileOf('saml', { nameID: '_once', nameIDFormat: transient }, {}, []), null);
  assert.equal(profileOf('saml', { ...claims, nameIDFormat: 'persistent-ish' }, {}, [])?.subject, '_once');
});

test('an answer without a subject gives no profile', () => {
  assert.equal(profileOf('oidc', { email: 'a@b.edu' }, {}, []), null);
});

test('which addresses are trusted, as a table', () => {
  const rows: [Parameters<typeof isAddressTrusted>, boolean][] = [
    [['oidc', 'a@campus.edu', true, []], true],
    [['oidc', 'a@campus.edu', 'true', ['campus.edu']], true],
    [['oidc', 'a@campus.edu', false, ['campus.edu']], false],
    [['oidc', 'a@campus.edu', undefined, []], false],
    [['oidc', 'a@elsewhere.edu', true, ['campus.edu']], false],
    [['saml', 'a@campus.edu', undefined, ['campus.edu']], true],
    [['saml', 'a@campus.edu', undefined, []], false],
    [['saml', 'a@elsewhere.edu', undefined, ['campus.edu']], false],
  ];
  for (const [args, expected] of rows) assert.equal(isAddressTrusted(...args), expected, args.join(' '));
});
