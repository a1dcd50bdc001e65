import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import type { ProgramState } from '../programs/program-vocabulary.ts';
import {
  commitRefusal,
  type IssuingAction,
  issueRefusal,
  issuingLinksFor,
  mayDo,
  mayListProgram,
  mayRecheckList,
  mayRenewAward,
  maySubmitList,
  mayViewList,
  NOT_SUBMITTED_REFUSAL,
  OWN_AWARD_REFUSAL,
  OWN_LIST_REFUSAL,
  OWN_REQUEST_REFUSAL,
  OWN_ROW_RECORD_REFUSAL,
  rowProgramFor,
  rowRecordRefusal,
} from './issuing.policy.ts';
import type { Office } from './issuing.tables.ts';

const person = (id: string, roles: Role[]) => ({ id, roles });
const staffActor = (id: string, roles: Role[]): Actor => ({
  id,
  roles,
  name: id,
  email: `${id}@staff.example`,
});

test('who may commit a tracking list, as a table', () => {
  const rows: [string, { id: string; roles: Role[] }, Office, string | null, 'yes' | 'own' | 'office'][] = [
    ['another member of its office', person('b', ['registrar']), 'registrar', 'a', 'yes'],
    ['the member who uploaded it', person('a', ['registrar']), 'registrar', 'a', 'own'],
    ['an administrator who did not upload it', person('c', ['admin']), 'registrar', 'a', 'yes'],
    ['an administrator who uploaded it', person('a', ['admin']), 'credentials_office', 'a', 'own'],
    ['the other office', person('b', ['credentials_office']), 'registrar', 'a', 'office'],
    ['a learner', person('b', ['learner']), 'credentials_office', 'a', 'office'],
    [
      'anyone in the office, for a list whose uploader is gone',
      person('b', ['registrar']),
      'registrar',
      null,
      'yes',
    ],
  ];
  for (const [name, actor, office, uploadedBy, expected] of rows) {
    const refusal = commitRefusal(actor, { office, uploadedBy, submittedAt: new Date() });
    if (expected === 'yes') assert.equal(refusal, undefined, name);
    else if (expected === 'own') assert.equal(refusal, OWN_LIST_REFUSAL, name);
    else assert.match(refusal ?? '', /is committed by the/, name);
  }
});

test("a program lead's list: who opens it, submits it and commits it, as a table", () => {
  const lead = person('lead', ['program_lead']);
  const otherLead = person('other', ['program_lead']);
  const office = person('office', ['registrar']);
  const draft = { office: 'registrar' as const, uploadedBy: 'lead', submittedAt: null };
  const submitted = { ...draft, submittedAt: new Date() };
  const rows: [string, { id: string; roles: Role[] }, typeof draft | typeof submitted, boolean, boolean][] = [
    // who, the list, may open, may submit
    ['the lead, on their draft', lead, draft, true, true],
    ['the lead, once submitted', lead, submitted, true, false],
    ['another lead, on the draft', otherLead, draft, false, false],
    ['another lead, once submitted', otherLead, submitted, false, false],
    ['the office, on the draft', office, draft, false, false],
    ['the office, once submitted', office, submitted, true, false],
  ];
  for (const [name, actor, list, opens, submits] of rows) {
    assert.equal(mayViewList(actor, list), opens, `${name} opens`);
    assert.equal(maySubmitList(actor, list), submits, `${name} submits`);
  }
  assert.match(commitRefusal(lead, submitted) ?? '', /is committed by the registrar/);
  assert.equal(commitRefusal(office, draft), NOT_SUBMITTED_REFUSAL);
  assert.equal(commitRefusal(office, submitted), undefined);
  // A lead who also works in the office still may not commit the list they prepared.
  assert.equal(commitRefusal(person('lead', ['program_lead', 'registrar']), submitted), OWN_LIST_REFUSAL);
  // Nor does anyone in the office commit a list that awards them a badge.
  assert.equal(commitRefusal(office, submitted, { awardsActor: true }), OWN_AWARD_REFUSAL);
});

