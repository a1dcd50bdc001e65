import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { copyJson } from './copy-json.ts';
import { describeShape } from './document-shape.ts';
import { readShape, ShapeKeys, type ShapeReading } from './shape-code.ts';
import { cohortCredentialsArb, programCredentialArb, unsignedCredentialArb } from './test-arbitraries.ts';

const DID = 'did:key:z6MkfP6qedoGtu6znfGmtPrSUQuqev9HhsENDiF9XLZtPBH2';

// Small JSON documents over few names and values, so that two of them often share a shape and often
// differ by one structural detail: a structural name, a number's kind, a list's length, the order of keys.
const smallJsonArb = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 'type', 'x:y'),
    fc.constantFrom(0, 1, 1.5, -2, 1e21),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'type', '@type', '@context', 'id'), tie('value'), {
    maxKeys: 3,
  }),
})).object;

function readOrFail(document: object, copy = false): ShapeReading {
  const reading = readShape(document, copy);
  // The message is written only on failure: writing it reads the document again.
  if (!reading) assert.fail(`declined ${JSON.stringify(document)}`);
  return reading;
}

/** describeShape's key, or undefined when it refuses the document. */
function keyOf(document: object): string | undefined {
  try {
    return describeShape(document).key;
  } catch {
    return undefined;
  }
}

describe('readShape', () => {
  test('two documents have equal codes exactly when describeShape gives them equal keys (property)', () => {
    let sameShapes = 0;
    let compared = 0;
    fc.assert(
      fc.property(smallJsonArb, smallJsonArb, (a, b) => {
        const first = readShape(a, false);
        const firstCode = first && [...first.code];
        const second = readShape(b, false);
        if (!firstCode || !second) return;
        const sameCode =
          firstCode.length === second.code.length && firstCode.every((n, i) => n === second.code[i]);
        assert.equal(sameCode, keyOf(a) === keyOf(b));
        compared += 1;
        if (sameCode) sameShapes += 1;
      }),
      { numRuns: 3000 },
    );
    // Meaningful only if many pairs were read and some shared a shape.
    assert.ok(compared > 500 && sameShapes > 50, `${compared} compared, ${sameShapes} shared a shape`);
  });

  test('credentials: equal codes exactly when equal keys, the same free values, and a plain copy (property)', () => {
    const documents = [
      ...fc.sample(unsignedCredentialArb(DID), { numRuns: 80, seed: 5 }),
      ...fc.sample(programCredentialArb(DID), { numRuns: 80, seed: 6 }),
      ...fc.sample(cohortCredentialsArb(DID), { numRuns: 30, seed: 7 }).flat(),
    ];
    const readings = documents.map((document) => {
      const reading = readOrFail(document, true);
      const shape = describeShape(document);
      assert.deepEqual(reading.slots, shape.slots);
      assert.deepEqual(reading.copy, copyJson(document));
      assert.notEqual(reading.copy, document);
      return { code: [...reading.code], key: shape.key };
    });
    let sameShapes = 0;
    for (let i = 0; i < readings.length; i += 1) {
      for (let j = i + 1; j < readings.length; j += 1) {
        const sameCode = readings[i]!.code.join() === readings[j]!.code.join();
        assert.equal(sameCode, readings[i]!.key === readings[j]!.key);
        if (sameCode) sameShapes += 1;
      }
    }
    // The comparison means something only if some documents do share a shape.
    assert.ok(sameShapes > 100, `only ${sameShapes} pairs share a shape`);
  });

  test('documents one structural detail apart have different codes', () => {
    const documents: object[] = [
      { a: 's' },
      { a: 1 },
      { a: 1.5 },
      { a: true },
      { a: false },
      { a: null },
      { a: [] },
      { a: ['s'] },
      { a: [1] },
      { a: {} },
      { b: 's' },
      { type: 's' },
      { type: 't' },
      { type: ['s'] },
      { '@type': 's' },
      { a: 's', b: 's' },
      { b: 's', a: 's' },
      { a: { b: 's' }, c: 's' },
      { a: { b: 's', c: 's' } },
      { a: [['s'], 's'] },
      { a: [['s', 's']] },
      { a: [{}, {}] },
      { a: [{}] },
      { '@context': ['x'], a: 's' },
      { '@context': 'x', a: 's' },
      { '@context': ['x', 'y'], a: 's' },
    ];
    const codes = documents.map((document) => readOrFail(document).code.join());
    const keys = documents.map((document) => describeShape(document).key);
    assert.equal(new Set(keys).size, documents.length);
    assert.equal(new Set(codes).size, documents.length);
  });

  test('the copy shares no object or list with the document', () => {
    const document = { '@context': ['c'], type: ['T'], a: [{ b: 'x' }], c: { d: 1 } };
    const copy = readOrFail(document, true).copy as typeof document;
    assert.deepEqual(copy, document);
    assert.notEqual(copy['@context'], document['@context']);
    assert.notEqual(copy.type, document.type);
    assert.notEqual(copy.a, document.a);
    assert.notEqual(copy.a[0], document.a[0]);
    assert.notEqual(copy.c, document.c);
  });

  test('each property is read once, so the copy and the values canonicalized agree', () => {
    let reads = 0;
    const document = {
      get name() {
        reads += 1;
        return `read ${reads}`;
      },
    };
    const reading = readOrFail(document, true);
    assert.equal(reads, 1);
    assert.deepEqual(reading.slots, ['read 1']);
    assert.deepEqual(reading.copy, { name: 'read 1' });
  });

  test('declines what describeShape or copyJson treat specially', () => {
    const declined: object[] = [
      { a: Number.NaN },
      { a: Number.POSITIVE_INFINITY },
      { a: undefined },
      { a: () => 1 },
      { a: Symbol('s') },
      { a: 1n },
      { a: new Date(0) },
      { a: new Map() },
      // biome-ignore lint/suspicious/noSparseArray: a hole is the case.
      { a: [1, , 3] },
      JSON.parse('{"__proto__": {"a": 1}}'),
      { '@context': [{ name: 'https://example.org/name' }] },
      { '@context': { name: 'https://example.org/name' } },
      { type: 3 },
      // biome-ignore lint/suspicious/noSparseArray: a hole is the case.
      { type: ['A', , 'B'] },
      new (class Badge {})(),
    ];
    for (const document of declined) {
      assert.equal(readShape(document, false), undefined, String(Object.keys(document)));
      assert.equal(readShape(document, true), undefined, String(Object.keys(document)));
    }
  });

  test('reads objects without a prototype, as describeShape does', () => {
    const document = Object.assign(Object.create(null) as object, { a: 'x', b: [1, 2.5] });
    const reading = readOrFail(document, true);
    assert.deepEqual(reading.slots, describeShape(document).slots);
    assert.deepEqual(reading.copy, { a: 'x', b: [1, 2.5] });
  });
});

