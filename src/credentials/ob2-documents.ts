/**
 * Open Badges 2.0 forms of the credentials this institution issues, for the many backpacks and platforms that read
 * only 2.0: an issuer Profile, a BadgeClass per program and a hosted Assertion per credential, all derived from
 * the stored 3.0 credential (one record, two versions). Pure.
 */
import type { BadgeInput } from './build-credential.ts';

export const OB2_CONTEXT = 'https://w3id.org/openbadges/v2';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The stable public addresses of the 2.0 documents. */
export interface Ob2Addresses {
  issuer: string;
  /** Every hosted assertion lives under this prefix; the issuer Profile declares it as its verification scope. */
  assertions: string;
  badge(programId: string): string;
  assertion(credentialId: string): string;
}

export function ob2Addresses(publicUrl: string): Ob2Addresses {
  const base = `${publicUrl}/ob2`;
  return {
    issuer: `${base}/issuer`,
    assertions: `${base}/assertions/`,
    badge: (programId) => `${base}/badges/${programId}`,
    assertion: (credentialId) => `${base}/assertions/${credentialId}`,
  };
}

/** The issuer Profile: the institution as its 3.0 badges name it, limiting hosted assertions to our addresses. */
export function ob2IssuerProfile(addresses: Ob2Addresses, issuer: BadgeInput['issuer']): Json {
  return {
    '@context': OB2_CONTEXT,
    type: 'Issuer',
    id: addresses.issuer,
    name: issuer.name,
    url: issuer.url,
    email: issuer.email,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.image ? { image: issuer.image.url } : {}),
    verification: { type: 'VerificationObject', startsWith: addresses.assertions },
  };
}

/** A program's BadgeClass, from the achievement of a credential issued for it. */
export function ob2BadgeClass(addresses: Ob2Addresses, programId: string, credential: object): Json {
  const achievement = asObject(asObject(asObject(credential).credentialSubject).achievement);
  const criteria = asObject(achievement.criteria);
  const alignment = Array.isArray(achievement.alignment) ? achievement.alignment.map(asObject) : [];
  return {
    '@context': OB2_CONTEXT,
    type: 'BadgeClass',
    id: addresses.badge(programId),
    name: text(achievement.name) ?? 'Micro-credential',
    description: text(achievement.description) ?? text(achievement.name) ?? 'A micro-credential.',
    image: text(asObject(achievement.image).id) ?? text(asObject(asObject(credential).image).id),
    criteria: {
      ...(text(criteria.id) ? { id: criteria.id } : {}),
      ...(text(criteria.narrative) ? { narrative: criteria.narrative } : {}),
    },
    issuer: addresses.issuer,
    ...(alignment.length > 0
      ? {
          alignment: alignment.map((item) => ({
            targetName: item.targetName,
            targetUrl: item.targetUrl,
            ...(text(item.targetCode) ? { targetCode: item.targetCode } : {}),
            ...(text(item.targetFramework) ? { targetFramework: item.targetFramework } : {}),
          })),
        }
      : {}),
  };
}

/** What the Assertion needs of a stored credential beyond its 3.0 JSON. */
export interface Ob2AssertionFacts {
  id: string;
  programId: string;
  status: 'active' | 'revoked' | 'suspended';
  /** The publicly shown kind of reason for a revocation (the reason itself stays private), in words. */
  revocationReason: string | null;
  json: object;
}

/**
 * The hosted Assertion, or null when the credential names its learner only by DID: 2.0 identifies recipients by
 * e-mail (or URL or telephone), and a DID is none of these. The recipient is the 3.0 credential's own salted
 * SHA-256 of the address, which is exactly 2.0's IdentityHash. A revoked or suspended credential says `revoked`.
 */
export function ob2Assertion(addresses: Ob2Addresses, facts: Ob2AssertionFacts): Json | null {
  const credential = asObject(facts.json);
  const subject = asObject(credential.credentialSubject);
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier.map(asObject) : [];
  const email = identifiers.find((item) => item.identityType === 'emailAddress' && text(item.identityHash));
  if (!email) return null;
  const evidence = Array.isArray(credential.evidence) ? credential.evidence.map(asObject) : [];
  const standing =
    facts.status === 'revoked'
      ? { revoked: true, revocationReason: facts.revocationReason ?? 'Revoked by the issuer.' }
      : facts.status === 'suspended'
        ? // 2.0 knows no suspension; a suspended badge must not be accepted until it is reinstated.
          { revoked: true, revocationReason: 'Suspended by the issuer; it may be reinstated.' }
        : {};
  return {
    '@context': OB2_CONTEXT,
    type: 'Assertion',
    id: addresses.assertion(facts.id),
    recipient: {
      type: 'email',
      hashed: true,
      ...(text(email.salt) ? { salt: email.salt } : {}),
      identity: email.identityHash,
    },
    badge: addresses.badge(facts.programId),
    issuedOn: credential.validFrom,
    ...(text(credential.validUntil) ? { expires: credential.validUntil } : {}),
    ...(evidence.length > 0
      ? {
          evidence: evidence.map((item) => ({
            type: 'Evidence',
            ...(text(item.id) ? { id: item.id } : {}),
            ...(text(item.name) ? { name: item.name } : {}),
            ...(text(item.description) ? { description: item.description } : {}),
            ...(text(item.narrative) ? { narrative: item.narrative } : {}),
          })),
        }
      : {}),
    verification: { type: 'hosted' },
    ...standing,
  };
}
