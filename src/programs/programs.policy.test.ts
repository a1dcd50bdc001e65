import assert from 'node:assert/strict';
import { test } from 'node:test';
import { programEvents } from './lifecycle.ts';
import {
  hasIndependentDecider,
  isOwnProgram,
  OWN_DECISION_REFUSAL,
  ownDecisionRefusal,
  reviewDecisions,
} from './programs.policy.ts';

const author = { id: 'author' };
const someoneElse = { id: 'someone-else' };
const program = { leadUserId: 'author' };
const unled = { leadUserId: null };

test('separation of duties on a program, as a table: who is refused which action', () => {
  const rows: [string, { id: string }, { leadUserId: string | null }, string, boolean][] = [
    ['the author approves for a pilot', author, program, 'approve_pilot', true],
    ['the author requests changes', author, program, 'request_changes', true],
    ['the author approves a chain step', author, program, 'approve_step', true],
    ['the author returns the full proposal', author, program, 'reject', true],
    ['the author signs', author, program, 'sign', true],
    ['the author submits', author, program, 'submit', false],
    ['the author submits the full proposal', author, program, 'submit_full_proposal', false],
    ['the author retires', author, program, 'retire', false],
    ['someone else approves a chain step', someoneElse, program, 'approve_step', false],
    ['someone else approves a program without a lead', someoneElse, unled, 'approve_pilot', false],
  ];
  for (const [name, actor, target, action, refused] of rows) {
    const refusal = ownDecisionRefusal(actor, target, action as 'sign');
    assert.equal(refusal, refused ? OWN_DECISION_REFUSAL : undefined, name);
  }
});

test("every review decision is refused to the program's lead and to nobody else", () => {
  for (const action of [...programEvents, 'sign' as const]) {
    const isDecision = reviewDecisions.has(action);
    assert.equal(ownDecisionRefusal(author, program, action) !== undefined, isDecision, action);
    assert.equal(ownDecisionRefusal(someoneElse, program, action), undefined, action);
  }
});

test('a program without a lead is nobody’s own', () => {
  assert.equal(isOwnProgram({ id: '' }, unled), false);
});

test('a step needs a decider other than the author', () => {
  assert.equal(hasIndependentDecider([], program), false);
  assert.equal(hasIndependentDecider(['author'], program), false);
  assert.equal(hasIndependentDecider(['author', 'someone-else'], program), true);
  assert.equal(hasIndependentDecider(['someone-else'], unled), true);
});
