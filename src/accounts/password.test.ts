import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PasswordHasher, STANDARD_PASSWORD_COST, TEST_PASSWORD_COST } from './password.ts';

const costOf = (hash: string) => /^\$argon2id\$v=19\$m=(\d+),p=1,t=(\d+)\$/.exec(hash)?.slice(1).map(Number);

test('an app hashes at the OWASP floor unless it is told otherwise', async () => {
  assert.deepEqual(STANDARD_PASSWORD_COST, { memoryCost: 19_456, timeCost: 2 });
  assert.deepEqual(costOf(await new PasswordHasher().hash('a long enough passphrase')), [19_456, 2]);
});

test("a hash made at either cost is checked by the other's hasher, since the hash records its cost", async () => {
  const standard = new PasswordHasher();
  const cheap = new PasswordHasher(TEST_PASSWORD_COST);
  const fromCheap = await cheap.hash('a long enough passphrase');
  assert.deepEqual(costOf(fromCheap), [1024, 1]);
  assert.equal(await standard.verify(fromCheap, 'a long enough passphrase'), true);
  assert.equal(await cheap.verify(await standard.hash('another passphrase'), 'another passphrase'), true);
  assert.equal(await cheap.verify(fromCheap, 'a long enough passphrasE'), false);
});

test('no stored hash, or a malformed one, never matches', async () => {
  const cheap = new PasswordHasher(TEST_PASSWORD_COST);
  assert.equal(await cheap.verify(null, 'decoy password that matches nothing'), false);
  assert.equal(await cheap.verify('$argon2id$not-a-hash', 'anything at all'), false);
});
