import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { programEvents } from './program-vocabulary.ts';
import {
  editModeOf,
  fullProposalEditRefusal,
  hasIndependentDecider,
  holdsDecidingRole,
  isOwnProgram,
  leadsPrograms,
  mayDecideStep,
  mayDo,
  mayPublishWording,
  mayReadFullProposal,
  mayRecordStep,
  maySeeProgram,
  OWN_CHANGE_REFUSAL,
  OWN_DECISION_REFUSAL,
  ownChangeRefusal,
  ownDecisionRefusal,
  type ProgramsAction,
  reinstatingRoles,
  retiringRoles,
  reviewDecisions,
  seesEveryProgram,
  stepRefusal,
} from './programs.policy.ts';

const author = { id: 'author' };
const someoneElse = { id: 'someone-else' };
const program = { leadUserId: 'author' };
const unled = { leadUserId: null };

test('separation of duties on a program, as a table: who is refused which action', () => {
  const rows: [string, { id: string }, { leadUserId: string | null }, string, boolean][] = [
    ['the author approves for a pilot', author, program, 'approve_pilot', true],
    ['the author requests changes', author, program, 'request_changes', true],
    ['the author approves a chain step', author, program, 'approve_step', true],
    ['the author returns the full proposal', author, program, 'reject', true],
    ['the author signs', author, program, 'sign', true],
    ['the author submits', author, program, 'submit', false],
    ['the author submits the full proposal', author, program, 'submit_full_proposal', false],
    ['the author retires', author, program, 'retire', false],
    ['someone else approves a chain step', someoneElse, program, 'approve_step', false],
    ['someone else approves a program without a lead', someoneElse, unled, 'approve_pilot', false],
  ];
  for (const [name, actor, target, action, refused] of rows) {
    const refusal = ownDecisionRefusal(actor, target, action as 'sign');
    assert.equal(refusal, refused ? OWN_DECISION_REFUSAL : undefined, name);
  }
});

test("every review decision is refused to the program's lead and to nobody else", () => {
  for (const action of [...programEvents, 'sign' as const]) {
    const isDecision = reviewDecisions.has(action);
    assert.equal(ownDecisionRefusal(author, program, action) !== undefined, isDecision, action);
    assert.equal(ownDecisionRefusal(someoneElse, program, action), undefined, action);
  }
});

test('a program without a lead is nobody’s own', () => {
  assert.equal(isOwnProgram({ id: '' }, unled), false);
});

test('a step needs a decider other than the author', () => {
  assert.equal(hasIndependentDecider([], program), false);
  assert.equal(hasIndependentDecider(['author'], program), false);
  assert.equal(hasIndependentDecider(['author', 'someone-else'], program), true);
  assert.equal(hasIndependentDecider(['someone-else'], unled), true);
});

