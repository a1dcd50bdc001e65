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

/**
 * The issuer check, from the trust decided on the signer. Ours and known issuers pass. An unknown signer is a
 * warning (the badge may be genuine, but nobody we know vouches for it). A badge that calls itself by this
 * institution's name but was signed by anyone else fails, known signer or not: that is how a forgery looks. A
 * signature that vouches for another issuer than the one named fails too.
 */
export function checkIssuer(trust: IssuerTrust, proofStatus: CheckStatus): Check {
  let status: CheckStatus;
  if (trust.level === 'unverified') status = proofStatus === 'passed' ? 'failed' : 'skipped';
  else if (trust.usesOurName) status = 'failed';
  else status = trust.level === 'unknown' ? 'warning' : 'passed';
  return { id: 'issuer', status, message: trust.message };
}