test('who may check a list’s rows again, as a table (role × list state)', () => {
  const office = person('o', ['credentials_office']);
  const lead = person('lead', ['program_lead']);
  const submitted = { office: 'credentials_office' as Office, uploadedBy: 'o', submittedAt: new Date() };
  const draft = { office: 'credentials_office' as Office, uploadedBy: 'lead', submittedAt: null };
  const rows: [string, { id: string; roles: Role[] }, typeof submitted | typeof draft, string, boolean][] = [
    ['the office, a submitted preview', office, submitted, 'preview', true],
    ['the office, a list being issued', office, submitted, 'issuing', false],
    ['the office, a discarded list', office, submitted, 'discarded', false],
    ['another office', person('r', ['registrar']), submitted, 'preview', false],
    ['an administrator', person('a', ['admin']), submitted, 'preview', true],
    ['the lead, their own draft', lead, draft, 'preview', true],
    ['the office, a lead’s draft not yet submitted', office, draft, 'preview', false],
    ['another lead, a draft', person('l2', ['program_lead']), draft, 'preview', false],
    ['the lead, once submitted', lead, { ...draft, submittedAt: new Date() }, 'preview', false],
  ];
  for (const [name, actor, list, status, may] of rows) {
    assert.equal(mayRecheckList(actor, { ...list, status }), may, name);
  }
});

test('who may issue an approved badge request, as a table', () => {
  const me = { id: 'me', email: 'Me@Uni.example' };
  const rows: [string, { learnerUserId: string | null; learnerEmail: string }, boolean][] = [
    ["a colleague's request", { learnerUserId: 'colleague', learnerEmail: 'colleague@uni.example' }, true],
    ['my own, linked to my account', { learnerUserId: 'me', learnerEmail: 'other@uni.example' }, false],
    [
      'my own, not linked yet but with my address',
      { learnerUserId: null, learnerEmail: ' me@uni.example' },
      false,
    ],
    ["a learner's with no account", { learnerUserId: null, learnerEmail: 'learner@uni.example' }, true],
  ];
  for (const [name, request, may] of rows) {
    assert.equal(issueRefusal(me, request), may ? undefined : OWN_REQUEST_REFUSAL, name);
  }
});

test('which programs a person may name on a list, as a table', () => {
  const rows: [Role[], string | null, boolean][] = [
    [['program_lead'], 'me', true],
    [['program_lead'], 'someone else', false],
    [['program_lead'], null, false],
    [['registrar'], 'someone else', true],
    [['credentials_office'], null, true],
    [['learner'], 'me', false],
  ];
  for (const [roles, leadUserId, expected] of rows) {
    assert.equal(mayListProgram(person('me', roles), { leadUserId }), expected, `${roles} on ${leadUserId}`);
  }
});

test('who may take each issuing action, as a table', () => {
  const actions: IssuingAction[] = ['issue', 'export_for_registrar', 'prepare_list'];
  const rows: [Role[], IssuingAction[]][] = [
    [['registrar'], ['issue', 'export_for_registrar', 'prepare_list']],
    [['credentials_office'], ['issue', 'prepare_list']],
    [['admin'], ['issue', 'export_for_registrar', 'prepare_list']],
    [['bursar'], []],
    [['program_lead'], ['prepare_list']],
    [['approver'], []],
    [['learner'], []],
  ];
  for (const [roles, allowed] of rows) {
    for (const action of actions) {
      assert.equal(mayDo({ roles }, action), allowed.includes(action), `${roles.join('+')} ${action}`);
    }
  }
  for (const action of actions) assert.equal(mayDo(null, action), false, `nobody signed in: ${action}`);
});

test("the issuing pages' links follow the issuing and billing policies, as a table", () => {
  const rows: [Role[], boolean, boolean, boolean][] = [
    [['registrar'], true, true, false],
    [['credentials_office'], true, false, false],
    [['admin'], true, true, true],
    [['credentials_office', 'bursar'], true, false, true],
    [['program_lead'], false, false, false],
  ];
  for (const [roles, issues, exports, ledger] of rows) {
    assert.deepEqual(
      issuingLinksFor({ roles }),
      { canIssue: issues, canExportForRegistrar: exports, canOpenFeeLedger: ledger },
      roles.join('+'),
    );
  }
});

