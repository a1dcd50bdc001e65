import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { hashEmail } from './build-credential.ts';
import {
  allowedStatusChanges,
  canManageStatus,
  credentialsRoles,
  type IssuingOffice,
  ownIssueProblem,
  type RequestedRecipient,
} from './credentials.policy.ts';
import type { CredentialStatusName } from './credentials.tables.ts';

const roles: Role[] = [
  'learner',
  'program_lead',
  'approver',
  'bursar',
  'registrar',
  'credentials_office',
  'admin',
];
const offices: IssuingOffice[] = ['registrar', 'credentials_office'];

test('who manages the status of which office’s badges, as a table', () => {
  const managers: Record<IssuingOffice, Role[]> = {
    registrar: ['registrar', 'admin'],
    credentials_office: ['credentials_office', 'admin'],
  };
  for (const office of offices) {
    for (const role of roles) {
      assert.equal(
        canManageStatus({ roles: [role] }, office),
        managers[office].includes(role),
        `${role} on the ${office}'s badge`,
      );
    }
  }
});

test('the changes offered follow the status, and none to someone who does not manage the badge', () => {
  const rows: [CredentialStatusName, string[]][] = [
    ['active', ['revoke', 'suspend']],
    ['suspended', ['reinstate', 'revoke']],
    ['revoked', []],
  ];
  for (const [status, changes] of rows) {
    assert.deepEqual(
      allowedStatusChanges(
        { id: 'staff-1', roles: ['credentials_office'] },
        { office: 'credentials_office', status, holderUserId: 'learner-1' },
      ).sort(),
      changes,
      status,
    );
    assert.deepEqual(
      allowedStatusChanges(
        { roles: ['registrar'] },
        { office: 'credentials_office', status, holderUserId: null },
      ),
      [],
    );
  }
});

test('nobody changes the status of a badge awarded to themselves, whatever their roles', () => {
  for (const status of ['active', 'suspended'] as CredentialStatusName[]) {
    for (const staff of [['credentials_office'], ['admin'], ['credentials_office', 'learner']] as Role[][]) {
      const me = { id: 'staff-1', roles: staff };
      const own = { office: 'credentials_office' as const, status, holderUserId: 'staff-1' };
      assert.deepEqual(allowedStatusChanges(me, own), [], `${staff.join('+')} on their own ${status} badge`);
      assert.notDeepEqual(allowedStatusChanges(me, { ...own, holderUserId: null }), [], staff.join('+'));
      const byAddress = { ...own, holderUserId: null, holderEmail: ' Staff@Uni.example' };
      assert.deepEqual(allowedStatusChanges({ ...me, email: 'staff@uni.example' }, byAddress), [], 'address');
    }
  }
});

test("the status route's gate lets in exactly the roles that manage some office's badges", () => {
  for (const role of roles) {
    const managesSome = offices.some((office) => canManageStatus({ roles: [role] }, office));
    assert.equal(credentialsRoles.change_status.includes(role), managesSome, role);
  }
});

test('who issues through the API, as a table', () => {
  const issuers: Role[] = ['credentials_office', 'registrar'];
  for (const role of roles)
    assert.equal(credentialsRoles.issue_through_api.includes(role), issuers.includes(role), role);
});

test('nobody issues a credential to themselves through the API, as a table', () => {
  const me = { id: 'staff-1', addresses: ['staff@uni.example', 'home@mail.example'] };
  const salt = 'a1b2c3';
  const none: RequestedRecipient = { emails: [], hashedEmails: [] };
  const plain = (email: string): RequestedRecipient => ({
    ...none,
    emails: [{ field: 'learner.email', email }],
  });
  const hashed = (email: string): RequestedRecipient => ({
    ...none,
    hashedEmails: [
      { field: 'credential.credentialSubject.identifier', identityHash: hashEmail(email, salt), salt },
    ],
  });
  const upper = (recipient: RequestedRecipient): RequestedRecipient => ({
    ...recipient,
    hashedEmails: recipient.hashedEmails.map((h) => ({ ...h, identityHash: h.identityHash.toUpperCase() })),
  });
  const record = (userId: string | null, email: string | null): RequestedRecipient => ({
    ...plain('colleague@uni.example'),
    learner: { field: 'learner.learnerId', userId, email },
  });
  const rows: [string, RequestedRecipient, string | undefined][] = [
    ['their account address', plain('staff@uni.example'), 'learner.email'],
    ['their address, written differently', plain(' Staff@UNI.example '), 'learner.email'],
    ['an address they proved', plain('home@mail.example'), 'learner.email'],
    ['their address, hashed', hashed('Home@Mail.example'), 'credential.credentialSubject.identifier'],
    [
      'a hash written in capitals',
      upper(hashed('staff@uni.example')),
      'credential.credentialSubject.identifier',
    ],
    ['a learner record linked to them', record('staff-1', 'other@mail.example'), 'learner.learnerId'],
    ['an unlinked record carrying their address', record(null, 'home@mail.example'), 'learner.learnerId'],
    ['a colleague', plain('colleague@uni.example'), undefined],
    ["a colleague's address, hashed", hashed('colleague@uni.example'), undefined],
    ["a colleague's record", record('staff-2', 'colleague@uni.example'), undefined],
    ['nobody named', none, undefined],
  ];
  for (const [who, recipient, field] of rows) {
    assert.equal(ownIssueProblem(me, recipient)?.field, field, who);
  }
  // An API client's token acts for no person: whoever its credential names, it is not the client's own.
  for (const [who, recipient] of rows)
    assert.equal(ownIssueProblem(null, recipient), undefined, `token: ${who}`);
});
