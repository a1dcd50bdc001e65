import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/roles.ts';
import { type HomeSections, homeSectionsFor } from './home.policy.ts';

const none: HomeSections = {
  ownEnrolments: false,
  ledPrograms: false,
  staffFigures: false,
  outgoingMail: false,
  officeQueues: false,
  registrarExports: false,
  bursarExports: false,
  administration: false,
  institutionSetup: false,
};

test('which sections of the role home each role sees, as a table', () => {
  const rows: [Role[], Partial<HomeSections>][] = [
    [['learner'], { ownEnrolments: true }],
    [['program_lead'], { ledPrograms: true }],
    [['approver'], { staffFigures: true }],
    [['registrar'], { staffFigures: true, registrarExports: true }],
    [['bursar'], { staffFigures: true, bursarExports: true }],
    [['credentials_office'], { staffFigures: true, outgoingMail: true, officeQueues: true }],
    [
      ['admin'],
      {
        staffFigures: true,
        outgoingMail: true,
        officeQueues: true,
        registrarExports: true,
        bursarExports: true,
        administration: true,
        institutionSetup: true,
      },
    ],
    [['learner', 'program_lead'], { ownEnrolments: true, ledPrograms: true }],
    [
      ['program_lead', 'registrar', 'bursar'],
      { ledPrograms: true, staffFigures: true, registrarExports: true, bursarExports: true },
    ],
    [['signer'], {}],
    [[], {}],
  ];
  for (const [roles, shown] of rows) {
    assert.deepEqual(homeSectionsFor({ roles }), { ...none, ...shown }, roles.join('+') || 'no role');
  }
});
