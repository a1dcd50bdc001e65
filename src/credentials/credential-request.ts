import { type FieldProblem, invalid } from '../platform/errors.ts';
import {
  ACHIEVEMENT_CREDENTIAL_SCHEMA,
  type BadgeInput,
  hashEmail,
  type StatusSlot,
  statusEntryFor,
  toDateTime,
} from './build-credential.ts';
import type { Achievement, UnsignedOpenBadgeCredential } from './credential-types.ts';
import { OB_EXTENSIONS_CONTEXT } from './local-contexts.ts';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const URN_UUID = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** What the issuer fills in on a requested credential. */
export interface CompletionFacts {
  uuid: string;
  issuer: BadgeInput['issuer'];
  /** The catalog's achievement for the program named; it replaces whatever the caller wrote under its id. */
  achievement: Achievement;
  validFrom: Date;
  salt: string;
  status: { revocation: StatusSlot };
}

export interface RequestedCredential {
  /** The program named by the achievement's id (its catalog address). */
  slug: string;
  uuid: string | undefined;
  /** An e-mail the caller sent unhashed; it is hashed before signing and never kept. */
  plainEmail: string | null;
  /**
   * Every e-mail identifier of the subject, as sent: in plain (`hashed` not true) or hashed with its salt ('' when
   * none was given), so the issuer can tell whom the credential names.
   */
  emailIdentifiers: { plain: string[]; hashed: { identityHash: string; salt: string }[] };
  recipientName: string | null;
  complete(facts: CompletionFacts): UnsignedOpenBadgeCredential;
}

/**
 * Reads an unsigned OpenBadgeCredential sent to the VC-API issue endpoint, refusing what only the issuer
 * may decide (a proof, status entries, someone else's issuer id), a credential that names no issuer, and validity
 * dates that make no sense
 * (ending before they start, or already over at `now`). Pure: the caller validates the result against
 * the OB 3.0 schema when it signs.
 */
