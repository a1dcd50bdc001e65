import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret for a wallet offer: 32 random bytes, URL-safe, never stored as such. */
export const newWalletSecret = (): string => randomBytes(32).toString('base64url');

/** What is kept of a secret: its SHA-256, so the stored rows give nobody a usable code or token. */
export const hashWalletSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('base64url');

/** How long a c_nonce from the nonce endpoint may be used in a proof. */
export const NONCE_SECONDS = 300;

const nonceMac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(`oid4vci-nonce:${body}`).digest('base64url');

/**
 * A c_nonce for an OID4VCI key proof. It carries its own expiry and a MAC under the app secret, so the nonce
 * endpoint writes nothing and any process can check it; a proof cannot be used twice anyway, because each access
 * token delivers one credential.
 */
export function newNonce(secret: string, now: Date): string {
  const body = `${Math.floor(now.getTime() / 1000) + NONCE_SECONDS}.${randomBytes(12).toString('base64url')}`;
  return `${body}.${nonceMac(secret, body)}`;
}

/** Whether a c_nonce is one of ours and still fresh. */
export function isFreshNonce(secret: string, nonce: unknown, now: Date): boolean {
  if (typeof nonce !== 'string' || nonce.length > 200) return false;
  const cut = nonce.lastIndexOf('.');
  if (cut < 0) return false;
  const body = nonce.slice(0, cut);
  const given = Buffer.from(nonce.slice(cut + 1));
  const expected = Buffer.from(nonceMac(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const expires = Number(body.split('.')[0]);
  return Number.isFinite(expires) && expires * 1000 > now.getTime();
}
