import assert from 'node:assert/strict';
import { test } from 'node:test';
import { programStates, programStateWords } from './program-vocabulary.ts';

test('a proposal waiting on a chain step says who decides it: the body, or the person the step names', () => {
  assert.equal(
    programStateWords('submitted', { name: 'Curriculum Board' }),
    'Submitted for pilot approval: waiting for the Curriculum Board',
  );
  assert.equal(
    programStateWords('full_proposal_review', { name: 'Provost', person: { name: 'Dana Dean' } }),
    'Full proposal under review: waiting for Dana Dean (Provost)',
  );
});

test('no state, with or without a step, names the credentials office as the one it was submitted to', () => {
  for (const state of programStates) {
    for (const words of [programStateWords(state), programStateWords(state, { name: 'Curriculum Board' })]) {
      assert.doesNotMatch(words, /credentials office/i, state);
    }
  }
});

test('a state that waits on nobody keeps its label, whatever step is given', () => {
  assert.equal(programStateWords('changes_requested', { name: 'Curriculum Board' }), 'Changes requested');
  assert.equal(programStateWords('pilot', { name: 'Curriculum Board' }), 'Pilot');
  assert.equal(programStateWords('submitted'), 'Submitted for pilot approval');
});
