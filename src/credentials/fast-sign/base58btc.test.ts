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

test('refuses characters outside the alphabet', () => {
  assert.throws(() => decodeBase58btc('abc0'), /unexpected character "0"/);
  assert.throws(() => decodeBase58btc('Il'), /unexpected character "I"/);
});
