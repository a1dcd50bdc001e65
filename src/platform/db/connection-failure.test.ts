import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConnectionFailure } from './connection-failure.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  test('a closed handle or a dropped connection is a connection failure', () => {
    for (const error of [
      new Error('driver has already been destroyed'),
      new Error('PGlite is closed'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('sorry, too many clients already', '53300'),
      withCode('connection failure', '08006'),
    ]) {
      assert.equal(isConnectionFailure(error), true, error.message);
    }
  });

  test('a connection failure wrapped by a library is still one', () => {
    const wrapped = new Error('query failed', { cause: new Error('Connection terminated unexpectedly') });
    assert.equal(isConnectionFailure(wrapped), true);
  });

  test('a statement that fails on its own, or anything not an error, is not', () => {
    for (const error of [
      withCode('duplicate key value violates unique constraint "users_email_key"', '23505'),
      withCode('column "nme" does not exist', '42703'),
      new Error('The DID did:web:example.org could not be resolved.'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'Connection terminated',
      null,
    ]) {
      assert.equal(isConnectionFailure(error), false, String(error));
    }
  });
});
