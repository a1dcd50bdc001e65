import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionSourceLabel } from './completion-sources.ts';

test('the default source code reads as words; a source the student system named is kept as named', () => {
  assert.equal(completionSourceLabel('sis'), 'Student information system');
  assert.equal(completionSourceLabel('SIS'), 'Student information system');
  assert.equal(completionSourceLabel('Banner transfer'), 'Banner transfer');
});
