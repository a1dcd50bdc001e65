import { issuerIdOf } from './check-jwt-proof.ts';
import type { IssuerTrust } from './issuer-trust.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { Check, CheckStatus } from './verification-types.ts';

/** The name the badge gives its issuer, or null: a claim only its signer vouches for. */
export function claimedIssuerNameOf(credential: JsonObject): string | null {
  const issuer = credential.issuer;
  return isObject(issuer) && typeof issuer.name === 'string' && issuer.name.trim() !== ''
    ? issuer.name.trim()
    : null;
}

/** The issuer's display name, falling back to its id. */
export function issuerNameOf(credential: JsonObject): string {
  return claimedIssuerNameOf(credential) ?? issuerIdOf(credential) ?? 'an unnamed issuer';
}

/**
 * The issuer check, from the trust decided on the signer. Ours and known issuers pass. An unknown signer is a
 * warning (the badge may be genuine, but nobody we know vouches for it) unless it borrows this institution's
 * name, which is a failure: that is how a forgery looks. A signature that vouches for another issuer fails.
 */
export function checkIssuer(trust: IssuerTrust, proofStatus: CheckStatus): Check {
  const status: CheckStatus =
    trust.level === 'ours' || trust.level === 'known'
      ? trust.usesOurName
        ? 'warning'
        : 'passed'
      : trust.level === 'unknown'
        ? trust.usesOurName
          ? 'failed'
          : 'warning'
        : proofStatus === 'passed'
          ? 'failed'
          : 'skipped';
  return { id: 'issuer', status, message: trust.message };
}
