import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confirmationProblem, confirmationToken } from './issue-confirmation.ts';

describe('the confirmation before issuing', () => {
  const summary = ['registrar', 'request-1', 'program-1', 2500, 'credit'];

  test('the same summary gives the same fingerprint', () => {
    assert.equal(confirmationToken([...summary]), confirmationToken(summary));
  });

  test('a changed fee, person or office gives another fingerprint', () => {
    const token = confirmationToken(summary);
    assert.notEqual(confirmationToken(['registrar', 'request-1', 'program-1', 2600, 'credit']), token);
    assert.notEqual(confirmationToken(['registrar', 'request-2', 'program-1', 2500, 'credit']), token);
    assert.notEqual(
      confirmationToken(['credentials_office', 'request-1', 'program-1', 2500, 'credit']),
      token,
    );
  });

  test('fields do not run into each other', () => {
    assert.notEqual(confirmationToken(['ab', 'c']), confirmationToken(['a', 'bc']));
  });

  test('no confirmation, or one of another summary, does not confirm', () => {
    const token = confirmationToken(summary);
    assert.equal(confirmationProblem(undefined, token), 'missing');
    assert.equal(confirmationProblem('', token), 'missing');
    assert.equal(confirmationProblem(confirmationToken(['other']), token), 'changed');
    assert.equal(confirmationProblem(token, token), null);
  });
});
