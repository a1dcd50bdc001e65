import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import {
  commitRefusal,
  type IssuingAction,
  issuingLinksFor,
  mayDo,
  OWN_LIST_REFUSAL,
} from './issuing.policy.ts';
import type { Office } from './issuing.tables.ts';

const person = (id: string, roles: Role[]) => ({ id, roles });

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
    const refusal = commitRefusal(actor, { office, uploadedBy });
    if (expected === 'yes') assert.equal(refusal, undefined, name);
    else if (expected === 'own') assert.equal(refusal, OWN_LIST_REFUSAL, name);
    else assert.match(refusal ?? '', /is committed by the/, name);
  }
});

test('who may take each issuing action, as a table', () => {
  const actions: IssuingAction[] = ['issue', 'export_for_registrar'];
  const rows: [Role[], IssuingAction[]][] = [
    [['registrar'], ['issue', 'export_for_registrar']],
    [['credentials_office'], ['issue']],
    [['admin'], ['issue', 'export_for_registrar']],
    [['bursar'], []],
    [['program_lead'], []],
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
  const rows: [Role[], boolean, boolean][] = [
    [['registrar'], true, false],
    [['credentials_office'], false, false],
    [['admin'], true, true],
    [['credentials_office', 'bursar'], false, true],
  ];
  for (const [roles, exports, ledger] of rows) {
    assert.deepEqual(
      issuingLinksFor({ roles }),
      { canExportForRegistrar: exports, canOpenFeeLedger: ledger },
      roles.join('+'),
    );
  }
});
