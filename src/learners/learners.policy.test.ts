import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import {
  canConfirmIdentity,
  canDecideReactivation,
  canUnlinkAccount,
  type LearnersAction,
  type LinkRefusal,
  learnerLinksFor,
  ledByOf,
  linkRefusalOf,
  mayActAsLearner,
  mayDo,
  recordScopeOf,
} from './learners.policy.ts';

const person = (roles: Role[]) => ({ id: 'p', name: 'P', email: 'p@uni.example', roles });

test("how much of learners' records each role sees, as a table", () => {
  const rows: [Role[], string, string | undefined][] = [
    [['credentials_office'], 'all', undefined],
    [['registrar'], 'all', undefined],
    [['admin'], 'all', undefined],
    [['program_lead', 'registrar'], 'all', undefined],
    [['program_lead'], 'led-programs', 'p'],
    [['approver'], 'none', undefined],
    [['bursar'], 'none', undefined],
    [['learner'], 'none', undefined],
  ];
  for (const [roles, kind, ledBy] of rows) {
    const scope = recordScopeOf(person(roles));
    assert.equal(scope.kind, kind, roles.join('+'));
    assert.equal(ledByOf(scope), ledBy, roles.join('+'));
  }
});

test('only the records offices confirm a typed-in student ID, as a table', () => {
  const rows: [Role[], boolean][] = [
    [['registrar'], true],
    [['credentials_office'], true],
    [['admin'], true],
    [['program_lead'], false],
    [['program_lead', 'approver'], false],
    [['bursar'], false],
    [['learner'], false],
  ];
  for (const [roles, expected] of rows)
    assert.equal(
      canConfirmIdentity(person(roles), { userId: 'someone-else', email: 'someone@uni.example' }),
      expected,
      roles.join('+'),
    );
});

test('nobody confirms the student ID on their own learner record, whatever their roles', () => {
  for (const roles of [
    ['registrar'],
    ['credentials_office'],
    ['admin'],
    ['registrar', 'learner'],
  ] as Role[][]) {
    const them = person(roles);
    assert.equal(canConfirmIdentity(them, { userId: 'p', email: 'other@uni.example' }), false, 'linked');
    assert.equal(canConfirmIdentity(them, { userId: null, email: ' P@Uni.example' }), false, 'their address');
    assert.equal(canConfirmIdentity(them, { userId: null, email: 'other@uni.example' }), true, 'not theirs');
  }
});

test('nobody decides their own request to return; anyone else with the route may', () => {
  const me = person(['registrar']);
  assert.equal(canDecideReactivation(me, { userId: me.id }), false);
  assert.equal(canDecideReactivation(me, { userId: 'someone-else' }), true);
});

test('who may take each learners action, as a table', () => {
  const actions: LearnersAction[] = [
    'read_records',
    'import_completions',
    'decide_reactivations',
    'confirm_identity',
    'link_accounts',
    'exchange_records',
    'keep_records',
  ];
  const keeper: LearnersAction[] = actions;
  const rows: [Role[], LearnersAction[]][] = [
    [['registrar'], keeper],
    [['credentials_office'], keeper],
    [['admin'], keeper],
    [['program_lead'], ['read_records']],
    [['approver'], []],
    [['bursar'], []],
    [['learner'], []],
  ];
  for (const [roles, allowed] of rows) {
    for (const action of actions) {
      assert.equal(mayDo(person(roles), action), allowed.includes(action), `${roles.join('+')} ${action}`);
    }
    const links = learnerLinksFor(person(roles));
    assert.equal(links.canImportCompletions, allowed.includes('import_completions'), roles.join('+'));
    assert.equal(links.canDecideReactivations, allowed.includes('decide_reactivations'), roles.join('+'));
    assert.equal(links.seesEveryLearner, recordScopeOf(person(roles)).kind === 'all', roles.join('+'));
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('when a learner record and an account may be linked, as a table', () => {
  const base = {
    recordId: 'r1',
    recordUserId: null as string | null,
    userId: 'u1',
    accountRecordId: null as string | null,
    isEmailVerified: true,
    actorId: null as string | null,
  };
  const rows: [Partial<typeof base>, LinkRefusal | null][] = [
    [{}, null],
    [{ actorId: 'staff' }, null],
    [{ recordUserId: 'u1' }, 'already_linked'],
    [{ recordUserId: 'u2' }, 'record_has_another_account'],
    [{ recordUserId: 'u2', actorId: 'staff' }, 'record_has_another_account'],
    [{ accountRecordId: 'r2' }, 'account_has_another_record'],
    [{ isEmailVerified: false }, 'email_not_verified'],
    [{ isEmailVerified: false, actorId: 'staff' }, 'email_not_verified'],
    [{ actorId: 'u1' }, 'own_account'],
  ];
  for (const [change, expected] of rows) {
    assert.equal(linkRefusalOf({ ...base, ...change }), expected, JSON.stringify(change));
  }
});

test('staff unlink any linked record but their own; unverified accounts do not act as learners', () => {
  assert.equal(canUnlinkAccount({ id: 'staff' }, { userId: 'u1' }), true);
  assert.equal(canUnlinkAccount({ id: 'staff' }, { userId: 'staff' }), false);
  assert.equal(canUnlinkAccount({ id: 'staff' }, { userId: null }), false);
  assert.equal(mayActAsLearner({ isEmailVerified: true }), true);
  assert.equal(mayActAsLearner({ isEmailVerified: false }), false);
});
