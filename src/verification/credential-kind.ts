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

/**
 * How people are told what a credential is: `label` names it as a heading or a fact does, `noun` inside a sentence
 * ("this … is genuine"), `dataCheck` is what its schema check is called. A type name such as `ClrCredential` is the
 * standard's word, not the reader's.
 */
export interface KindWords {
  label: string;
  noun: string;
  dataCheck: string;
}

export const kindWords: Record<CredentialKind, KindWords> = {
  'open-badge': { label: 'Badge', noun: 'badge', dataCheck: 'Open Badges data' },
  endorsement: { label: 'Endorsement', noun: 'endorsement', dataCheck: 'Endorsement data' },
  clr: {
    label: 'Comprehensive Learner Record',
    noun: 'Comprehensive Learner Record',
    dataCheck: 'Comprehensive Learner Record data',
  },
  credential: { label: 'Credential', noun: 'credential', dataCheck: 'Credential data' },
};

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
  /** A CLR: who it is about, as it names them (a plain name or other identifier, else the subject's id). */
  learner?: string;
}

/**
 * The learner a CLR names: a plain-text identifier (a name first), else the subject's id. A hashed identifier is
 * only said to be there: it cannot be read back, and the person verifying compares it apart.
 */
function learnerOf(subject: JsonObject): string | undefined {
  const identifiers = (Array.isArray(subject.identifier) ? subject.identifier : [subject.identifier]).filter(
    isObject,
  );
  const plain = identifiers.filter((entry) => entry.hashed === false && text(entry.identityHash));
  const named = plain.find((entry) => entry.identityType === 'name') ?? plain[0];
  if (named) return text(named.identityHash);
  const id = text(subject.id);
  if (id) return id;
  return identifiers.length > 0 ? 'Identified only by a hashed identifier' : undefined;
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
    const learner = learnerOf(subject);
    return learner ? { achievements, learner } : { achievements };
  }
  return {};
}
