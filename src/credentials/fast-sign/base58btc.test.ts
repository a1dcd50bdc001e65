import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import fc from 'fast-check';
import { decodeBase58btc, encodeBase58btc } from './base58btc.ts';

test('decoding undoes encoding for any bytes, leading zeros included (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      assert.deepEqual(decodeBase58btc(encodeBase58btc(bytes)), bytes);
    }),
  );
  assert.equal(encodeBase58btc(new Uint8Array([0, 0, 1])), '112');
});

test('reads a multibase Ed25519 public key as the key library writes it', async () => {
  const pair = await Ed25519Multikey.generate();
  const bytes = decodeBase58btc(pair.publicKeyMultibase.slice(1));
  assert.equal(bytes.length, 34);
  assert.deepEqual([bytes[0], bytes[1]], [0xed, 0x01]);
  assert.deepEqual(bytes.subarray(2), new Uint8Array(pair.publicKey));
  assert.equal(`z${encodeBase58btc(bytes)}`, pair.publicKeyMultibase);
});

test('encoding undoes decoding for any base58 text: every text is the one spelling of its bytes (property)', () => {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 120 }), (text) => {
      assert.equal(encodeBase58btc(decodeBase58btc(text)), text);
    }),
    { numRuns: 2000 },
  );
});

test('decodes as the reference does, a byte and a digit at a time (property)', () => {
  const reference = (text: string): Uint8Array => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let number = 0n;
    for (const char of text) number = number * 58n + BigInt(alphabet.indexOf(char));
    const bytes: number[] = [];
    for (; number > 0n; number >>= 8n) bytes.unshift(Number(number & 0xffn));
    const zeros = text.length - text.replace(/^1+/, '').length;
    return new Uint8Array([...new Array(zeros).fill(0), ...bytes]);
  };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = encodeBase58btc(bytes);
      assert.deepEqual(decodeBase58btc(text), reference(text));
    }),
    { numRuns: 2000 },
  );
  for (const text of [
    '',
    '1',
    '11',
    '2',
    'z',
    'zzzz',
    '1zzzzz',
    '5Q',
    '5R',
    'LUv',
    'LUw',
    '2NEpo7TZRRrLZSi2U',
  ]) {
    assert.deepEqual(decodeBase58btc(text), reference(text), text);
  }
});

test('encodes as the reference does, a byte and a digit at a time (property)', () => {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const reference = (bytes: Uint8Array): string => {
    let number = 0n;
    for (const byte of bytes) number = number * 256n + BigInt(byte);
    let text = '';
    for (; number > 0n; number /= 58n) text = alphabet[Number(number % 58n)] + text;
    const zeros = bytes.findIndex((byte) => byte !== 0);
    return '1'.repeat(zeros < 0 ? bytes.length : zeros) + text;
  };
  // Runs of 0xff and 0x00 put every limb's rest at its edges, where the quotient needs correcting.
  const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255, 254, 1));
  fc.assert(
    fc.property(fc.array(byteArb, { maxLength: 100 }), (list) => {
      const bytes = new Uint8Array(list);
      assert.equal(encodeBase58btc(bytes), reference(bytes));
    }),
    { numRuns: 3000 },
  );
  for (const length of [1, 32, 64, 65]) {
    for (const fill of [0, 1, 255]) {
      const bytes = new Uint8Array(length).fill(fill);
      assert.equal(encodeBase58btc(bytes), reference(bytes), `${length} × ${fill}`);
    }
  }
});

test('refuses characters outside the alphabet', () => {
  assert.throws(() => decodeBase58btc('abc0'), /unexpected character "0"/);
  assert.throws(() => decodeBase58btc('Il'), /unexpected character "I"/);
  assert.throws(() => decodeBase58btc('zz\u00e9'), /unexpected character "é"/);
  assert.throws(() => decodeBase58btc('11 '), /unexpected character " "/);
});
