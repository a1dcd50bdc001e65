import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyProblem, decimalAmount, formatCents, formatMoney, parseAmount } from './money.ts';

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

test('an amount in another currency carries its own symbol', () => {
  assert.equal(formatMoney(1000, 'USD'), '$10.00');
  assert.equal(formatMoney(125_000, 'EUR'), '€1,250.00');
  assert.equal(formatMoney(1000, 'CAD'), 'CA$10.00');
});

test('typed amounts read as cents, and anything else is not an amount', () => {
  assert.equal(parseAmount('10'), 1000);
  assert.equal(parseAmount(' 10.5 '), 1050);
  assert.equal(parseAmount('1,250.00'), 125_000);
  for (const bad of ['', '-5', '10.123', 'ten', '1e3', '$']) assert.equal(parseAmount(bad), undefined, bad);
});

test('fees may be in an ISO 4217 currency counted in hundredths', () => {
  assert.equal(currencyProblem('EUR'), undefined);
  assert.match(currencyProblem('usd') ?? '', /ISO 4217/);
  assert.match(currencyProblem('XYZ') ?? '', /ISO 4217/);
  assert.match(currencyProblem('JPY') ?? '', /whole units/);
});
