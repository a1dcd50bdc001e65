import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { AppError } from '../../errors.ts';
import { CIPHER_MAGIC, decryptingStream, encryptingStream } from './archive-cipher.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

/** `bytes` through `cipher`, fed in chunks of the given sizes (cycled), as a file read in pieces would be. */
async function through(
  cipher: Transform,
  bytes: Buffer,
  sizes: number[] = [bytes.length || 1],
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), cipher, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return Buffer.concat(out);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected a refusal'),
    (error: unknown) => {
      assert.ok(error instanceof AppError, String(error));
      return error.publicMessage;
    },
  );

describe('backup archive encryption', () => {
  test('what is encrypted decrypts to the same bytes, however the file is cut into chunks', async () => {
    for (const length of [0, 1, 15, 16, 17, 4096, 100_003]) {
      const plain = randomBytes(length);
      const sealed = await through(encryptingStream(SECRET), plain);
      assert.ok(sealed.subarray(0, CIPHER_MAGIC.length).equals(CIPHER_MAGIC));
      assert.ok(!sealed.includes(plain.subarray(0, 64)) || length < 8, 'the content does not show through');
      for (const sizes of [[1], [7, 3, 61], [sealed.length]]) {
        assert.deepEqual(await through(decryptingStream(SECRET), sealed, sizes), plain, `${length} ${sizes}`);
      }
    }
  });

  test('the same content encrypts differently each time (fresh salt and IV)', async () => {
    const plain = Buffer.from('the same rows');
    const [a, b] = await Promise.all([1, 2].map(() => through(encryptingStream(SECRET), plain)));
    assert.notDeepEqual(a, b);
  });

  test('another secret is refused from the header, before the content', async () => {
    const sealed = await through(encryptingStream(SECRET), randomBytes(1000));
    const header = sealed.subarray(0, CIPHER_MAGIC.length + 44);
    assert.match(
      await refusal(through(decryptingStream('another-secret-of-thirty-two-characters'), header)),
      /another STACKABLE_SECRET/,
    );
  });

  test('any changed byte, a cut, or a missing header is refused', async () => {
    const sealed = await through(encryptingStream(SECRET), randomBytes(300));
    for (const at of [CIPHER_MAGIC.length + 40, sealed.length - 100, sealed.length - 1]) {
      const changed = Buffer.from(sealed);
      changed[at] = (changed[at] ?? 0) ^ 0x80;
      assert.match(await refusal(through(decryptingStream(SECRET), changed)), /changed or damaged|another/);
    }
    assert.match(
      await refusal(through(decryptingStream(SECRET), sealed.subarray(0, sealed.length - 5))),
      /changed or damaged|cut short/,
    );
    assert.match(
      await refusal(through(decryptingStream(SECRET), sealed.subarray(0, CIPHER_MAGIC.length + 50))),
      /cut short/,
    );
    assert.match(await refusal(through(decryptingStream(SECRET), sealed.subarray(0, 10))), /cut short/);
    assert.match(await refusal(through(decryptingStream(SECRET), Buffer.alloc(0))), /empty/);
    assert.match(
      await refusal(through(decryptingStream(SECRET), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))),
      /not encrypted/,
    );
    assert.match(
      await refusal(through(decryptingStream(SECRET), Buffer.from('hello'))),
      /not a Stackable backup/,
    );
  });
});
