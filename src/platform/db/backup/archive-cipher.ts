import {
  createCipheriv,
  createDecipheriv,
  type DecipherGCM,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../errors.ts';

/**
 * A backup file is its gzip'd archive encrypted with AES-256-GCM under a key derived from the app secret, so a
 * copied backup reveals nothing (password hashes, sealed keys, learners' records) and an edited one is refused:
 *
 * ```
 * "STACKABLE-BACKUP/AES-256-GCM/1\n" | salt (16) | key check (16) | iv (12) | ciphertext … | tag (16)
 * ```
 * HKDF-SHA256 over the secret and a fresh salt gives the key and, separately, the key check: a restore with
 * another secret is refused at the first bytes, instead of after reading the whole file to the tag. One key and
 * IV encrypt at most 64 GiB under GCM, far above any installation's backup.
 */
export const CIPHER_MAGIC = Buffer.from('STACKABLE-BACKUP/AES-256-GCM/1\n', 'latin1');
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = CIPHER_MAGIC.length + SALT_BYTES + CHECK_BYTES + IV_BYTES;

function keysFor(secret: string, salt: Buffer): { key: Buffer; check: Buffer } {
  const bytes = Buffer.from(hkdfSync('sha256', secret, salt, 'stackable backup archive', 32 + CHECK_BYTES));
  return { key: bytes.subarray(0, 32), check: bytes.subarray(32) };
}

const refused = (reason: string) =>
  new AppError('UNPROCESSABLE', `The backup file cannot be opened: ${reason}.`, [{ field: 'file', reason }]);

/** A file that does not start as ours: a plain gzip'd archive, or anything else. */
const notOurs = (start: Buffer) =>
  refused(
    start[0] === 0x1f && start[1] === 0x8b
      ? 'it is not encrypted, so it was not written by `stackable backup` of this version'
      : 'it is not a Stackable backup',
  );

/** Encrypts what passes through: the header first, the tag after the last byte. */
export function encryptingStream(secret: string): Transform {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const { key, check } = keysFor(secret, salt);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  let started = false;
  const header = () => {
    if (started) return [];
    started = true;
    return [CIPHER_MAGIC, salt, check, iv];
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      done(null, Buffer.concat([...header(), cipher.update(chunk)]));
    },
    flush(done: TransformCallback) {
      done(null, Buffer.concat([...header(), cipher.final(), cipher.getAuthTag()]));
    },
  });
}

/**
 * Decrypts a file written by `encryptingStream`. The last 16 bytes are held back until the end, where they are the
 * tag: a file changed anywhere, or cut short, fails there, so a reader that commits only after the end (restore
 * does) never commits an altered file.
 */
export function decryptingStream(secret: string): Transform {
  let head = Buffer.alloc(0);
  let held = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;

  function open(header: Buffer): DecipherGCM {
    if (!header.subarray(0, CIPHER_MAGIC.length).equals(CIPHER_MAGIC)) throw notOurs(header);
    const at = CIPHER_MAGIC.length;
    const salt = header.subarray(at, at + SALT_BYTES);
    const expected = header.subarray(at + SALT_BYTES, at + SALT_BYTES + CHECK_BYTES);
    const iv = header.subarray(at + SALT_BYTES + CHECK_BYTES, HEADER_BYTES);
    const { key, check } = keysFor(secret, salt);
    if (!timingSafeEqual(check, expected)) {
      throw refused(
        'it was written with another STACKABLE_SECRET (set the secret the backed-up installation used)',
      );
    }
    return createDecipheriv('aes-256-gcm', key, iv);
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        let data = chunk;
        if (!decipher) {
          head = Buffer.concat([head, data]);
          if (head.length < HEADER_BYTES) return done();
          decipher = open(head);
          data = head.subarray(HEADER_BYTES);
        }
        held = Buffer.concat([held, data]);
        const ready = held.length - TAG_BYTES;
        if (ready <= 0) return done();
        const out = decipher.update(held.subarray(0, ready));
        held = held.subarray(ready);
        done(null, out);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!decipher) {
        if (head.length === 0) return done(refused('it is empty'));
        const prefix = head.subarray(0, CIPHER_MAGIC.length);
        if (!CIPHER_MAGIC.subarray(0, prefix.length).equals(prefix)) return done(notOurs(head));
        return done(refused('it ends before its encryption header is complete (it was cut short)'));
      }
      if (held.length < TAG_BYTES)
        return done(refused('it ends before its encryption tag (it was cut short)'));
      decipher.setAuthTag(held);
      try {
        done(null, decipher.final());
      } catch {
        done(
          refused(
            'its content was changed or damaged after it was written (the encryption tag does not match)',
          ),
        );
      }
    },
  });
}
