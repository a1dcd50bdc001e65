import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { copyJson } from './copy-json.ts';

test('copies JSON values deeply, as structuredClone does, sharing nothing (property)', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const copy = copyJson(value);
      assert.deepStrictEqual(copy, structuredClone(value));
      if (value !== null && typeof value === 'object') assert.notEqual(copy, value);
    }),
    { numRuns: 500 },
  );
});

test('leaves what is not plain JSON to structuredClone, keeping its meaning', () => {
  const when = new Date('2026-05-01T09:00:00Z');
  const copied = copyJson({ a: [1, { when }], b: undefined });
  assert.ok(copied.a[1] && (copied.a[1] as { when: Date }).when instanceof Date);
  assert.notEqual((copied.a[1] as { when: Date }).when, when);
  assert.ok('b' in copied);
  // A key named __proto__ stays a plain key, not the copy's prototype.
  const tricky = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
  const copy = copyJson(tricky);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.deepEqual(Object.keys(copy), ['__proto__', 'x']);
  // Holes are kept as holes.
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the case.
  const sparse = copyJson([1, , 3]);
  assert.equal(1 in sparse, false);
  assert.throws(() => copyJson({ f: () => 1 }), /could not be cloned/);
});
