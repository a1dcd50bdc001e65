import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../platform/actor.ts';
import { creditModeFor, officeFor, officesForRequest, officesOf } from './offices.ts';

const person = (...roles: Actor['roles'][number][]): Actor => ({
  id: 'x',
  name: 'X',
  email: 'x@e.edu',
  roles,
});

describe('which office issues what', () => {
  test("credit-bearing badges are the registrar's, non-credit ones the credentials office's", () => {
    assert.equal(officeFor('credit'), 'registrar');
    assert.equal(officeFor('non_credit'), 'credentials_office');
    assert.deepEqual(officesForRequest({ creditType: 'credit', issuingOffice: 'registrar' }, undefined), [
      'registrar',
    ]);
    assert.deepEqual(
      officesForRequest({ creditType: 'non_credit', issuingOffice: 'credentials_office' }, 'credit'),
      ['credentials_office'],
    );
  });

  test("a hybrid program's request follows the learner's cohort list, or goes to both offices", () => {
    const hybrid = { creditType: 'hybrid' as const, issuingOffice: 'registrar' as const };
    assert.deepEqual(officesForRequest(hybrid, undefined), ['registrar', 'credentials_office']);
    assert.deepEqual(officesForRequest(hybrid, 'non_credit'), ['credentials_office']);
    assert.equal(creditModeFor(hybrid, undefined, 'registrar'), 'credit');
    assert.equal(creditModeFor(hybrid, undefined, 'credentials_office'), 'non_credit');
    assert.equal(creditModeFor(hybrid, 'credit', 'credentials_office'), 'credit');
    assert.equal(creditModeFor({ creditType: 'credit' }, 'non_credit', 'credentials_office'), 'credit');
  });

  test('people work in the offices their roles name; administrators in both', () => {
    assert.deepEqual(officesOf(person('admin')), ['registrar', 'credentials_office']);
    assert.deepEqual(officesOf(person('credentials_office')), ['credentials_office']);
    assert.deepEqual(officesOf(person('bursar', 'learner')), []);
  });
});
