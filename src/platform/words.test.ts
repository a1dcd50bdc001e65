import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf, formatCount, wordFor } from './words.ts';

test('a count takes the singular only for exactly one', () => {
  for (const [count, expected] of [
    [0, '0 badges'],
    [1, '1 badge'],
    [2, '2 badges'],
    [1.5, '1.5 badges'],
  ] as const) {
    assert.equal(countOf(count, 'badge'), expected);
  }
});

test('a word whose plural is not an s is given both forms', () => {
  assert.equal(countOf(1, 'learner is', 'learners are'), '1 learner is');
  assert.equal(countOf(4, 'learner is', 'learners are'), '4 learners are');
  assert.equal(wordFor(1, 'it keeps', 'they keep'), 'it keeps');
  assert.equal(wordFor(3, 'it keeps', 'they keep'), 'they keep');
});

test('counts are shown without float noise', () => {
  assert.equal(formatCount(0.1 + 0.2), '0.3');
  assert.equal(formatCount(7.5), '7.5');
  assert.equal(countOf(0.1 + 0.2, 'credit'), '0.3 credits');
});