describe('ShapeKeys', () => {
  test('finds the key remembered for a shape, for any document of that shape', () => {
    const keys = new ShapeKeys(8);
    const a = readOrFail({ id: 'urn:a', type: 'T', n: 1 });
    assert.equal(keys.find(a), undefined);
    keys.remember(a, 'key of a');
    assert.equal(keys.find(readOrFail({ id: 'urn:other', type: 'T', n: 7 })), 'key of a');
    assert.equal(keys.find(readOrFail({ id: 'urn:a', type: 'U', n: 1 })), undefined);
    assert.equal(keys.find(readOrFail({ id: 'urn:a', type: 'T', n: 1.5 })), undefined);
    assert.equal(keys.find(readOrFail({ type: 'T', id: 'urn:a', n: 1 })), undefined);
  });

  test('keeps at most its capacity, dropping the oldest first', () => {
    const keys = new ShapeKeys(2);
    const shapes = [{ a: 's' }, { b: 's' }, { c: 's' }].map((document) => readOrFail(document));
    shapes.forEach((reading, index) => {
      keys.remember(reading, `key ${index}`);
    });
    assert.equal(keys.find(shapes[0]!), undefined);
    assert.equal(keys.find(shapes[1]!), 'key 1');
    assert.equal(keys.find(shapes[2]!), 'key 2');
  });
});
