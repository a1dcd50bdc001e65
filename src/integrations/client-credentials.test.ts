import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  digestOf,
  matchesDigest,
  newAccessToken,
  newClientSecret,
  readBasicCredentials,
  scopeTokens,
} from './client-credentials.ts';

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

test('Basic credentials are form-decoded after base64, and the secret may hold a colon', () => {
  assert.deepEqual(readBasicCredentials(basic('stk_abc:s3cret')), { clientId: 'stk_abc', secret: 's3cret' });
  assert.deepEqual(readBasicCredentials(basic('stk%20a+b:x%3Ay:z')), {
    clientId: 'stk a b',
    secret: 'x:y:z',
  });
  assert.deepEqual(readBasicCredentials(`basic   ${Buffer.from('a:b').toString('base64')}`), {
    clientId: 'a',
    secret: 'b',
  });
});

test('a Basic header that cannot be read is null; another scheme or none is undefined', () => {
  for (const header of ['Basic', 'Basic !!!', basic('no-colon-here'), basic('a:%E0%A4%A')]) {
    assert.equal(readBasicCredentials(header), null, header);
  }
  assert.equal(readBasicCredentials(undefined), undefined);
  assert.equal(readBasicCredentials('Bearer abc'), undefined);
});

test('scope tokens are space-separated, deduplicated, and refused with quotes or backslashes', () => {
  assert.deepEqual(scopeTokens('learners:read  completions:write learners:read'), [
    'learners:read',
    'completions:write',
  ]);
  assert.deepEqual(scopeTokens('   '), []);
  assert.equal(scopeTokens('a"b'), null);
  assert.equal(scopeTokens('a\\b'), null);
  assert.equal(scopeTokens('a\tb'), null);
});

test('secrets and tokens are long, prefixed, distinct, and matched only by their own digest', () => {
  const secret = newClientSecret();
  assert.match(secret, /^stks_[A-Za-z0-9_-]{43}$/);
  assert.match(newAccessToken(), /^stka_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newClientSecret(), secret);
  assert.ok(matchesDigest(secret, digestOf(secret)));
  assert.ok(!matchesDigest(`${secret}x`, digestOf(secret)));
  assert.ok(!matchesDigest(secret, 'not-a-digest'));
});
