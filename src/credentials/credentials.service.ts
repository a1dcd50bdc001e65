import { createHmac, randomBytes } from 'node:crypto';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { readTogether } from '../platform/db/read-together.ts';
import { AppError, conflict, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { yieldToOtherWork } from '../platform/yield.ts';
import { isIssuable } from '../programs/program-vocabulary.ts';
import {
  type CourseTitle,
  credentialRow,
  type IssuableProgram,
  type IssuedCredential,
  type IssueInput,
  inFormatAskedFor,
  issuedAuditRecord,
  jwtRefusal,
  learnerProblems,
  type PreparedAward,
  programFactsOf,
  type StatusSlots,
  signingRefusal,
} from './award-credentials.ts';
import { bakePng } from './bake-png.ts';
import { bakeSvg } from './bake-svg.ts';
import { type BadgeInput, buildAchievement, buildOpenBadgeCredential } from './build-credential.ts';
import { achievementInputFor, badgeInputForAward } from './credential-from-program.ts';
import { readRequestedCredential } from './credential-request.ts';
import { CredentialSigner, type SignedForms } from './credential-signer.ts';
import { STATUS_TRANSITIONS, type StatusChange, SUSPENSION_OFF_REFUSAL } from './credential-status.ts';
import type { JwtSigningKey, UnsignedOpenBadgeCredential } from './credential-types.ts';
import type { CredentialsEvents } from './credentials.events.ts';
import {
  canManageStatus,
  type IssuingOffice,
  type IssuingPerson,
  isOwnBadge,
  OWN_BADGE_REFUSAL,
  OWN_ISSUE_REFUSAL,
  ownIssueProblem,
  type RequestedRecipient,
  statusRefusal,
} from './credentials.policy.ts';
import { CredentialsRepository } from './credentials.repository.ts';
import type { RevocationCategory } from './credentials.tables.ts';
import { type ActiveKey, IssuerIdentity, type IssuerSettings } from './issuer-identity.ts';
import { Ob2Publisher } from './ob2-publisher.ts';
import { OwnProofs } from './own-proofs.ts';
import { type Artwork, ProgramArtwork } from './program-artwork.ts';
import { StatusListStore } from './status-list-store.ts';

/**
 * Issues, stores and manages the institution's Open Badges: signing (eddsa-rdfc-2022 and VC-JWT),
 * Bitstring status (revoke, suspend, reinstate), the issuer's DID document, and badge artwork.
 */
export class CredentialsService {
  readonly identity: IssuerIdentity;
  readonly statusLists: StatusListStore;
  /** Fast checks of signatures made with our own keys (the verifier uses it before the full check). */
  readonly ownProofs: OwnProofs;
  /** Every badge also as a hosted Open Badges 2.0 assertion, derived from the stored credential. */
  readonly ob2: Ob2Publisher;
  readonly #artwork = new ProgramArtwork();
  /**
   * Signs both formats through the fast path (see credential-signer.ts for why no other path is needed).
   * Replaceable, so the benchmarks can measure the reference libraries in the same app.
   */
  signer = new CredentialSigner();

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly institution: InstitutionService,
    private readonly clock: Clock,
    /** Where revocations are announced; the subscribers react inside the revoking transaction. */
    private readonly events: EventPublisher<CredentialsEvents>,
    /**
     * Which office issued a credential, as the issuing module records it (undefined: not issued from an award),
     * so that status changes follow the same policy on every path. Given by the composition root because the
     * issuing module is built on this service.
     */
    private readonly issuingOfficeOf: IssuingOfficeLookup,
    /**
     * The addresses an account has proven, as the accounts module keeps them, so that issuing through the API can
     * tell a person's own badge by any address of theirs. Given by the composition root: accounts owns them.
     */
    private readonly provenAddressesOf: ProvenAddressesLookup,
    private readonly settings: IssuerSettings & { statusListSize?: number; rememberedSignatures?: number },
    private readonly repository = new CredentialsRepository(),
  ) {
    this.identity = new IssuerIdentity(database, repository, audit, clock, settings, institution);
    this.ownProofs = new OwnProofs(this.identity, { rememberValid: settings.rememberedSignatures });
    this.ob2 = new Ob2Publisher(database, repository, this.identity, settings.publicUrl);
    this.statusLists = new StatusListStore(database, repository, this.identity, clock, {
      publicUrl: settings.publicUrl,
      listSize: settings.statusListSize,
    });
  }

  get publicUrl(): string {
    return this.settings.publicUrl;
  }

  /**
   * Issues one credential for a program to a learner: the many-credential path with one input, so both
   * follow the same rules. Runs inside `trx` when given (the issuing workflow's own transaction), otherwise in
   * a transaction of its own. Nothing invalid is signed or kept.
   */
  async issueCredential(actor: AuditActor, input: IssueInput, trx?: Db): Promise<IssuedCredential> {
    const problems = learnerProblems(input);
    if (problems.length > 0) throw invalid(problems, 'The credential could not be issued.');
    if (!trx) return this.database.db.transaction().execute((own) => this.issueCredential(actor, input, own));
    const issued: IssuedCredential[] = [];
    for await (const part of this.issueCredentialsInParts(actor, [input], trx)) issued.push(...part);
    return issued[0]!;
  }

  /**
   * Issues one credential through the issue API (a program and a recipient): `issueCredential`'s rules, and the
   * recipient is never the person asking, which the other paths to a badge (requests, tracking lists) check
   * before they come here.
   */
  async issueThroughApi(actor: AuditActor, input: IssueInput): Promise<IssuedCredential> {
    const problems = learnerProblems(input);
    if (problems.length > 0) throw invalid(problems, 'The credential could not be issued.');
    return this.database.db.transaction().execute(async (trx) => {
      const { learnerId } = input.learner;
      await this.#refuseOwnBadge(trx, actor, {
        emails: [{ field: 'learner.email', email: input.learner.email }],
        hashedEmails: [],
        ...(learnerId
          ? { learner: { field: 'learner.learnerId', ...(await this.#recordOf(trx, learnerId)) } }
          : {}),
      });
      return this.issueCredential(actor, input, trx);
    });
  }

  /**
   * Issues credentials for programs to learners inside the caller's transaction: allocates their status
   * entries, builds, validates and signs them (both formats), stores and audits them, with a few statements
   * for the whole batch. Hands them back part by part (in input order) as each part is signed and stored, so
   * the caller can write what follows from a part (awards, fees, mail) while the next parts are still being
   * signed on other threads. The first refusal refuses the batch; the caller's transaction (or savepoint)
   * then holds nothing of it.
   */
  async *issueCredentialsInParts(
    actor: AuditActor,
    inputs: readonly IssueInput[],
    trx: Db,
  ): AsyncGenerator<IssuedCredential[]> {
    for (const input of inputs) {
      const problems = learnerProblems(input);
      if (problems.length > 0) throw invalid(problems, 'The credential could not be issued.');
    }
    if (inputs.length === 0) return;
    const programs = new Map<string, { program: IssuableProgram; courses: CourseTitle[] }>();
    for (const input of inputs) {
      const key = input.programId ?? `slug:${input.slug}`;
      if (!programs.has(key)) {
        const program = await this.#issuableProgram(trx, input);
        programs.set(key, { program, courses: await this.repository.courseTitles(trx, program.id) });
      }
    }
    const learnerIds = inputs.flatMap((input) => (input.learner.learnerId ? [input.learner.learnerId] : []));
    const learners = await this.repository.existingLearners(trx, learnerIds);
    if (learnerIds.some((id) => !learners.has(id))) {
      throw invalid([{ field: 'learner.learnerId', reason: 'is not a learner of this institution' }]);
    }
    for (const input of inputs) {
      const { program } = programs.get(input.programId ?? `slug:${input.slug}`)!;
      if (input.creditsEarned && program.credit_type === 'non_credit') {
        throw invalid([
          { field: 'creditsEarned', reason: `must be left out: ${program.title} is non-credit` },
        ]);
      }
      if (typeof input.creditsEarned === 'number' && input.creditsEarned > program.credits_max) {
        throw invalid([{ field: 'creditsEarned', reason: `must be at most ${program.credits_max}` }]);
      }
    }

    const active = await this.identity.activeKey(trx);
    const jwtKey = await this.identity.activeJwtKey(active, trx);
    jwtRefusal(inputs, jwtKey !== null);
    const issuer = await this.identity.profile(active.key.did, trx);
    const revocations = await this.statusLists.allocateMany(trx, active.key.did, 'revocation', inputs.length);
    const awards: PreparedAward[] = [];
    for (const [index, input] of inputs.entries()) {
      // Building a credential takes about half a millisecond of this thread; a chunk's 250 at once kept pages
      // waiting a tenth of a second during a tracking list (issue 15), so other work goes first between slices.
      if (index > 0 && index % PREPARE_SLICE === 0) await yieldToOtherWork();
      awards.push(
        this.#prepareAward(input, {
          ...programs.get(input.programId ?? `slug:${input.slug}`)!,
          issuer,
          slots: { revocation: revocations[index]! },
        }),
      );
    }
    const parts = this.signer.signInParts(
      awards.map((award) => award.unsigned),
      active.key,
      jwtKey,
    );
    let offset = 0;
    for (const part of parts) {
      const signed = await part.catch(signingRefusal);
      const partAwards = awards.slice(offset, offset + signed.length);
      const partInputs = inputs.slice(offset, offset + signed.length);
      offset += signed.length;
      await this.repository.insertCredentials(
        trx,
        partAwards.map((award, index) => credentialRow(actor, active, award, signed[index]!)),
      );
      await this.audit.recordMany(
        trx,
        actor,
        partAwards.map((award) => issuedAuditRecord(active, award)),
      );
      yield partAwards.map((award, index) => {
        const forms = signed[index]!;
        const verifiableCredential = inFormatAskedFor(partInputs[index]!.format, forms);
        return { id: award.uuid, credential: forms.credential, jwt: forms.jwt, verifiableCredential };
      });
    }
  }

  /** What an award's credential is made of, before it is signed: built from the program and the learner. */
  #prepareAward(
    input: IssueInput,
    from: {
      program: IssuableProgram;
      courses: CourseTitle[];
      issuer: BadgeInput['issuer'];
      slots: StatusSlots;
    },
  ): PreparedAward {
    const { program, slots } = from;
    const uuid = newId();
    const unsigned = buildOpenBadgeCredential(
      badgeInputForAward({
        uuid,
        publicUrl: this.settings.publicUrl,
        issuer: from.issuer,
        program: programFactsOf(program, from.courses),
        learner: { email: input.learner.email, did: input.learner.did?.trim() || undefined },
        salt: randomBytes(16).toString('hex'),
        validFrom: input.validFrom ?? this.clock.now(),
        creditsEarned: creditsClaimed(input.creditsEarned, program),
        term: input.term,
        completedOn: input.completedOn,
        evidence: input.evidence,
        status: { revocation: slots.revocation },
      }),
    );
    return {
      uuid,
      unsigned,
      slots,
      program: { id: program.id, version: program.version, slug: program.slug },
      emailHash: this.#emailLookupHash(input.learner.email),
      recipientName: input.learner.name?.trim() || null,
      learnerId: input.learner.learnerId ?? null,
      copyOf: input.copyOf ?? null,
    };
  }

  /**
   * Issues a credential handed over whole (the W3C VC-API shape): an unsigned OpenBadgeCredential for one
   * of our programs. The issuer, status entry and schema reference are ours to set; an id may be given. The
   * achievement is the catalog's: whatever else the caller wrote under our achievement id is replaced, so we
   * never sign someone's own wording as one of our micro-credentials.
   */
  async issueRequestedCredential(actor: AuditActor, requested: unknown): Promise<IssuedCredential> {
    return this.database.db.transaction().execute(async (trx) => {
      const active = await this.identity.activeKey(trx);
      const jwtKey = await this.identity.activeJwtKey(active, trx);
      const now = this.clock.now();
      const read = readRequestedCredential(requested, {
        publicUrl: this.settings.publicUrl,
        issuerDid: active.key.did,
        now,
      });
      const program = await this.repository.findProgram(trx, { slug: read.slug });
      if (!program || !isIssuable(program.status)) {
        throw invalid([
          {
            field: 'credential.credentialSubject.achievement.id',
            reason: 'must be the catalog address of one of our listed micro-credentials',
          },
        ]);
      }
      const field = 'credential.credentialSubject.identifier';
      await this.#refuseOwnBadge(trx, actor, {
        emails: read.emailIdentifiers.plain.map((email) => ({ field, email })),
        hashedEmails: read.emailIdentifiers.hashed.map((hashed) => ({ field, ...hashed })),
      });
      const uuid = read.uuid ?? newId();
      if (read.uuid && (await this.repository.lockCredential(trx, read.uuid))) {
        throw conflict('A credential with that id was issued already; leave the id out to get a new one.');
      }
      const slots = await this.#allocate(trx, active.key.did);
      const courses = await this.repository.courseTitles(trx, program.id);
      const unsigned = read.complete({
        uuid,
        issuer: await this.identity.profile(active.key.did, trx),
        achievement: buildAchievement(
          achievementInputFor(this.settings.publicUrl, programFactsOf(program, courses)),
        ),
        validFrom: now,
        salt: randomBytes(16).toString('hex'),
        status: slots,
      });
      return this.#signAndStore(trx, actor, {
        uuid,
        unsigned,
        active,
        slots,
        program: { id: program.id, version: program.version, slug: program.slug },
        emailHash: read.plainEmail ? this.#emailLookupHash(read.plainEmail) : null,
        recipientName: read.recipientName,
        learnerId: null,
        format: 'json',
        jwtKey,
      });
    });
  }

  /** The stored credential with its management facts, or null when unknown. */
  async find(id: string) {
    if (!isUuid(id)) return null;
    return (await this.repository.findCredential(this.database.db, id.toLowerCase())) ?? null;
  }

  /**
   * What a badge page shows and verifies of a credential, public or hidden, or null when unknown. Pages requested
   * at the same time share one query (read-together.ts): under load each read's socket write costs the process about
   * as much as PostgreSQL spends answering it.
   */
  async findShown(id: string) {
    if (!isUuid(id)) return null;
    return (await this.#shownTogether(id.toLowerCase())) ?? null;
  }

  // PostgreSQL writes a uuid in lower case, as the keys are asked for.
  readonly #shownTogether = readTogether(
    (ids) => this.repository.findShown(this.database.db, ids),
    (row) => row.id,
  );

  /** The facts of a credential, public or hidden, a verification report needs (status, visibility, program), or null. */
  async findSummary(id: string) {
    if (!isUuid(id)) return null;
    return (await this.repository.findSummary(this.database.db, id.toLowerCase())) ?? null;
  }

  /** A credential anyone may see (public and known), or null. */
  async findPublic(id: string) {
    const row = await this.find(id);
    return row?.is_public ? row : null;
  }

  /** The UUID named by a reference: the UUID itself, `urn:uuid:…`, or one of our credential addresses. */
  credentialIdFrom(reference: string): string | null {
    let text = reference.trim();
    const ours = `${this.settings.publicUrl}/credentials/`;
    if (text.startsWith(ours)) text = text.slice(ours.length);
    else if (text.startsWith('/credentials/')) text = text.slice('/credentials/'.length);
    else if (text.toLowerCase().startsWith('urn:uuid:')) text = text.slice('urn:uuid:'.length);
    text = text.replace(/(\.json|\.jwt|\/baked\.(png|svg))$/, '');
    return isUuid(text) ? text.toLowerCase() : null;
  }

  /** Revokes, suspends or reinstates: the status bit, the credential row and the audit entry in one transaction. */
  /** `category` is the publicly shown kind of reason for a revocation (the reason itself stays private). */
  async changeStatus(
    actor: AuditActor,
    id: string,
    change: StatusChange,
    reason: string,
    options: { category?: RevocationCategory | null } = {},
  ) {
    const why = reason.trim();
    if (why === '' || why.length > 500) {
      throw invalid([
        { field: 'reason', reason: why === '' ? 'is required' : 'must be at most 500 characters' },
      ]);
    }
    if (!isUuid(id)) throw notFound('That credential');
    const rule = STATUS_TRANSITIONS[change];
    return this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.lockCredential(trx, id.toLowerCase());
      if (!row) throw notFound('That credential');
      // People go through the status policy; the command line (a system actor) is the operator's own tool.
      if (!('system' in actor)) {
        const office =
          (await this.issuingOfficeOf(trx, row.id)) ??
          (await this.repository.programIssuingOffice(trx, row.program_id));
        if (!canManageStatus(actor, office)) throw forbidden(statusRefusal(office));
        if (isOwnBadge(actor, await this.repository.holderOf(trx, row.learner_id))) {
          throw forbidden(OWN_BADGE_REFUSAL);
        }
      }
      if (!rule.from.includes(row.status)) throw invalidState(rule.refusal);
      // Reinstating stays possible with the setting off, so no badge is left suspended for good.
      if (change === 'suspend' && !(await this.institution.findWithin(trx))?.allow_suspension) {
        throw invalidState(SUSPENSION_OFF_REFUSAL);
      }
      if (rule.to === 'revoked') {
        await this.statusLists.setBit(trx, row.revocation_list_id, row.revocation_index, true);
      }
      // Only badges issued before OB 3.0's one-entry rule was kept have a suspension bit (see
      // docs/standards.md); a newer badge's suspension lives in this register alone. A revoked credential is
      // shown as revoked, not also as suspended.
      if (
        row.suspension_list_id !== null &&
        row.suspension_index !== null &&
        (rule.to === 'suspended' || row.status === 'suspended')
      ) {
        await this.statusLists.setBit(
          trx,
          row.suspension_list_id,
          row.suspension_index,
          rule.to === 'suspended',
        );
      }
      const at = this.clock.now();
      await this.repository.updateStatus(trx, row.id, { status: rule.to, reason: why, at });
      await this.#followedByCopies(trx, actor, row.id, change, why, at);
      if (rule.to === 'revoked') {
        await this.events.publish(trx, 'credential.revoked', {
          credentialId: row.id,
          reason: why,
          revokedAt: at,
          category: options.category ?? null,
        });
      }
      await this.audit.record(trx, actor, {
        action: rule.action,
        entityType: 'credential',
        entityId: row.id,
        before: { status: row.status },
        after: { status: rule.to, reason: why },
      });
      return { id: row.id, status: rule.to, reason: why, changedAt: at };
    });
  }

  /**
   * Gives the copies of a credential re-issued to the learner's wallets (`copy_of`) the status change their
   * original just had, in the same transaction: a wallet's copy never outlives the award it copies. Copies are
   * not announced as revocations of their own (the award's one revocation is), only audited.
   */
  async #followedByCopies(
    trx: Db,
    actor: AuditActor,
    originalId: string,
    change: StatusChange,
    reason: string,
    at: Date,
  ): Promise<void> {
    const rule = STATUS_TRANSITIONS[change];
    for (const copy of await this.repository.lockCopiesOf(trx, originalId)) {
      if (!rule.from.includes(copy.status)) continue;
      if (rule.to === 'revoked') {
        await this.statusLists.setBit(trx, copy.revocation_list_id, copy.revocation_index, true);
      }
      await this.repository.updateStatus(trx, copy.id, { status: rule.to, reason, at });
      await this.audit.record(trx, actor, {
        action: rule.action,
        entityType: 'credential',
        entityId: copy.id,
        before: { status: copy.status },
        after: { status: rule.to, reason, copyOf: originalId },
      });
    }
  }

  /** Whether the institution lets staff suspend badges (off unless an administrator turned it on). */
  async isSuspensionAllowed(): Promise<boolean> {
    return (await this.institution.get()).allow_suspension;
  }

  /** Shows or hides a credential's public page and downloads. */
  async setPublic(actor: AuditActor, id: string, isPublic: boolean): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await this.repository.lockCredential(trx, id.toLowerCase()) : undefined;
      if (!row) throw notFound('That credential');
      await this.repository.setPublic(trx, row.id, isPublic);
      await this.events.publish(trx, 'credential.visibility_changed', { credentialId: row.id, isPublic });
      await this.audit.record(trx, actor, {
        action: 'credential.visibility_changed',
        entityType: 'credential',
        entityId: row.id,
        before: { isPublic: row.is_public },
        after: { isPublic },
      });
    });
  }

  /** The badge artwork of a listed program, or null for drafts, proposals and unknown slugs. */
  async programArtwork(slug: string): Promise<Artwork | null> {
    const program = await this.repository.findListedProgram(this.database.db, slug);
    if (!program) return null;
    return this.#artwork.for(program, await this.institution.get());
  }

  /** A public credential baked into its program's artwork, or null when unknown or hidden. */
  async baked(id: string, format: 'png' | 'svg'): Promise<Uint8Array | string | null> {
    const row = await this.findPublic(id);
    if (!row) return null;
    const program = await this.repository.findProgram(this.database.db, { id: row.program_id });
    if (!program) return null;
    const artwork = this.#artwork.for(program, await this.institution.get());
    const text = JSON.stringify(row.json);
    return format === 'png' ? bakePng(await artwork.png(), text) : bakeSvg(artwork.svg, text);
  }

  /** Starts a new signing key; see IssuerIdentity.rotate. */
  rotateKey(actor: AuditActor) {
    return this.identity.rotate(actor);
  }

  /** The signing keys, oldest first, without any private material (for the administrators' profile screen). */
  signingKeys() {
    return this.identity.keys();
  }

  async #issuableProgram(db: Db, input: IssueInput) {
    const by = input.programId ? { id: input.programId } : input.slug ? { slug: input.slug } : null;
    if (!by) throw invalid([{ field: 'program', reason: 'is required' }]);
    if (input.programId && !isUuid(input.programId)) {
      throw invalid([{ field: 'program', reason: 'is not a program id' }]);
    }
    const program = await this.repository.findProgram(db, by);
    if (!program)
      throw invalid([{ field: 'program', reason: 'is not a micro-credential of this institution' }]);
    if (!isIssuable(program.status)) {
      throw invalidState(
        `${program.title} is not an approved micro-credential, so no badge can be issued for it.`,
      );
    }
    return program;
  }

  /** Refuses, before anything is signed or kept, a credential the person asking would issue to themselves. */
  async #refuseOwnBadge(trx: Db, actor: AuditActor, recipient: RequestedRecipient): Promise<void> {
    const problem = ownIssueProblem(await this.#issuingPerson(trx, actor), recipient);
    if (problem) throw new AppError('FORBIDDEN', OWN_ISSUE_REFUSAL, [problem]);
  }

  /** The person behind a request with every address of theirs; null for a system actor (an API client, a job). */
  async #issuingPerson(trx: Db, actor: AuditActor): Promise<IssuingPerson | null> {
    if ('system' in actor) return null;
    const addresses = [
      actor.email,
      ...(await this.provenAddressesOf(trx, actor.id)),
      ...(await this.repository.linkedLearnerEmails(trx, actor.id)),
    ];
    return { id: actor.id, addresses };
  }

  /** The learner record an issue names, as "own" is told: its linked account and its address. */
  async #recordOf(trx: Db, learnerId: string) {
    const { holderUserId, holderEmail } = await this.repository.holderOf(trx, learnerId);
    return { userId: holderUserId, email: holderEmail };
  }

  async #allocate(trx: Db, did: string): Promise<StatusSlots> {
    return { revocation: await this.statusLists.allocate(trx, did, 'revocation') };
  }

  async #signAndStore(
    trx: Db,
    actor: AuditActor,
    award: PreparedAward & { active: ActiveKey; format: 'json' | 'jwt'; jwtKey: JwtSigningKey | null },
  ): Promise<IssuedCredential> {
    const signed = await this.#sign(award.unsigned, award.active, award.jwtKey);
    await this.repository.insertCredential(trx, credentialRow(actor, award.active, award, signed));
    await this.audit.record(trx, actor, issuedAuditRecord(award.active, award));
    return {
      id: award.uuid,
      credential: signed.credential,
      jwt: signed.jwt,
      verifiableCredential: inFormatAskedFor(award.format, signed),
    };
  }

  /** Signs both formats; a term no JSON-LD context defines becomes a field problem, not a crash. */
  #sign(
    unsigned: UnsignedOpenBadgeCredential,
    active: ActiveKey,
    jwtKey: JwtSigningKey | null,
  ): Promise<SignedForms> {
    return this.signer.sign(unsigned, active.key, jwtKey).catch(signingRefusal);
  }

  /** A keyed hash for finding a learner's credentials by e-mail without storing the address. */
  #emailLookupHash(email: string): string {
    return createHmac('sha256', this.settings.secret)
      .update(`learner-email:${email.trim().toLowerCase()}`)
      .digest('hex');
  }
}

/** Credentials built between two pauses for other work (about a tenth of a tracking list's chunk). */
const PREPARE_SLICE = 25;

/** The addresses an account has proven (`AccountEmailsService.provenAddressesOf`), read on the caller's handle. */
export type ProvenAddressesLookup = (db: Db, userId: string) => Promise<readonly string[]>;

/** Which office issued a credential, if the issuing module knows. */
export type IssuingOfficeLookup = (db: Db, credentialId: string) => Promise<IssuingOffice | undefined>;

/** The credits a badge claims: as asked, or for a credit-bearing program its credits, and otherwise none. */
function creditsClaimed(
  asked: number | null | undefined,
  program: Pick<IssuableProgram, 'credit_type' | 'credits_max'>,
): number | undefined {
  if (asked === null) return undefined;
  if (asked !== undefined) return asked;
  return program.credit_type === 'credit' ? program.credits_max : undefined;
}
