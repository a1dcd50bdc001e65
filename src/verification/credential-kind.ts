import { isObject, type JsonObject } from './read-presented-badge.ts';

/** Which kind of VC 2.0 credential was presented: the verifier checks any, and says more about those it knows. */
export type CredentialKind = 'open-badge' | 'endorsement' | 'clr' | 'credential';

const typesOf = (value: JsonObject): string[] =>
  (Array.isArray(value.type) ? value.type : [value.type]).filter(
    (type): type is string => typeof type === 'string',
  );

/** The kind of a credential, from its `type`. */
export function credentialKindOf(credential: JsonObject): CredentialKind {
  const types = typesOf(credential);
  if (types.includes('OpenBadgeCredential') || types.includes('AchievementCredential')) return 'open-badge';
  if (types.includes('EndorsementCredential')) return 'endorsement';
  if (types.includes('ClrCredential')) return 'clr';
  return 'credential';
}

/** The credential's most specific type, for sentences: `EndorsementCredential`, or `VerifiableCredential`. */
export function mainTypeOf(credential: JsonObject): string {
  return typesOf(credential).find((type) => type !== 'VerifiableCredential') ?? 'VerifiableCredential';
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** What a person is shown about a credential besides its name: what it endorses, what a CLR holds. */
export interface CredentialContents {
  /** An endorsement: the id of what it endorses and the endorser's comment. */
  endorses?: { id: string; comment?: string };
  /** A CLR: the name of each achievement in its assertions, in order (at most 50). */
  achievements?: string[];
}

/** Reads what an endorsement endorses or a CLR holds; empty for other credentials. Pure; never throws. */
export function credentialContentsOf(credential: JsonObject): CredentialContents {
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const kind = credentialKindOf(credential);
  if (kind === 'endorsement') {
    const id = text(subject.id);
    return id ? { endorses: { id, comment: text(subject.endorsementComment) } } : {};
  }
  if (kind === 'clr') {
    const assertions = Array.isArray(subject.verifiableCredential) ? subject.verifiableCredential : [];
    const achievements = assertions
      .filter(isObject)
      .map((assertion) => {
        const inner = isObject(assertion.credentialSubject) ? assertion.credentialSubject : {};
        const achievement = isObject(inner.achievement) ? inner.achievement : {};
        return text(achievement.name) ?? text(assertion.name);
      })
      .filter((name): name is string => name !== undefined)
      .slice(0, 50);
    return { achievements };
  }
  return {};
}
