import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSignedClaimToken, newClaimToken } from './claim-token.ts';

const secret = 'a-secret-long-enough-for-the-tests-here';

test('a claim token is signed with the app secret and recognised only under it', () => {
  const token = newClaimToken(secret);
  assert.ok(isSignedClaimToken(secret, token));
  assert.equal(isSignedClaimToken('another-secret-that-is-long-enough!', token), false);
});

test('a changed, cut or padded token is not recognised', () => {
  const token = newClaimToken(secret);
  const flipped = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
  for (const bad of [flipped, token.slice(0, -1), `${token}x`, token.replace('.', ''), '', 'not-a-token']) {
    assert.equal(isSignedClaimToken(secret, bad), false, bad);
  }
});

test('every token is new', () => {
  assert.notEqual(newClaimToken(secret), newClaimToken(secret));
});
