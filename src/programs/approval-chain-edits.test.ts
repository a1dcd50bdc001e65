import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type ApprovalChain, fullProposalChain, pilotChain, validateChain } from './approval-chain.ts';
import { applyChainEdit, type ChainEdit, isSameChain, stepKeyFor } from './approval-chain-edits.ts';

const names = (chain: ApprovalChain) => chain.steps.map((s) => s.name);

function edited(chain: ApprovalChain, edit: ChainEdit): ApprovalChain {
  const result = applyChainEdit(chain, edit);
  assert.ok(result.ok, `expected ${edit.kind} to succeed: ${JSON.stringify(result)}`);
  return result.chain;
}

describe('editing an approval chain', () => {
  test('a step may name a person, and saving it without one decides by role again', () => {
    const pat = { id: 'p1', name: 'Pat Provost', email: 'pat@example.edu' };
    const added = applyChainEdit(pilotChain, { kind: 'add_step', name: 'Provost', role: 'approver' }, pat);
    assert.ok(added.ok);
    assert.deepEqual(added.chain.steps[1]!.person, pat);
    assert.equal(validateChain(added.chain).ok, true);
    assert.equal(isSameChain(pilotChain, added.chain), false);
    const cleared = edited(added.chain, {
      kind: 'update_step',
      stepKey: 'provost',
      name: 'Provost',
      role: 'approver',
    });
    assert.equal(cleared.steps[1]!.person, undefined);
    assert.equal(isSameChain(added.chain, cleared), false, 'clearing the person is a change');
  });

  test('a step is added at the end, or before the step named by its place', () => {
    const last = edited(pilotChain, { kind: 'add_step', name: 'Provost', role: 'approver' });
    assert.deepEqual(names(last), ['Faculty Senate', 'Provost']);
    assert.equal(last.steps[1]!.key, 'provost');
    const first = edited(last, { kind: 'add_step', name: 'Dean’s council', role: 'admin', position: 1 });
    assert.deepEqual(names(first), ['Dean’s council', 'Faculty Senate', 'Provost']);
    const beyond = edited(pilotChain, { kind: 'add_step', name: 'Board', role: 'approver', position: 99 });
    assert.deepEqual(names(beyond), ['Faculty Senate', 'Board']);
  });

  test('a new step gets a key of its own even when its name would repeat an existing key', () => {
    assert.equal(stepKeyFor('Faculty Senate', ['faculty_senate']), 'faculty_senate_2');
    assert.equal(stepKeyFor('Faculty  Senate!', ['faculty_senate', 'faculty_senate_2']), 'faculty_senate_3');
    assert.equal(stepKeyFor('***', []), 'step');
    assert.equal(stepKeyFor('Comité académique', []), 'comite_academique');
  });

  test('a step keeps its key when renamed, so decisions already recorded for it still count', () => {
    const renamed = edited(pilotChain, {
      kind: 'update_step',
      stepKey: 'faculty_senate',
      name: 'Academic Senate',
      role: 'credentials_office',
    });
    assert.deepEqual(renamed.steps, [
      { key: 'faculty_senate', name: 'Academic Senate', role: 'credentials_office' },
    ]);
  });

  test('steps move up and down; past either end nothing changes', () => {
    const down = edited(fullProposalChain, { kind: 'move_step', stepKey: 'provost', direction: 'up' });
    assert.deepEqual(names(down).slice(2), ['Provost', 'Faculty Senate']);
    const top = edited(fullProposalChain, {
      kind: 'move_step',
      stepKey: 'interdisciplinary_subcommittee',
      direction: 'up',
    });
    assert.ok(isSameChain(top, fullProposalChain));
    const bottom = edited(fullProposalChain, { kind: 'move_step', stepKey: 'provost', direction: 'down' });
    assert.ok(isSameChain(bottom, fullProposalChain));
  });

  test('a step is removed, but never the last one', () => {
    const shorter = edited(fullProposalChain, { kind: 'remove_step', stepKey: 'senate_committees' });
    assert.equal(shorter.steps.length, 3);
    assert.deepEqual(applyChainEdit(pilotChain, { kind: 'remove_step', stepKey: 'faculty_senate' }), {
      ok: false,
      kind: 'last_step',
    });
  });

  test('an unknown step is reported as missing, not as a field problem', () => {
    for (const edit of [
      { kind: 'remove_step', stepKey: 'nobody' },
      { kind: 'move_step', stepKey: 'nobody', direction: 'up' },
      { kind: 'update_step', stepKey: 'nobody', name: 'X', role: 'approver' },
    ] as ChainEdit[]) {
      assert.deepEqual(applyChainEdit(pilotChain, edit), { ok: false, kind: 'missing_step' });
    }
  });

  test('blank, too long or repeated names, unknown roles and unreadable places are refused field by field', () => {
    const problems = (edit: ChainEdit) => {
      const result = applyChainEdit(fullProposalChain, edit);
      assert.equal(result.ok, false);
      return result.ok === false && result.kind === 'invalid' ? result.problems : [];
    };
    assert.deepEqual(problems({ kind: 'add_step', name: '  ', role: 'dean', position: 0 }), [
      { field: 'name', reason: 'is required' },
      { field: 'role', reason: 'must be one of the roles offered' },
      { field: 'position', reason: 'must be one of the places offered' },
    ]);
    assert.deepEqual(problems({ kind: 'add_step', name: 'provost', role: 'approver' }), [
      { field: 'name', reason: 'is already the name of another step in this chain' },
    ]);
    assert.deepEqual(problems({ kind: 'add_step', name: 'x'.repeat(121), role: 'approver' }), [
      { field: 'name', reason: 'must be at most 120 characters' },
    ]);
    assert.deepEqual(
      problems({ kind: 'update_step', stepKey: 'provost', name: 'Faculty Senate', role: 'approver' }),
      [{ field: 'name', reason: 'is already the name of another step in this chain' }],
    );
    assert.deepEqual(problems({ kind: 'rename_chain', name: '' }), [
      { field: 'chain_name', reason: 'is required' },
    ]);
    assert.deepEqual(problems({ kind: 'add_step', name: 'Board', role: 'approver', position: Number.NaN }), [
      { field: 'position', reason: 'must be one of the places offered' },
    ]);
  });

  test('a step may keep its own name when only its role changes', () => {
    const changed = edited(fullProposalChain, {
      kind: 'update_step',
      stepKey: 'provost',
      name: 'Provost',
      role: 'admin',
    });
    assert.equal(changed.steps.at(-1)!.role, 'admin');
  });

  test('any sequence of accepted edits leaves a valid chain with unique keys and names', () => {
    // An intent names its step by position, resolved against the chain as it is when the edit comes.
    const intentArb = fc.record({
      kind: fc.constantFrom('add_step', 'update_step', 'move_step', 'remove_step'),
      at: fc.integer({ min: 0, max: 8 }),
      name: fc.constantFrom('Senate', 'Provost', 'Board', 'Dean', 'Council', 'senate', 'Dean ', ''),
      role: fc.constantFrom('approver', 'credentials_office', 'admin', 'dean'),
      position: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      direction: fc.constantFrom('up' as const, 'down' as const),
    });
    type Intent = typeof intentArb extends fc.Arbitrary<infer T> ? T : never;
    const editOf = (chain: ApprovalChain, intent: Intent): ChainEdit => {
      const stepKey = chain.steps[intent.at]?.key ?? 'gone';
      const { name, role, position, direction } = intent;
      switch (intent.kind) {
        case 'add_step':
          return { kind: 'add_step', name, role, position };
        case 'update_step':
          return { kind: 'update_step', stepKey, name, role };
        case 'move_step':
          return { kind: 'move_step', stepKey, direction };
        default:
          return { kind: 'remove_step', stepKey };
      }
    };
    fc.assert(
      fc.property(fc.array(intentArb, { maxLength: 30 }), (intents) => {
        let chain: ApprovalChain = fullProposalChain;
        for (const intent of intents) {
          const result = applyChainEdit(chain, editOf(chain, intent));
          if (result.ok) chain = result.chain;
          assert.deepEqual(validateChain(chain), { ok: true });
          assert.equal(new Set(chain.steps.map((s) => s.key)).size, chain.steps.length);
          const lower = chain.steps.map((s) => s.name.toLowerCase());
          assert.equal(new Set(lower).size, lower.length);
        }
      }),
    );
  });
});
