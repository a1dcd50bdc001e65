import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { mayDo, maySeeProgram } from './insight.policy.ts';

const lead = 'b3b9d3c4-0000-4000-8000-000000000001';
const someoneElse = 'b3b9d3c4-0000-4000-8000-000000000002';

test("who sees a program's figures, as a table: role × whose program", () => {
  const rows: [Role[], string, boolean][] = [
    [['program_lead'], lead, true],
    [['program_lead'], someoneElse, false],
    [['credentials_office'], someoneElse, true],
    [['approver'], someoneElse, true],
    [['admin'], someoneElse, true],
    [['registrar'], someoneElse, false],
    [['bursar'], someoneElse, false],
    [['signer'], someoneElse, false],
    [['learner'], lead, false],
    [['learner', 'program_lead'], lead, true],
  ];
  for (const [roles, actorId, expected] of rows) {
    assert.equal(
      maySeeProgram({ id: actorId, roles }, { leadUserId: lead }),
      expected,
      `${roles} as ${actorId}`,
    );
  }
  assert.equal(maySeeProgram(null, { leadUserId: lead }), false, 'nobody signed in');
  assert.equal(
    maySeeProgram({ id: lead, roles: ['program_lead'] }, { leadUserId: null }),
    false,
    'no lead set',
  );
});

test('the route gate lets in exactly the roles that can see some program', () => {
  for (const role of ['program_lead', 'credentials_office', 'approver', 'admin'] as Role[]) {
    assert.equal(mayDo({ roles: [role] }, 'view_program_insight'), true, role);
  }
  for (const role of ['registrar', 'bursar', 'signer', 'learner'] as Role[]) {
    assert.equal(mayDo({ roles: [role] }, 'view_program_insight'), false, role);
  }
  assert.equal(mayDo(null, 'view_program_insight'), false);
});

test('who sees the institution overview, as a table', () => {
  const rows: [Role[], boolean][] = [
    [['admin'], true],
    [['approver'], true],
    [['credentials_office'], true],
    [['program_lead'], false],
    [['registrar'], false],
    [['bursar'], false],
    [['signer'], false],
    [['learner'], false],
  ];
  for (const [roles, expected] of rows)
    assert.equal(mayDo({ roles }, 'view_overview'), expected, roles.join('+'));
  assert.equal(mayDo(null, 'view_overview'), false);
});
