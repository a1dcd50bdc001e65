import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import { canOverseeProgram, OWN_RECORD_REFUSAL, ownRecordRefusal, progressRoles } from './progress.policy.ts';

const person = (id: string, roles: Role[], email = `${id}@uni.example`): Actor => ({
  id,
  name: id,
  email,
  roles,
});

test('who oversees a program, as a table', () => {
  const program = { leadUserId: 'lead' };
  const rows: [string, Actor, boolean][] = [
    ['its lead', person('lead', ['program_lead']), true],
    ['another lead', person('other', ['program_lead']), false],
    ['the credentials office', person('office', ['credentials_office']), true],
    ['an administrator', person('admin', ['admin']), true],
    ['the registrar', person('registrar', ['registrar']), false],
    ['a learner', person('learner', ['learner']), false],
    ['its lead without the lead role any more', person('lead', ['learner']), false],
  ];
  for (const [name, actor, expected] of rows) assert.equal(canOverseeProgram(actor, program), expected, name);
});

test('nobody decides on their own learner record, as a table', () => {
  const office = person('office', ['credentials_office', 'learner'], 'Office@Uni.example');
  const rows: [string, { userId: string | null; email: string }, boolean][] = [
    ['a record linked to their account', { userId: 'office', email: 'x@uni.example' }, true],
    ['a record with their e-mail, not linked', { userId: null, email: 'office@uni.example ' }, true],
    ["someone else's record", { userId: 'someone', email: 'someone@uni.example' }, false],
    ['an unlinked record of someone else', { userId: null, email: 'someone@uni.example' }, false],
  ];
  for (const [name, learner, own] of rows) {
    assert.equal(ownRecordRefusal(office, learner), own ? OWN_RECORD_REFUSAL : undefined, name);
  }
});

test("the staff pages' gate lets in exactly the roles that may oversee some program", () => {
  const roles: Role[] = [
    'learner',
    'program_lead',
    'approver',
    'bursar',
    'registrar',
    'credentials_office',
    'admin',
  ];
  for (const role of roles) {
    // A lead oversees the programs they lead, so ask about a program led by this very person.
    const overseesSome = canOverseeProgram(person('p', [role]), { leadUserId: 'p' });
    assert.equal(progressRoles.oversee_programs.includes(role), overseesSome, role);
  }
  assert.deepEqual(progressRoles.follow_own_progress, ['learner']);
});
