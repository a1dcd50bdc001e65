/**
 * SHA-256 of text (as UTF-8), in one call. Node's one-shot `crypto.hash` (20.12 and later) skips the Hash
 * object, which is most of the cost for the short texts canonicalization hashes; older Nodes use createHash.
 */
import * as crypto from 'node:crypto';

type OneShot = (
  algorithm: string,
  data: string,
  outputEncoding: 'hex' | 'latin1' | 'buffer',
) => string | Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex') as string
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export const sha256Bytes: (text: string) => Buffer = oneShot
  ? (text) => oneShot('sha256', text, 'buffer') as Buffer
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest();

/**
 * The digest as 32 latin1 characters, one per byte: cheaper than a Buffer to make, ordered as the bytes (and
 * as their hex) are, and written into a buffer with `buffer.write(digest, offset, 'latin1')`.
 */
export const sha256Latin1: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'latin1') as string
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('binary');
