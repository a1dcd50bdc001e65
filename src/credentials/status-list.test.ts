import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  buildStatusListCredential,
  createBitstring,
  DEFAULT_LIST_SIZE,
  decodeList,
  encodeList,
  getBit,
  MAX_DECODED_LIST_BYTES,
  pickRandomFreeIndex,
  setBit,
  statusBitOf,
} from './status-list.ts';

describe('bitstring', () => {
  test('starts with every one of 131072 entries clear', () => {
    const bits = createBitstring();
    assert.equal(bits.length * 8, DEFAULT_LIST_SIZE);
    assert.ok(bits.every((byte) => byte === 0));
    assert.throws(() => createBitstring(12), /multiple of 8/);
  });

  test('numbers bits from the left of the first byte, as the W3C spec does', () => {
    const bits = createBitstring(16);
    setBit(bits, 0);
    setBit(bits, 9);
    assert.deepEqual([...bits], [0b1000_0000, 0b0100_0000]);
    setBit(bits, 0, false);
    assert.deepEqual([...bits], [0, 0b0100_0000]);
    assert.equal(getBit(bits, 9), true);
    assert.equal(getBit(bits, 8), false);
  });

  test('refuses indexes outside the list', () => {
    const bits = createBitstring(16);
    assert.throws(() => setBit(bits, 16), /outside/);
    assert.throws(() => getBit(bits, -1), /outside/);
    assert.throws(() => getBit(bits, 1.5), /outside/);
  });
});

describe('encodedList', () => {
  test('is multibase base64url ("u") of the GZIP-compressed bits', () => {
    const bits = createBitstring();
    setBit(bits, 42);
    const encoded = encodeList(bits);
    assert.match(encoded, /^u[A-Za-z0-9_-]+$/);
    assert.deepEqual(new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))), bits);
  });

  test('set bits survive encoding and decoding (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: DEFAULT_LIST_SIZE - 1 }), { maxLength: 200 }), (indexes) => {
        const bits = createBitstring();
        for (const index of indexes) setBit(bits, index);
        const decoded = decodeList(encodeList(bits));
        assert.equal(decoded.length, bits.length);
        const wanted = new Set(indexes);
        for (const index of indexes) assert.equal(getBit(decoded, index), true);
        // Every other position must still be clear: compare whole bytes for speed.
        const expected = createBitstring();
        for (const index of wanted) setBit(expected, index);
        assert.deepEqual(decoded, expected);
      }),
      { numRuns: 60 },
    );
  });

  test('explains why text is not an encoded list', () => {
    assert.throws(() => decodeList('H4sIAAAA'), /start with "u"/);
    assert.throws(() => decodeList('unot-gzip'), /decompressed/);
    assert.throws(() => statusBitOf('H4sIAAAA', 0), /start with "u"/);
    assert.throws(() => statusBitOf('unot-gzip', 0), /decompressed/);
    const tooLong = encodeList(new Uint8Array(MAX_DECODED_LIST_BYTES + 1));
    assert.throws(() => decodeList(tooLong), /decompresses to more than 4 MB/);
    assert.equal(
      decodeList(encodeList(new Uint8Array(MAX_DECODED_LIST_BYTES))).length,
      MAX_DECODED_LIST_BYTES,
    );
  });

  test('one bit read from the encoded list is the bit of the decoded list (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: DEFAULT_LIST_SIZE - 1 }), { maxLength: 50 }),
        fc.array(fc.nat({ max: DEFAULT_LIST_SIZE - 1 }), { maxLength: 50 }),
        (set, asked) => {
          const bits = createBitstring();
          for (const index of set) setBit(bits, index);
          const encoded = encodeList(bits);
          for (const index of [...set, ...asked])
            assert.equal(statusBitOf(encoded, index), getBit(bits, index));
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a position outside the list has no bit', () => {
    const encoded = encodeList(createBitstring(64));
    for (const index of [64, 1000, -1, 1.5, Number.NaN]) assert.equal(statusBitOf(encoded, index), null);
    assert.equal(statusBitOf(encoded, 63), false);
  });

  test('changing a decoded copy changes nothing later readers see', () => {
    const bits = createBitstring();
    setBit(bits, 7);
    const encoded = encodeList(bits);
    const copy = decodeList(encoded);
    setBit(copy, 8);
    setBit(copy, 7, false);
    assert.equal(statusBitOf(encoded, 7), true);
    assert.equal(statusBitOf(encoded, 8), false);
    assert.equal(getBit(decodeList(encoded), 8), false);
  });
});

describe('pickRandomFreeIndex', () => {
  test('never returns an index already in use', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 63 }), { maxLength: 63 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (used, r) => {
          const index = pickRandomFreeIndex(new Set(used), 64, () => r);
          assert.ok(index >= 0 && index < 64);
          assert.ok(!used.includes(index));
        },
      ),
    );
  });

  test('stays inside the list even with a faulty random source', () => {
    for (const faulty of [Number.NaN, 1, -0.5, 7, Number.POSITIVE_INFINITY]) {
      const index = pickRandomFreeIndex(new Set([0]), 16, () => faulty);
      assert.ok(index >= 1 && index < 16, `${faulty} gave ${index}`);
    }
  });

  test('spreads picks over the list and reports a full list', () => {
    const picks = new Set(
      Array.from({ length: 200 }, () => pickRandomFreeIndex(new Set(), DEFAULT_LIST_SIZE)),
    );
    assert.ok(picks.size > 190, 'random picks rarely collide');
    const full = new Set(Array.from({ length: 8 }, (_, index) => index));
    assert.throws(() => pickRandomFreeIndex(full, 8), /full/);
  });
});

describe('buildStatusListCredential', () => {
  test('describes a BitstringStatusListCredential with a BitstringStatusList subject and its ttl', () => {
    const encodedList = encodeList(createBitstring());
    assert.deepEqual(
      buildStatusListCredential({
        id: 'https://northfield.example/status/1',
        issuer: 'did:web:northfield.example',
        purpose: 'suspension',
        encodedList,
        validFrom: new Date('2026-01-01T00:00:00.000Z'),
      }),
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: 'https://northfield.example/status/1',
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: 'did:web:northfield.example',
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: {
          id: 'https://northfield.example/status/1#list',
          type: 'BitstringStatusList',
          statusPurpose: 'suspension',
          encodedList,
          // Five minutes, in milliseconds: how long a verifier may keep the list.
          ttl: 300_000,
        },
      },
    );
  });
});