test('who may renew an award, as a table', () => {
  const award = { learnerUserId: 'earner', office: 'credentials_office' as Office };
  const rows: [string, { id: string; roles: Role[] }, boolean][] = [
    ['the learner it was awarded to', person('earner', ['learner']), true],
    ['another learner', person('other', ['learner']), false],
    ['a member of the office that issued it', person('o', ['credentials_office']), true],
    ['a member of the other office', person('r', ['registrar']), false],
    ['an administrator', person('a', ['admin']), true],
    ['a program lead', person('l', ['program_lead']), false],
  ];
  for (const [who, actor, may] of rows) assert.equal(mayRenewAward(actor, award), may, who);
  assert.equal(
    mayRenewAward(person('earner', ['learner']), { learnerUserId: null, office: 'registrar' }),
    false,
    'a record with no account is renewed by the office only',
  );
});

test("how a list's row names its program to each person, as a table", () => {
  const program = (status: ProgramState, leadUserId: string | null = 'lead') => ({
    id: 'p1',
    slug: 'field-mapping',
    title: 'Field Mapping',
    status,
    leadUserId,
  });
  const staffPage = { title: 'Field Mapping', href: '/programs/p1' };
  const catalogPage = { title: 'Field Mapping', href: '/catalog/field-mapping' };
  const rows: [string, Actor, ReturnType<typeof program> | null, ReturnType<typeof rowProgramFor>][] = [
    [
      'the credentials office: the staff page',
      staffActor('o', ['credentials_office']),
      program('pilot'),
      staffPage,
    ],
    ['an administrator: the staff page', staffActor('a', ['admin']), program('retired'), staffPage],
    ['the registrar: the catalog page', staffActor('r', ['registrar']), program('established'), catalogPage],
    [
      'the registrar, for a program no longer listed: the title alone',
      staffActor('r', ['registrar']),
      program('draft'),
      { title: 'Field Mapping', href: null },
    ],
    ['its own lead: the staff page', staffActor('lead', ['program_lead']), program('established'), staffPage],
    [
      "another lead's program: nothing but the slug",
      staffActor('l2', ['program_lead']),
      program('draft'),
      null,
    ],
    ['a slug that names no program', staffActor('o', ['credentials_office']), null, null],
  ];
  for (const [who, actor, named, expected] of rows)
    assert.deepEqual(rowProgramFor(actor, named), expected, who);
});

test('who may create the missing learner record of a list row, as a table', () => {
  const office = staffActor('o', ['credentials_office']);
  const list = {
    office: 'credentials_office' as Office,
    uploadedBy: 'o',
    submittedAt: new Date(),
    status: 'preview',
    creditMode: 'non_credit' as const,
  };
  const row = { status: 'not_eligible', hasLearnerRecord: false, email: 'newcomer@mail.example' };
  const rows: [string, Actor, typeof list, typeof row, 'yes' | RegExp][] = [
    ['a member of the office, even the uploader', office, list, row, 'yes'],
    ['an administrator', staffActor('a', ['admin']), list, row, 'yes'],
    ['the other office', staffActor('r', ['registrar']), list, row, /credentials office creates/],
    [
      'the lead who drafts it',
      staffActor('o', ['program_lead']),
      { ...list, submittedAt: null } as never,
      row,
      /credentials office creates/,
    ],
    [
      'a credit-bearing list',
      staffActor('r', ['registrar']),
      { ...list, office: 'registrar', creditMode: 'credit' } as never,
      row,
      /student system/,
    ],
    ['a committed list', office, { ...list, status: 'running' }, row, /no longer a preview/],
    [
      'a row whose record exists now',
      office,
      list,
      { ...row, hasLearnerRecord: true },
      /already on a learner record/,
    ],
    ['a row that is an error', office, list, { ...row, status: 'error' }, /Only a row that is not eligible/],
    ['their own row', office, list, { ...row, email: 'O@staff.example' }, new RegExp(OWN_ROW_RECORD_REFUSAL)],
  ];
  for (const [who, actor, facts, named, expected] of rows) {
    const refusal = rowRecordRefusal(actor, facts, named);
    if (expected === 'yes') assert.equal(refusal, undefined, who);
    else assert.match(refusal ?? '', expected, who);
  }
});
