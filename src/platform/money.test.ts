import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decimalAmount, formatCents } from './money.ts';

test('amounts read as dollars with cents, thousands separated and the sign in front', () => {
  assert.equal(formatCents(1000), '$10.00');
  assert.equal(formatCents(5), '$0.05');
  assert.equal(formatCents(123_456_78), '$123,456.78');
  assert.equal(formatCents(-250), '-$2.50');
});

test('the plain decimal has no symbol and no separators', () => {
  assert.equal(decimalAmount(123_456_78), '123456.78');
  assert.equal(decimalAmount(-250), '-2.50');
});

test('the plain decimal reads back as the same number of cents', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), (cents) => {
      assert.equal(Math.round(Number(decimalAmount(cents)) * 100), cents);
    }),
  );
});
