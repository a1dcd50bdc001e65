import { createHash } from 'node:crypto';
import type {
  Achievement,
  Alignment,
  BitstringStatusListEntry,
  Evidence,
  IdentityObject,
  ImageRef,
  StatusPurpose,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
import { OB_EXTENSIONS_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from './local-contexts.ts';

export { validateOpenBadgeCredential } from './validate-credential.ts';

export const ACHIEVEMENT_CREDENTIAL_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

export interface ImageInput {
  url: string;
  /** Alternative text for people who cannot see the image. */
  caption?: string;
}

export interface StatusSlot {
  /** URL of the status list credential. */
  listUrl: string;
  index: number;
}

export interface BadgeInput {
  /** `urn:uuid:…`, chosen by the caller so it can be stored before signing. */
  id: string;
  issuer: { did: string; name: string; url: string; email: string; image?: ImageInput; description?: string };
  validFrom: Date;
  validUntil?: Date;
  name: string;
  description: string;
  image?: ImageInput;
  /** At least one of the learner's DID or their e-mail (which is only ever stored hashed). */
  recipient: { did?: string; email?: { address: string; salt: string } };
  program: {
    /** The program's public page; it identifies the achievement. */
    url: string;
    name: string;
    description: string;
    criteria: { url?: string; narrative: string };
    image?: ImageInput;
    alignments?: Omit<Alignment, 'type'>[];
    creditsAvailable: number;
    humanCode?: string;
    fieldOfStudy?: string;
    version?: string;
  };
  /** When the badge was first awarded (OB 3.0 `awardedDate`). */
  awardedDate?: Date | undefined;
  creditsEarned?: number | undefined;
  term?: string | undefined;
  /** When the learner finished the work (OB 3.0 `activityEndDate`). */
  activityEndDate?: Date | undefined;
  evidence?: Omit<Evidence, 'type'>[] | undefined;
  /** The badge's one status entry: OB 3.0 allows at most one, and a badge must be revocable. */
  status?: { revocation: StatusSlot };
}

/**
 * The OB 3.0 IdentityHash of an e-mail: `sha256$` and the hex SHA-256 of the trimmed, lower-cased
 * address followed by the salt. The plain address never goes into a credential.
 */
export function hashEmail(email: string, salt: string): string {
  const normalized = email.trim().toLowerCase();
  return `sha256$${createHash('sha256')
    .update(normalized + salt, 'utf8')
    .digest('hex')}`;
}

/** XML Schema dateTime in UTC without milliseconds, e.g. 2026-05-01T09:00:00Z. */
export function toDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('A badge date is not a valid date.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A status entry pointing at one bit of a Bitstring Status List. */
export function statusEntryFor(purpose: StatusPurpose, slot: StatusSlot): BitstringStatusListEntry {
  if (!Number.isSafeInteger(slot.index) || slot.index < 0) {
    throw new RangeError(`A status list index must be a whole number of zero or more, not ${slot.index}.`);
  }
  return {
    id: `${slot.listUrl}#${slot.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(slot.index),
    statusListCredential: slot.listUrl,
  };
}

/**
 * Assembles an unsigned OpenBadgeCredential (VC Data Model 2.0) from the facts of one award.
 * Pure: ids, salts, dates and status slots all come from the caller.
 */
export function buildOpenBadgeCredential(input: BadgeInput): UnsignedOpenBadgeCredential {
  const { issuer, program, recipient } = input;
  if (!recipient.did && !recipient.email) {
    throw new TypeError('A badge needs a recipient: a DID, an e-mail address, or both.');
  }
  const identifier: IdentityObject[] | undefined = recipient.email && [
    {
      type: 'IdentityObject',
      identityHash: hashEmail(recipient.email.address, recipient.email.salt),
      identityType: 'emailAddress',
      hashed: true,
      salt: recipient.email.salt,
    },
  ];
  const achievement = buildAchievement(program);
  const credentialStatus = input.status && statusEntryFor('revocation', input.status.revocation);

  return dropUndefined({
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_EXTENSIONS_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: dropUndefined({
      id: issuer.did,
      type: ['Profile'],
      name: issuer.name,
      url: issuer.url,
      email: issuer.email,
      image: imageRef(issuer.image),
      description: issuer.description,
    }),
    validFrom: toDateTime(input.validFrom),
    validUntil: input.validUntil && toDateTime(input.validUntil),
    awardedDate: input.awardedDate && toDateTime(input.awardedDate),
    name: input.name,
    description: input.description,
    image: imageRef(input.image),
    credentialSubject: dropUndefined({
      type: ['AchievementSubject'],
      id: recipient.did,
      identifier,
      achievement,
      creditsEarned: input.creditsEarned,
      term: input.term,
      activityEndDate: input.activityEndDate && toDateTime(input.activityEndDate),
    }),
    evidence: input.evidence?.map((item) => dropUndefined({ type: ['Evidence'], ...item })),
    credentialSchema: [{ id: ACHIEVEMENT_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
    credentialStatus,
  }) as UnsignedOpenBadgeCredential;
}

/** The OB 3.0 Achievement of a program, as every badge of it carries it. Pure. */
export function buildAchievement(program: BadgeInput['program']): Achievement {
  return dropUndefined({
    id: program.url,
    type: ['Achievement'],
    name: program.name,
    description: program.description,
    criteria: dropUndefined({ id: program.criteria.url, narrative: program.criteria.narrative }),
    image: imageRef(program.image),
    alignment: program.alignments?.map((alignment) => dropUndefined({ type: ['Alignment'], ...alignment })),
    achievementType: 'MicroCredential',
    creditsAvailable: program.creditsAvailable,
    humanCode: program.humanCode,
    fieldOfStudy: program.fieldOfStudy,
    version: program.version,
  });
}

function imageRef(image: ImageInput | undefined): ImageRef | undefined {
  return image && dropUndefined<ImageRef>({ id: image.url, type: 'Image', caption: image.caption });
}

/** JSON-LD processing treats a present-but-undefined key differently from a missing one; drop them. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
