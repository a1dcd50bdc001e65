import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyValue } from './copy-in.ts';

test('a COPY value escapes what would end it, and null is \\N', () => {
  assert.equal(copyValue(null), '\\N');
  assert.equal(copyValue(0), '0');
  assert.equal(copyValue(true), 't');
  assert.equal(copyValue(false), 'f');
  assert.equal(copyValue('2025 Fall'), '2025 Fall');
  assert.equal(copyValue('\\N'), '\\\\N', 'the text \\N is not null');
  assert.equal(copyValue('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
  assert.equal(copyValue(''), '', 'the empty string is not null');
});
