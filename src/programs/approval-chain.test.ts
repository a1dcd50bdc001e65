import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type ApprovalChain,
  type ApprovalStepRole,
  fullProposalChain,
  nextStep,
  pilotChain,
  remainingSteps,
  validateChain,
} from './approval-chain.ts';

const chainOf = (...keys: string[]): ApprovalChain => ({
  key: 'test',
  name: 'Test chain',
  steps: keys.map((key) => ({ key, name: `Body ${key}`, role: 'approver' })),
});

describe('demo chains', () => {
  test('both defaults are valid', () => {
    assert.deepEqual(validateChain(pilotChain), { ok: true });
    assert.deepEqual(validateChain(fullProposalChain), { ok: true });
  });

  test('the pilot chain is the faculty senate alone', () => {
    assert.deepEqual(
      pilotChain.steps.map((s) => s.name),
      ['Faculty Senate'],
    );
  });

  test('the full proposal chain ends with the provost after the senate', () => {
    const names = fullProposalChain.steps.map((s) => s.name);
    assert.equal(names.length, 4);
    assert.equal(names[0], 'Interdisciplinary sub-committee');
    assert.equal(names.at(-1), 'Provost');
    assert.ok(names.indexOf('Faculty Senate committees') < names.indexOf('Faculty Senate'));
  });
});

describe('nextStep and remainingSteps', () => {
  const chain = chainOf('a', 'b', 'c');

  test('walks the chain in order', () => {
    assert.equal(nextStep(chain, [])?.key, 'a');
    assert.equal(nextStep(chain, ['a'])?.key, 'b');
    assert.equal(nextStep(chain, ['a', 'b'])?.key, 'c');
    assert.equal(nextStep(chain, ['a', 'b', 'c']), undefined);
    assert.deepEqual(
      [[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map((done) => remainingSteps(chain, done)),
      [3, 2, 1, 0],
    );
  });

  test('an earlier gap is the next step even if later steps are recorded', () => {
    assert.equal(nextStep(chain, ['b', 'c'])?.key, 'a');
    assert.equal(remainingSteps(chain, ['b', 'c']), 1);
  });

  test('unknown and repeated keys do not count', () => {
    assert.equal(remainingSteps(chain, ['zzz', 'a', 'a']), 2);
    assert.equal(nextStep(chain, ['zzz'])?.key, 'a');
  });

  test('accepts any iterable of keys', () => {
    assert.equal(remainingSteps(chain, new Set(['a', 'c'])), 1);
    assert.equal(nextStep(chain, new Set(['a', 'c']))?.key, 'b');
  });

  test('property: approving the next step lowers the remaining count by one until none is left', () => {
    const keysArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(keysArb, (keys) => {
        const c = chainOf(...keys);
        const done: string[] = [];
        for (let i = 0; i < keys.length; i++) {
          const before = remainingSteps(c, done);
          const step = nextStep(c, done);
          assert.ok(step);
          assert.equal(step.key, keys[i]);
          done.push(step.key);
          assert.equal(remainingSteps(c, done), before - 1);
        }
        assert.equal(nextStep(c, done), undefined);
        assert.equal(remainingSteps(c, done), 0);
      }),
    );
  });

  test('property: nextStep is undefined exactly when nothing remains', () => {
    const keys = ['k1', 'k2', 'k3', 'k4'];
    fc.assert(
      fc.property(fc.subarray([...keys, 'other']), (done) => {
        const c = chainOf(...keys);
        assert.equal(nextStep(c, done) === undefined, remainingSteps(c, done) === 0);
      }),
    );
  });
});

describe('validateChain', () => {
  test('an empty chain is rejected', () => {
    const result = validateChain(chainOf());
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problems, ['The chain needs at least one step']);
  });

  test('duplicate step keys are rejected and named', () => {
    const result = validateChain(chainOf('senate', 'provost', 'senate'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.problems, ['Step 3 repeats the key "senate"']);
  });

  test('blank keys and names and unknown roles are reported together', () => {
    const chain: ApprovalChain = {
      key: ' ',
      name: '',
      steps: [
        { key: '', name: 'Senate', role: 'approver' },
        { key: 'provost', name: '  ', role: 'dean' as ApprovalStepRole },
      ],
    };
    const result = validateChain(chain);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.deepEqual(result.problems, [
        'The chain needs a key',
        'The chain needs a name',
        'Step 1 needs a key',
        'Step 2 needs a name',
        'Step 2 has an unknown role "dean"',
      ]);
    }
  });

  test('property: a chain of unique non-blank keys is valid; adding a duplicate makes it invalid', () => {
    const keyArb = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k.trim() !== '');
    fc.assert(
      fc.property(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 }), fc.nat(), (keys, pick) => {
        assert.deepEqual(validateChain(chainOf(...keys)), { ok: true });
        const dup = keys[pick % keys.length]!;
        assert.equal(validateChain(chainOf(...keys, dup)).ok, false);
      }),
    );
  });
});
