import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalizeCourseCode } from './course-code.ts';

test('normalizeCourseCode upper-cases, trims and collapses whitespace but keeps one space', () => {
  assert.equal(normalizeCourseCode('comm 330'), 'COMM 330');
  assert.equal(normalizeCourseCode('  COMM\t\t330 '), 'COMM 330');
  assert.equal(normalizeCourseCode('COMM\u00a0330'), 'COMM 330');
  assert.equal(normalizeCourseCode('COMM330'), 'COMM330');
  assert.equal(normalizeCourseCode('COMM 330'), 'COMM 330');
});

test('normalizeCourseCode is idempotent', () => {
  fc.assert(
    fc.property(fc.string(), (code) => {
      const once = normalizeCourseCode(code);
      assert.equal(normalizeCourseCode(once), once);
    }),
  );
});
