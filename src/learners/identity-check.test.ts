import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIdentity, type IdentityConflict, needsStaffVerification } from './identity-check.ts';

const asker = { userId: 'u-asker', email: 'Rosalind.Vey@mail.example', name: 'Rosalind Vey' };

const cases: {
  name: string;
  record: { name: string; email: string; userId: string | null };
  conflicts: IdentityConflict[];
  byEmail: boolean;
  blocked: boolean;
}[] = [
  {
    name: 'same e-mail (case and spaces aside), same name, no account: confirmed by the student system',
    record: { name: 'rosalind  vey', email: ' rosalind.vey@mail.example', userId: null },
    conflicts: [],
    byEmail: true,
    blocked: false,
  },
  {
    name: 'accents and punctuation in names do not count as a difference',
    record: { name: 'Rosalínd Vey.', email: 'rosalind.vey@mail.example', userId: null },
    conflicts: [],
    byEmail: true,
    blocked: false,
  },
  {
    name: 'another e-mail on record: staff must verify',
    record: { name: 'Rosalind Vey', email: 'r.vey@students.example', userId: null },
    conflicts: ['email_differs'],
    byEmail: false,
    blocked: false,
  },
  {
    name: 'another name and e-mail: both flagged',
    record: { name: 'Imogen Hale', email: 'imogen.hale@students.example', userId: null },
    conflicts: ['email_differs', 'name_differs'],
    byEmail: false,
    blocked: false,
  },
  {
    name: 'linked to another account: blocked even when the e-mail matches',
    record: { name: 'Rosalind Vey', email: 'rosalind.vey@mail.example', userId: 'u-other' },
    conflicts: ['linked_to_another_account'],
    byEmail: false,
    blocked: true,
  },
  {
    name: 'linked to the asker already: nothing to flag',
    record: { name: 'Rosalind Vey', email: 'rosalind.vey@mail.example', userId: 'u-asker' },
    conflicts: [],
    byEmail: true,
    blocked: false,
  },
];

for (const c of cases) {
  test(`identity check: ${c.name}`, () => {
    const check = checkIdentity(asker, c.record);
    assert.deepEqual(check.conflicts, c.conflicts);
    assert.equal(check.isConfirmedByEmail, c.byEmail);
    assert.equal(check.isBlocked, c.blocked);
    assert.equal(needsStaffVerification(check), c.conflicts.length > 0);
  });
}
