import { issuerIdOf } from './check-jwt-proof.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { Check, CheckStatus } from './verification-types.ts';

/** The issuer's display name, falling back to its id. */
export function issuerNameOf(credential: JsonObject): string {
  const issuer = credential.issuer;
  if (isObject(issuer) && typeof issuer.name === 'string' && issuer.name.trim() !== '')
    return issuer.name.trim();
  return issuerIdOf(credential) ?? 'an unnamed issuer';
}

/**
 * Says who issued the badge and whether that is this institution. Another issuer is a warning, not a
 * failure: the badge may be genuine, but only its signature vouches for it, not us.
 */
export function checkIssuer(
  credential: JsonObject,
  ourIssuerDids: readonly string[],
  proofStatus: CheckStatus,
): Check {
  const name = issuerNameOf(credential);
  const id = issuerIdOf(credential);
  if (proofStatus !== 'passed') {
    return {
      id: 'issuer',
      status: 'skipped',
      message: `The badge names ${name} as its issuer, but without a valid signature that cannot be confirmed.`,
    };
  }
  if (id && ourIssuerDids.includes(id)) {
    return { id: 'issuer', status: 'passed', message: `Issued by ${name}, an issuer of this institution.` };
  }
  return {
    id: 'issuer',
    status: 'warning',
    message: `Issued by someone else: ${name} (${id ?? 'no identifier'}).`,
  };
}
