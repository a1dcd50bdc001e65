import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultAnswers, transcriptAnswer } from './program-answers.ts';

const noOwnAnswers = { transcript_answer: '', financial_aid_answer: '', fee_policy: '' };

describe('“Will it appear on my transcript?”', () => {
  test('a for-credit badge: the registrar adds a notation with its credits and term, withdrawn on revocation', () => {
    const answer = transcriptAnswer(noOwnAnswers, 'credit');
    assert.match(answer, /registrar adds a line to your transcript/);
    assert.match(answer, /credits and the term/);
    assert.match(answer, /revoked, that line is taken off/);
  });

  test('a non-credit badge: no notation, the badge is the record', () => {
    const answer = transcriptAnswer(noOwnAnswers, 'non_credit');
    assert.match(answer, /no line is added to your transcript/);
    assert.doesNotMatch(answer, /registrar adds/);
  });

  test('a hybrid program: it depends on the learner’s group', () => {
    const answer = transcriptAnswer(noOwnAnswers, 'hybrid');
    assert.match(answer, /for-credit group, the registrar adds a line/);
    assert.match(answer, /non-credit group, your digital badge is the only record/);
  });

  test('the institution’s own answer replaces the built-in ones', () => {
    const own = { ...noOwnAnswers, transcript_answer: 'Ask the registrar.' };
    for (const type of ['credit', 'non_credit', 'hybrid'] as const) {
      assert.equal(transcriptAnswer(own, type), 'Ask the registrar.');
    }
    assert.notEqual(defaultAnswers.transcriptCredit, defaultAnswers.transcriptHybrid);
  });
});
