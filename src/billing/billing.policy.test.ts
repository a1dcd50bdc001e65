import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { type BillingAction, canWaiveCharge, mayDo } from './billing.policy.ts';
import type { FeeChargeStatus } from './billing.tables.ts';

const person = (roles: Role[]) => ({ id: 'staff-1', email: 'staff@uni.example', roles });

test('who may take each billing action, as a table', () => {
  const actions: BillingAction[] = ['open_ledger', 'open_charge', 'waive', 'export', 'see_own_fees'];
  const rows: [Role[], BillingAction[]][] = [
    [['bursar'], ['open_ledger', 'open_charge', 'waive', 'export']],
    [['credentials_office'], ['open_charge', 'waive']],
    [['admin'], ['open_ledger', 'open_charge', 'export']],
    [['registrar'], []],
    [['program_lead'], []],
    [['approver'], []],
    [['learner'], ['see_own_fees']],
    [
      ['admin', 'credentials_office'],
      ['open_ledger', 'open_charge', 'waive', 'export'],
    ],
  ];
  for (const [roles, allowed] of rows) {
    for (const action of actions) {
      assert.equal(mayDo(person(roles), action), allowed.includes(action), `${roles.join('+')} ${action}`);
    }
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('a fee is waived only while posted, and only by a waiving role, as a table', () => {
  const rows: [Role[], FeeChargeStatus, boolean][] = [
    [['bursar'], 'posted', true],
    [['bursar'], 'waived', false],
    [['bursar'], 'reversed', false],
    [['credentials_office'], 'posted', true],
    [['credentials_office'], 'reversed', false],
    [['admin'], 'posted', false],
    [['registrar'], 'posted', false],
  ];
  for (const [roles, status, expected] of rows) {
    const charge = { status, learnerUserId: 'learner-1', learnerEmail: 'learner@uni.example' };
    assert.equal(canWaiveCharge(person(roles), charge), expected, `${roles.join('+')} on ${status}`);
  }
});

test('nobody waives a fee charged to their own learner record, whatever their roles', () => {
  for (const roles of [
    ['bursar'],
    ['credentials_office'],
    ['bursar', 'credentials_office', 'learner'],
  ] as Role[][]) {
    const own = { status: 'posted' as const, learnerUserId: 'staff-1', learnerEmail: 'learner@uni.example' };
    assert.equal(canWaiveCharge(person(roles), own), false, `${roles.join('+')}, linked`);
    const ownAddress = { ...own, learnerUserId: null, learnerEmail: ' Staff@Uni.example' };
    assert.equal(canWaiveCharge(person(roles), ownAddress), false, `${roles.join('+')}, their address`);
    const unlinked = { ...own, learnerUserId: null };
    assert.equal(canWaiveCharge(person(roles), unlinked), true, `${roles.join('+')}, someone else's record`);
  }
});
