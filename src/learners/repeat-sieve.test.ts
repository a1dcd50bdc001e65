import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keyHash, RepeatSieve } from './repeat-sieve.ts';

test('a key seen before is always a maybe-repeat, a first key is one only when its bit was taken', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.string(), fc.constantFrom('MATH101', 'ENG-2'), fc.string()), { maxLength: 60 }),
      (keys) => {
        const sieve = new RepeatSieve();
        const seen = new Set<string>();
        for (const [studentId, course, term] of keys) {
          const key = JSON.stringify([studentId, course, term]);
          const maybe = sieve.sees(studentId, course, term);
          if (seen.has(key)) assert.equal(maybe, true, `${key} repeats an earlier row`);
          seen.add(key);
        }
      },
    ),
  );
});

test('distinct keys are rarely taken for repeats', () => {
  const sieve = new RepeatSieve();
  let maybes = 0;
  for (let i = 0; i < 200_000; i++) {
    if (sieve.sees(`S${String(i % 20_000).padStart(8, '0')}`, `C${Math.floor(i / 20_000)}`, '2031 Fall'))
      maybes++;
  }
  // 200,000 keys in 2^25 bits: about 0.6 % collide; far more would mean a poor hash.
  assert.ok(maybes < 3000, `${maybes} false maybe-repeats`);
});

test('the key hash tells apart values split differently', () => {
  assert.notEqual(keyHash('ab', 'c', 'd'), keyHash('a', 'bc', 'd'));
  assert.notEqual(keyHash('a', 'b', 'cd'), keyHash('a', 'bc', 'd'));
  assert.equal(keyHash('S1', 'MATH101', '2030 Fall'), keyHash('S1', 'MATH101', '2030 Fall'));
});
