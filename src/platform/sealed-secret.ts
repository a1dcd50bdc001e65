import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 's1';

/**
 * The format issuer signing keys were sealed in before this module served every purpose: the same cipher and
 * layout, but HKDF's info was fixed for that one purpose. Installations hold keys sealed so, and a backup restores
 * them as they were; they are read, never written.
 */
const FIRST_FORMAT = { version: 'v1', purpose: 'issuer signing key', info: 'stackable issuer signing key' };

/** The app secret must be long enough that the derived keys are as strong as AES-256 allows. */
const MIN_APP_SECRET_LENGTH = 16;

/**
 * A key for one purpose, derived from the app secret with HKDF-SHA256 and a fresh salt: text sealed for one
 * purpose (an identity provider's client secret, say) cannot be opened as another's.
 */
function keyFor(appSecret: string, info: string, salt: Buffer): Buffer {
  if (appSecret.length < MIN_APP_SECRET_LENGTH) {
    throw new Error(`The app secret must be at least ${MIN_APP_SECRET_LENGTH} characters long.`);
  }
  return Buffer.from(hkdfSync('sha256', appSecret, salt, info, 32));
}

const infoFor = (purpose: string) => `stackable sealed secret: ${purpose}`;

/**
 * Seals a secret that the app must read back later (it cannot be hashed, since it is sent on to someone else) with
 * AES-256-GCM under the app secret. Result: `s1.<salt>.<iv>.<tag>.<ciphertext>`, each part base64url; equal
 * secrets never seal to equal text.
 */
export function sealSecret(appSecret: string, purpose: string, text: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(appSecret, infoFor(purpose), salt), iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [VERSION, ...[salt, iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'))].join(
    '.',
  );
}

/** Opens text sealed by `sealSecret` for the same purpose; throws when the app secret differs or it was altered. */
export function openSealedSecret(appSecret: string, purpose: string, sealed: string): string {
  const [version, salt, iv, tag, body, ...rest] = sealed.split('.');
  const isFirstFormat = version === FIRST_FORMAT.version && purpose === FIRST_FORMAT.purpose;
  if (
    (version !== VERSION && !isFirstFormat) ||
    !salt ||
    !iv ||
    !tag ||
    body === undefined ||
    rest.length > 0
  ) {
    throw new Error(`The stored ${purpose} is not in a format this version of Stackable can read.`);
  }
  const info = isFirstFormat ? FIRST_FORMAT.info : infoFor(purpose);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    keyFor(appSecret, info, Buffer.from(salt, 'base64url')),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch (error) {
    throw new Error(`The stored ${purpose} could not be opened: wrong app secret, or the data was altered.`, {
      cause: error,
    });
  }
}