test('who may take each programs action, as a table', () => {
  const actions: ProgramsAction[] = [
    'open_programs',
    'draft_proposal',
    'edit_program',
    'manage_signers',
    'add_consultation_note',
    'oversee_reviews',
    'record_pilot_review',
    'change_approval_chains',
  ];
  const rows: [Role, ProgramsAction[], { everyProgram: boolean; leads: boolean }][] = [
    [
      'program_lead',
      ['open_programs', 'draft_proposal', 'edit_program', 'manage_signers', 'record_pilot_review'],
      { everyProgram: false, leads: true },
    ],
    [
      'credentials_office',
      ['open_programs', 'edit_program', 'add_consultation_note', 'oversee_reviews'],
      { everyProgram: true, leads: false },
    ],
    ['approver', ['open_programs'], { everyProgram: true, leads: false }],
    [
      'admin',
      ['open_programs', 'oversee_reviews', 'change_approval_chains'],
      { everyProgram: true, leads: false },
    ],
    ['registrar', [], { everyProgram: false, leads: false }],
    ['bursar', [], { everyProgram: false, leads: false }],
    ['learner', [], { everyProgram: false, leads: false }],
  ];
  for (const [role, allowed, { everyProgram, leads }] of rows) {
    const actor = { roles: [role] };
    for (const action of actions)
      assert.equal(mayDo(actor, action), allowed.includes(action), `${role} ${action}`);
    assert.equal(seesEveryProgram(actor), everyProgram, `${role} sees every program`);
    assert.equal(leadsPrograms(actor), leads, `${role} leads programs`);
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test('who records an approval step, as a table: its role, or the credentials office on its behalf', () => {
  const rows: [Role[], Role, boolean][] = [
    [['approver'], 'approver', true],
    [['credentials_office'], 'approver', true],
    [['program_lead'], 'program_lead', true],
    [['program_lead'], 'approver', false],
    [['admin'], 'approver', false],
    [['registrar'], 'approver', false],
  ];
  for (const [roles, stepRole, expected] of rows) {
    assert.equal(mayRecordStep({ roles }, stepRole), expected, `${roles.join('+')} on a ${stepRole} step`);
  }
});

test('a waiting decision is in the inbox of whoever holds one of its deciding roles, as a table', () => {
  const rows: [Role[], Role[], boolean][] = [
    [['approver'], ['approver'], true],
    [['approver', 'learner'], ['credentials_office', 'approver'], true],
    [['credentials_office'], ['approver'], false],
    [['admin'], ['approver'], false],
    [['approver'], [], false],
  ];
  for (const [roles, deciding, expected] of rows) {
    assert.equal(
      holdsDecidingRole({ roles }, deciding),
      expected,
      `${roles.join('+')} for ${deciding.join('+')}`,
    );
  }
});

const person = (id: string, ...roles: Role[]) => ({ id, name: id, email: `${id}@example.edu`, roles });

test('who sees a program, as a table: staff, its lead and its signers', () => {
  const seen = { leadUserId: 'lead', signerIds: ['signer'] };
  const rows: [ReturnType<typeof person>, boolean][] = [
    [person('office', 'credentials_office'), true],
    [person('approver', 'approver'), true],
    [person('admin', 'admin'), true],
    [person('lead', 'program_lead'), true],
    [person('signer', 'program_lead'), true],
    [person('other-lead', 'program_lead'), false],
    [person('registrar', 'registrar'), false],
    [person('learner', 'learner'), false],
  ];
  for (const [actor, expected] of rows) assert.equal(maySeeProgram(actor, seen), expected, actor.id);
});

test('who edits a program, as a table of person × state', () => {
  const lead = person('lead', 'program_lead');
  const office = person('office', 'credentials_office');
  const admin = person('admin', 'admin');
  const otherLead = person('other', 'program_lead');
  const rows: [ReturnType<typeof person>, Parameters<typeof editModeOf>[1]['status'], string | undefined][] =
    [
      [lead, 'draft', 'draft'],
      [office, 'draft', undefined],
      [otherLead, 'draft', undefined],
      [lead, 'established', 'version'],
      [office, 'pilot', 'version'],
      [admin, 'established', undefined],
      [otherLead, 'established', undefined],
      [lead, 'retired', undefined],
      [office, 'retired', undefined],
      [lead, 'submitted', undefined],
    ];
  for (const [actor, status, expected] of rows) {
    assert.equal(editModeOf(actor, { lead_user_id: 'lead', status }), expected, `${actor.id} on ${status}`);
  }
});

test('who decides a chain step, as a table of person × step', () => {
  const approver = person('approver', 'approver');
  const office = person('office', 'credentials_office');
  const admin = person('admin', 'admin');
  const provost = person('provost', 'approver');
  const senate = { role: 'approver' as const };
  const adminStep = { role: 'admin' as const };
  const named = { role: 'approver' as const, person: { id: 'provost' } };
  const rows: [ReturnType<typeof person>, Parameters<typeof mayDecideStep>[1], boolean][] = [
    [approver, senate, true],
    [office, senate, true],
    [admin, senate, false],
    [admin, adminStep, true],
    [approver, adminStep, false],
    [provost, named, true],
    [approver, named, false],
    [office, named, false],
  ];
  for (const [actor, step, expected] of rows) {
    assert.equal(mayDecideStep(actor, step), expected, `${actor.id} on ${JSON.stringify(step)}`);
  }
});

test('a refused step decision names who may decide it in words, never a role key', () => {
  const cases = [
    stepRefusal({ name: 'Faculty Senate', role: 'credentials_office' }),
    stepRefusal({ name: 'Faculty Senate', role: 'approver' }),
    stepRefusal({ name: 'Board', role: 'admin' }),
    stepRefusal({ name: 'Provost', role: 'approver', person: { name: 'Pat Provost' } }),
  ];
  assert.equal(cases[0], 'Only the credentials office can record the Faculty Senate decision');
  assert.match(cases[3]!, /Only Pat Provost can record the Provost decision/);
  for (const text of cases) assert.doesNotMatch(text, /credentials_office|\badmin\b/);
});

test('nobody decides a change they proposed or to a program they lead', () => {
  const led = { leadUserId: 'lead' };
  assert.equal(ownChangeRefusal({ id: 'lead' }, led, { proposedBy: 'office' }), OWN_CHANGE_REFUSAL);
  assert.equal(ownChangeRefusal({ id: 'office' }, led, { proposedBy: 'office' }), OWN_CHANGE_REFUSAL);
  assert.equal(ownChangeRefusal({ id: 'approver' }, led, { proposedBy: 'office' }), undefined);
});

test('only the credentials office publishes a wording fix directly', () => {
  assert.equal(mayPublishWording(person('office', 'credentials_office')), true);
  assert.equal(mayPublishWording(person('lead', 'program_lead')), false);
  assert.equal(mayPublishWording(person('admin', 'admin')), false);
});

test('a lead retires a pilot but not an established program; the offices retire and reinstate both', () => {
  assert.ok(retiringRoles.pilot.includes('program_lead'));
  assert.ok(!retiringRoles.established.includes('program_lead'));
  for (const role of ['credentials_office', 'admin'] as const) {
    assert.ok(retiringRoles.pilot.includes(role) && retiringRoles.established.includes(role));
    assert.ok(reinstatingRoles.includes(role));
  }
  assert.ok(!reinstatingRoles.includes('program_lead'));
});

test('who may read a full proposal and its documents, as a table', () => {
  const lead = { id: 'lead', roles: ['program_lead'] as Role[] };
  const rows: [string, { id: string; roles: Role[] }, boolean][] = [
    ['its lead', lead, true],
    ['another lead', { id: 'other-lead', roles: ['program_lead'] }, false],
    ['a learner', { id: 'learner', roles: ['learner'] }, false],
    ['the credentials office', { id: 'office', roles: ['credentials_office'] }, true],
    ['an approver', { id: 'approver', roles: ['approver'] }, true],
    ['an administrator', { id: 'admin', roles: ['admin'] }, true],
    ['the registrar', { id: 'registrar', roles: ['registrar'] }, false],
    ['a provost named on a step', { id: 'provost', roles: [] }, true],
    ['someone with no role', { id: 'nobody', roles: [] }, false],
  ];
  for (const [name, actor, may] of rows) {
    assert.equal(mayReadFullProposal(actor, { leadUserId: 'lead', namedDeciderIds: ['provost'] }), may, name);
  }
});

test('only the lead changes a full proposal, while a pilot and until it is submitted, as a table', () => {
  const rows: [string, { id: string }, ProgramState, boolean, RegExp | undefined][] = [
    ['the lead of a pilot', { id: 'lead' }, 'pilot', false, undefined],
    ['the lead after submitting', { id: 'lead' }, 'pilot', true, /submitted/],
    [
      'the lead while it is reviewed',
      { id: 'lead' },
      'full_proposal_review',
      true,
      /while the program is a pilot/,
    ],
    ['the lead of an established program', { id: 'lead' }, 'established', false, /pilot/],
    ['someone else', { id: 'office' }, 'pilot', false, /Only the program lead/],
  ];
  for (const [name, actor, status, isSubmitted, refusal] of rows) {
    const said = fullProposalEditRefusal(actor, { leadUserId: 'lead', status }, isSubmitted);
    if (refusal) assert.match(said ?? '', refusal, name);
    else assert.equal(said, undefined, name);
  }
});
