import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { handleProblem, tidyHandle } from './profile-handle.ts';

describe('profile handles', () => {
  const cases: [string, boolean][] = [
    ['ada-lovelace', true],
    ['a1b', true],
    ['ab', false],
    ['-ada', false],
    ['ada-', false],
    ['ada--l', false],
    ['ada_l', false],
    ['ada l', false],
    ['ädä', false],
    ['x'.repeat(30), true],
    ['x'.repeat(31), false],
    ['registrar', false],
    ['../admin', false],
  ];
  for (const [handle, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${JSON.stringify(handle)}`, () => {
      assert.equal(handleProblem(handle) === null, ok);
    });
  }

  it('tidies spaces and capitals before checking', () => {
    assert.equal(tidyHandle('  Ada-Lovelace '), 'ada-lovelace');
  });

  it('never accepts a handle that would need escaping in a URL path', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const handle = tidyHandle(text);
        if (handleProblem(handle) === null) assert.equal(encodeURIComponent(handle), handle);
      }),
    );
  });
});