export function readRequestedCredential(
  requested: unknown,
  ours: { publicUrl: string; issuerDid: string; now: Date },
): RequestedCredential {
  if (!isObject(requested)) {
    throw invalid([{ field: 'credential', reason: 'must be an unsigned OpenBadgeCredential object' }]);
  }
  const problems: FieldProblem[] = [];
  if (requested.proof !== undefined) {
    problems.push({ field: 'credential.proof', reason: 'must be left out: the credential is signed here' });
  }
  if (requested.credentialStatus !== undefined) {
    problems.push({
      field: 'credential.credentialStatus',
      reason: 'must be left out: status entries are assigned here',
    });
  }
  const issuer = requested.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer.id : undefined;
  // The caller must name the issuer (the VC-API issuer suite's tests/10-issuer.js refuses a credential without
  // one), and only this institution can be named: we never sign as anyone else.
  if (issuerId !== ours.issuerDid) {
    const reason = issuer === undefined ? 'is required' : 'must be this institution';
    problems.push({ field: 'credential.issuer', reason: `${reason}: ${ours.issuerDid}` });
  }
  let uuid: string | undefined;
  if (requested.id !== undefined) {
    const match = typeof requested.id === 'string' ? URN_UUID.exec(requested.id) : null;
    if (match?.[1]) uuid = match[1].toLowerCase();
    else problems.push({ field: 'credential.id', reason: 'must be a urn:uuid: identifier or left out' });
  }
  problems.push(...validityProblems(requested, ours.now));
  const subject = isObject(requested.credentialSubject) ? requested.credentialSubject : {};
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const slug = slugFrom(achievement.id, ours.publicUrl);
  if (!slug) {
    problems.push({
      field: 'credential.credentialSubject.achievement.id',
      reason: `must be the catalog address of one of our micro-credentials (${ours.publicUrl}/catalog/…)`,
    });
  }
  if (problems.length > 0 || !slug) throw invalid(problems, 'The credential could not be issued.');

  const identifiers = Array.isArray(subject.identifier) ? subject.identifier : [];
  const plain = identifiers.find(
    (entry): entry is JsonObject =>
      isObject(entry) && entry.identityType === 'emailAddress' && entry.hashed === false,
  );
  const plainEmail = typeof plain?.identityHash === 'string' ? plain.identityHash : null;
  const emails = identifiers.filter(
    (entry): entry is JsonObject & { identityHash: string } =>
      isObject(entry) && entry.identityType === 'emailAddress' && typeof entry.identityHash === 'string',
  );
  const emailIdentifiers = {
    plain: emails.filter((entry) => entry.hashed !== true).map((entry) => entry.identityHash),
    hashed: emails
      .filter((entry) => entry.hashed === true)
      .map((entry) => ({
        identityHash: entry.identityHash,
        salt: typeof entry.salt === 'string' ? entry.salt : '',
      })),
  };
  const name = isObject(subject) && typeof subject.name === 'string' ? subject.name : null;

  return {
    slug,
    uuid,
    plainEmail,
    emailIdentifiers,
    recipientName: name,
    complete(facts) {
      const identifier = identifiers.map((entry) =>
        entry === plain && plainEmail
          ? {
              type: 'IdentityObject',
              identityHash: hashEmail(plainEmail, facts.salt),
              identityType: 'emailAddress',
              hashed: true,
              salt: facts.salt,
            }
          : entry,
      );
      const { issuer: profile } = facts;
      const contexts = Array.isArray(requested['@context']) ? requested['@context'] : [];
      // The schema reference added below uses a type the OB extensions context defines.
      const context =
        requested.credentialSchema === undefined &&
        contexts.length > 0 &&
        !contexts.includes(OB_EXTENSIONS_CONTEXT)
          ? [...contexts, OB_EXTENSIONS_CONTEXT]
          : requested['@context'];
      return {
        ...requested,
        '@context': context,
        id: `urn:uuid:${facts.uuid}`,
        issuer: {
          id: profile.did,
          type: ['Profile'],
          name: profile.name,
          url: profile.url,
          email: profile.email,
          ...(profile.description ? { description: profile.description } : {}),
        },
        validFrom:
          typeof requested.validFrom === 'string' ? requested.validFrom : toDateTime(facts.validFrom),
        credentialSubject: {
          ...subject,
          ...(identifiers.length > 0 ? { identifier } : {}),
          achievement: facts.achievement,
        },
        credentialSchema: requested.credentialSchema ?? [
          { id: ACHIEVEMENT_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' },
        ],
        credentialStatus: statusEntryFor('revocation', facts.status.revocation),
      } as unknown as UnsignedOpenBadgeCredential;
    },
  };
}

function slugFrom(achievementId: unknown, publicUrl: string): string | null {
  const prefix = `${publicUrl}/catalog/`;
  if (typeof achievementId !== 'string' || !achievementId.startsWith(prefix)) return null;
  const rest = achievementId.slice(prefix.length);
  return /^[a-z0-9-]+$/.test(rest) ? rest : null;
}

/** A requested date: absent, a date-time we can compare, or a problem. */
function readDate(value: unknown, field: string, problems: FieldProblem[]): Date | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    problems.push({
      field,
      reason: 'must be a date and time with its time zone, such as 2026-05-01T09:00:00Z',
    });
    return undefined;
  }
  return new Date(time);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** validUntil must come after validFrom (now when left out) and must not already be past: no badge is born expired. */
function validityProblems(requested: JsonObject, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const from = readDate(requested.validFrom, 'credential.validFrom', problems);
  const until = readDate(requested.validUntil, 'credential.validUntil', problems);
  if (!until) return problems;
  if (from && until.getTime() <= from.getTime()) {
    problems.push({ field: 'credential.validUntil', reason: 'must be later than validFrom' });
  } else if (until.getTime() <= now.getTime()) {
    problems.push({
      field: 'credential.validUntil',
      reason: 'is already past: the credential would be expired when issued',
    });
  }
  return problems;
}
