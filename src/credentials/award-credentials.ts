/**
 * The parts of issuing a credential that do no I/O: what an issue asks for and gives back, the checks on a
 * learner's details, the stored row and audit entry of a signed credential, and how a signing refusal is worded.
 * CredentialsService does the transactions, allocation and signing around them.
 */
import type { AuditActor } from '../audit/audit.service.ts';
import { type FieldProblem, invalid } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import type { StatusSlot } from './build-credential.ts';
import type { ProgramFacts } from './credential-from-program.ts';
import { envelopeJwt } from './credential-jwt.ts';
import type { SignedForms } from './credential-signer.ts';
import type {
  EnvelopedVerifiableCredential,
  Evidence,
  SignedOpenBadgeCredential,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
import type { CredentialsRepository } from './credentials.repository.ts';
import type { ActiveKey } from './issuer-identity.ts';

/** What a direct issue (or, later, the issuing workflow) asks for. */
export interface IssueInput {
  programId?: string;
  slug?: string;
  learner: { email: string; name?: string; did?: string; learnerId?: string };
  format?: 'json' | 'jwt';
  evidence?: Omit<Evidence, 'type'>[];
  validFrom?: Date;
  /**
   * Credits the badge claims. Left out, a credit-bearing program's badge claims its credits and any other
   * claims none; null says "none" outright (an award to a hybrid program's non-credit cohort).
   */
  creditsEarned?: number | null;
  /** The academic term the learner finished in ('2026 Spring'). */
  term?: string;
  /** The day the learner finished the work, 'YYYY-MM-DD'. */
  completedOn?: string;
  /** The award's credential this one copies into the learner's wallet (bound to `learner.did`). */
  copyOf?: string;
}

export interface IssuedCredential {
  /** The UUID; the credential's id is `urn:uuid:<id>`. */
  id: string;
  credential: SignedOpenBadgeCredential;
  /** The VC-JWT copy, or null when the institution issues JSON-LD only. */
  jwt: string | null;
  /** The credential in the format asked for: JSON-LD with its proof, or the VC-JWT enveloped as JSON. */
  verifiableCredential: SignedOpenBadgeCredential | EnvelopedVerifiableCredential;
}

type Slot = StatusSlot & { listId: string };
export type IssuableProgram = NonNullable<Awaited<ReturnType<CredentialsRepository['findProgram']>>>;
export type CourseTitle = { code: string; title: string };

/** A credential built and ready to sign, with the facts its row and audit entry record. */
export interface PreparedAward {
  uuid: string;
  unsigned: UnsignedOpenBadgeCredential;
  slots: StatusSlots;
  program: { id: string; version: number; slug: string };
  emailHash: string | null;
  recipientName: string | null;
  learnerId: string | null;
  copyOf?: string | null;
}
/** A new badge's one status entry (OB 3.0 allows no more; see docs/standards.md, "Credential status"). */
export interface StatusSlots {
  revocation: Slot;
}

/** The facts of a catalog program that its badges carry. */
export function programFactsOf(program: IssuableProgram, courses: readonly CourseTitle[]): ProgramFacts {
  return {
    slug: program.slug,
    title: program.title,
    summary: program.summary,
    department: program.department,
    creditsMax: program.credits_max,
    version: program.version,
    validityYears: program.validity_years,
    skills: program.skills,
    requirement: program.requirement,
    courses: new Map(courses.map((c) => [c.code, c.title])),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DID = /^did:[a-z0-9]+:\S+$/;

export function learnerProblems(input: IssueInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { learner } = input;
  const email = learner?.email?.trim() ?? '';
  if (email === '') problems.push({ field: 'learner.email', reason: 'is required' });
  else if (email.length > 320 || !EMAIL.test(email)) {
    problems.push({ field: 'learner.email', reason: 'must be an e-mail address' });
  }
  if (learner?.name && learner.name.length > 200) {
    problems.push({ field: 'learner.name', reason: 'must be at most 200 characters' });
  }
  if (learner?.did?.trim() && (learner.did.length > 500 || !DID.test(learner.did.trim()))) {
    problems.push({ field: 'learner.did', reason: 'must be a DID such as did:key:z6Mk…' });
  }
  if (learner?.learnerId && !isUuid(learner.learnerId)) {
    problems.push({ field: 'learner.learnerId', reason: 'is not a learner id' });
  }
  if (input.format && input.format !== 'json' && input.format !== 'jwt') {
    problems.push({ field: 'format', reason: 'must be json or jwt' });
  }
  if (
    input.creditsEarned !== undefined &&
    input.creditsEarned !== null &&
    (!Number.isFinite(input.creditsEarned) || input.creditsEarned < 0)
  ) {
    problems.push({ field: 'creditsEarned', reason: 'must be zero or more' });
  }
  if (input.validFrom && Number.isNaN(input.validFrom.getTime())) {
    problems.push({ field: 'validFrom', reason: 'is not a valid date' });
  }
  return problems;
}

/** The stored row of a signed credential. */
export function credentialRow(
  actor: AuditActor,
  active: ActiveKey,
  award: PreparedAward,
  signed: SignedForms,
) {
  const { unsigned, slots } = award;
  return {
    id: award.uuid,
    program_id: award.program.id,
    program_version: award.program.version,
    issuer_key_id: active.row.id,
    issuer_did: active.key.did,
    learner_email_hash: award.emailHash,
    recipient_name: award.recipientName,
    learner_id: award.learnerId,
    valid_from: new Date(unsigned.validFrom),
    valid_until: unsigned.validUntil ? new Date(unsigned.validUntil) : null,
    json: signed.credential,
    jwt: signed.jwt,
    status_reason: null,
    status_changed_at: null,
    revocation_list_id: slots.revocation.listId,
    revocation_index: slots.revocation.index,
    suspension_list_id: null,
    suspension_index: null,
    issued_by: actor && 'id' in actor ? actor.id : null,
    copy_of: award.copyOf ?? null,
  };
}

export function issuedAuditRecord(active: ActiveKey, award: PreparedAward) {
  return {
    action: 'credential.issued',
    entityType: 'credential',
    entityId: award.uuid,
    after: {
      program: award.program.slug,
      learnerId: award.learnerId,
      recipientName: award.recipientName,
      keyId: active.key.keyId,
      ...(award.copyOf ? { copyOf: award.copyOf, holder: award.unsigned.credentialSubject.id } : {}),
    },
  };
}

/** The credential in the format asked for; the VC-JWT was signed beforehand when asked for (see jwtRefusal). */
export function inFormatAskedFor(
  format: 'json' | 'jwt' | undefined,
  signed: SignedForms,
): SignedOpenBadgeCredential | EnvelopedVerifiableCredential {
  return format === 'jwt' && signed.jwt ? envelopeJwt(signed.jwt) : signed.credential;
}

/** Refuses, before anything is written, a VC-JWT asked for while the institution issues none. */
export function jwtRefusal(inputs: readonly Pick<IssueInput, 'format'>[], canSignJwt: boolean): void {
  if (canSignJwt || !inputs.some((input) => input.format === 'jwt')) return;
  throw invalid([
    {
      field: 'format',
      reason:
        'cannot be jwt: the institution issues JSON-LD credentials only (its profile turns VC-JWTs off)',
    },
  ]);
}

/** A term no JSON-LD context defines (only a requested credential can have one) becomes a field problem. */
export function signingRefusal(error: unknown): never {
  const detail = error instanceof Error ? error.message : String(error);
  if (!/safe mode|undefined term|relative|invalid.*@|jsonld/i.test(detail)) throw error;
  const property = (error as { details?: { event?: { details?: { property?: unknown } } } }).details?.event
    ?.details?.property;
  throw invalid([
    typeof property === 'string'
      ? { field: property, reason: "is not defined by any of the credential's JSON-LD contexts" }
      : { field: 'credential', reason: `cannot be signed: ${detail}` },
  ]);
}
