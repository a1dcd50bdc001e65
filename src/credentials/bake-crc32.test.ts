import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeCrc32 } from './bake-crc32.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('computeCrc32', () => {
  test('matches published CRC-32 check values', () => {
    assert.equal(computeCrc32(bytes('')), 0);
    assert.equal(computeCrc32(bytes('123456789')), 0xcbf43926);
    assert.equal(computeCrc32(bytes('The quick brown fox jumps over the lazy dog')), 0x414fa339);
    // The CRC of an empty IEND chunk, as every PNG file ends with it.
    assert.equal(computeCrc32(bytes('IEND')), 0xae426082);
  });

  test('can checksum a range without copying', () => {
    const data = bytes('xx123456789yy');
    assert.equal(computeCrc32(data, 2, 11), 0xcbf43926);
  });
});
