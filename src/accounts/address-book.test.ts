import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AddressFacts, primaryProblem, removalProblem } from './address-book.ts';

const address = (isPrimary: boolean, isVerified: boolean): AddressFacts => ({ isPrimary, isVerified });

describe('which addresses may be removed', () => {
  const cases: [string, AddressFacts[], number, boolean][] = [
    ['the primary, even with others confirmed', [address(true, true), address(false, true)], 0, false],
    [
      'a confirmed extra while the primary is confirmed',
      [address(true, true), address(false, true)],
      1,
      true,
    ],
    ['an unconfirmed extra', [address(true, false), address(false, false)], 1, true],
    [
      'the only confirmed address (primary unconfirmed)',
      [address(true, false), address(false, true)],
      1,
      false,
    ],
    [
      'one of two confirmed extras under an unconfirmed primary',
      [address(true, false), address(false, true), address(false, true)],
      1,
      true,
    ],
  ];
  for (const [name, addresses, index, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${name}`, () => {
      assert.equal(removalProblem(addresses, addresses[index]!) === null, allowed);
    });
  }
});

describe('which addresses may become primary', () => {
  it('only a confirmed address that is not primary yet', () => {
    assert.equal(primaryProblem(address(false, true)), null);
    assert.notEqual(primaryProblem(address(false, false)), null);
    assert.notEqual(primaryProblem(address(true, true)), null);
  });
});
