import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../platform/db/schema.ts';
import { commitRefusal, OWN_LIST_REFUSAL } from './issuing.policy.ts';
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
