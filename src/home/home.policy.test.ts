import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import { type HomeSections, homeSectionsFor } from './home.policy.ts';

const none: HomeSections = {
  ownEnrolments: false,
  ledPrograms: false,
  staffFigures: false,
  outgoingMail: false,
  administration: false,
  institutionSetup: false,
};

test('which sections of the role home each role sees, as a table', () => {
  const rows: [Role[], Partial<HomeSections>][] = [
    [['learner'], { ownEnrolments: true }],
    [['program_lead'], { ledPrograms: true }],
    [['approver'], { staffFigures: true }],
    [['registrar'], { staffFigures: true }],
    [['bursar'], { staffFigures: true }],
    [['credentials_office'], { staffFigures: true, outgoingMail: true }],
    [['admin'], { staffFigures: true, outgoingMail: true, administration: true, institutionSetup: true }],
    [['learner', 'program_lead'], { ownEnrolments: true, ledPrograms: true }],
    [[], {}],
  ];
  for (const [roles, shown] of rows) {
    assert.deepEqual(homeSectionsFor({ roles }), { ...none, ...shown }, roles.join('+') || 'no role');
  }
});
