import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { anyText } from '../../test/support/arbitraries.ts';
import { normaliseEmail } from './email-address.ts';

test('spaces and case do not make a different address', () => {
  for (const variant of [' Admin@X.edu ', 'ADMIN@x.EDU', '\tadmin@x.edu\n', 'admin@x.edu']) {
    assert.equal(normaliseEmail(variant), 'admin@x.edu');
  }
});

test('composed and decomposed accents are one address', () => {
  assert.equal(normaliseEmail('Jose\u0301@x.edu'), normaliseEmail('jos\u00e9@x.edu'));
});

test('normalising twice changes nothing', () => {
  fc.assert(fc.property(anyText(), (s) => normaliseEmail(normaliseEmail(s)) === normaliseEmail(s)));
});
