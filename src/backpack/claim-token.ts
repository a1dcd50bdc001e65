import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a claim link works: long enough for a learner back from holidays. */
export const CLAIM_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const signatureOf = (secret: string, nonce: string): string =>
  createHmac('sha256', secret)
    .update(`backpack-claim:${nonce}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');

/**
 * A new claim token: 32 random bytes and an HMAC of them under the app secret. The signature lets a forged or
 * mistyped link be turned away without touching the database; the stored hash makes it single-use.
 */
export function newClaimToken(secret: string): string {
  const nonce = randomBytes(32).toString('base64url');
  return `${nonce}.${signatureOf(secret, nonce)}`;
}

/** True when the token has the right shape and was signed with this secret. */
export function isSignedClaimToken(secret: string, token: string): boolean {
  const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return false;
  const expected = Buffer.from(signatureOf(secret, match[1]));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
