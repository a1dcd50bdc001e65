import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { BillingService } from '../billing/billing.service.ts';
import type { IssuedCredential } from '../credentials/award-credentials.ts';
import type { Evidence } from '../credentials/credential-types.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, conflict, notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { newId } from '../platform/ids.ts';
import type { BadgeRequestsService } from '../progress/badge-requests.service.ts';
import type { IssuingEvents } from './issuing.events.ts';
import {
  type IssuingLearner,
  type IssuingProgram,
  type IssuingRepository,
  pairKey,
} from './issuing.repository.ts';
import type { CreditMode, Office } from './issuing.tables.ts';

/**
 * Points where a test may make issuing fail on purpose, to show that the credential, the fee and the
 * tracking-list row commit together or not at all. Nothing in the app sets them.
 */
export interface IssuingFaults {
  /** Runs after the fee is charged, before the transaction commits. */
  afterCharge?: (credentialId: string) => void | Promise<void>;
}

export interface AwardOrder {
  learner: IssuingLearner;
  program: IssuingProgram;
  office: Office;
  creditMode: CreditMode;
  source:
    | { kind: 'badge_request'; requestId: string }
    | { kind: 'tracking_list'; rowId: string }
    /** A renewal: the earlier award, already marked renewed in the same transaction. */
    | { kind: 'renewal'; renewsAwardId: string };
  /** Evidence the credential carries (a renewal names the badge it renews). */
  evidence?: Omit<Evidence, 'type'>[];
  /** The academic term the learner finished in, when known; carried by the credential and the notation. */
  term?: string | null;
  /** The day the learner finished the work ('YYYY-MM-DD'); the badge itself is dated the day it is issued. */
  completionDate?: string | null;
  /** The fee is recorded as waived from the start, with this reason. */
  feeWaiverReason?: string;
}

export interface IssuedAward {
  awardId: string;
  credentialId: string;
  chargeId: string;
}

/** True for the database's refusal of a second award (or issued row) for the same learner and program. */
export function isDuplicateAward(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (e?.code !== '23505') return false;
  const named = `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  return /issued_awards_once|tracking_list_rows_issued_once|issued_awards_badge_request_id_key/.test(named);
}

/**
 * Issues awards inside the caller's transaction: for each, the signed credential, the award row (unique per
 * learner and program), the fee charge (unique per credential), the badge request marked issued, and the
 * `awards.issued` event (the backpack's claim e-mail). Any failure rolls all of it back together. One award and
 * many take the same path, so a rule added here holds for both.
 */
export class AwardIssuer {
  readonly faults: IssuingFaults = {};

  constructor(
    private readonly credentials: CredentialsService,
    private readonly billing: BillingService,
    private readonly badgeRequests: BadgeRequestsService,
    /** Where issued awards are announced; the backpack sends the claim mail inside the same transaction. */
    private readonly events: EventPublisher<IssuingEvents>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: IssuingRepository,
  ) {}

  /** One award is a batch of one: the same checks and writes as a tracking list's awards, by one path. */
  async issue(trx: Db, actor: AuditActor, order: AwardOrder): Promise<IssuedAward> {
    const [issued] = await this.issueMany(trx, actor, [order]);
    return issued!;
  }

  /**
   * Issues many awards inside the caller's transaction with set-wise writes: the credentials signed and
   * stored together, then the awards, the fee charges, the `awards.issued` event and the audit entries, a few
   * statements each. The first refusal (an award that exists, a credential the
   * service refuses, a constraint) refuses the whole batch; callers that need one outcome per award run it
   * under a savepoint and fall back to `issue` for each.
   */
  async issueMany(trx: Db, actor: AuditActor, orders: readonly AwardOrder[]): Promise<IssuedAward[]> {
    if (orders.length === 0) return [];
    const pairs = orders.map((order) => ({ learnerId: order.learner.id, programId: order.program.id }));
    const existing = await this.repository.awardsFor(trx, pairs);
    for (const { learner, program } of orders) {
      const issuedAt = existing.get(pairKey(learner.id, program.id));
      if (issuedAt) {
        throw conflict(
          `${learner.name} already has the ${program.title} badge (issued ${issuedAt.toISOString().slice(0, 10)}).`,
        );
      }
    }
    const approved = await this.repository.approvedRequestsOf(trx, pairs);
    const inputs = orders.map((order) => ({
      programId: order.program.id,
      learner: { email: order.learner.email, name: order.learner.name, learnerId: order.learner.id },
      // Only a badge earned for credit claims credits (a hybrid program's non-credit cohort claims none).
      creditsEarned: order.creditMode === 'credit' ? order.program.creditsMax : null,
      ...(order.term ? { term: order.term } : {}),
      ...(order.completionDate ? { completedOn: order.completionDate } : {}),
      ...(order.evidence ? { evidence: order.evidence } : {}),
    }));
    const issued: IssuedAward[] = [];
    // Each part's awards, fees and mail are written while the next parts' credentials are being signed.
    for await (const credentials of this.credentials.issueCredentialsInParts(actor, inputs, trx)) {
      const part = orders.slice(issued.length, issued.length + credentials.length);
      issued.push(...(await this.#recordAwards(trx, actor, part, credentials, approved)));
    }
    return issued;
  }

  /**
   * Re-issues an award's credential to a DID its learner proved to hold (a wallet), inside the caller's
   * transaction: a new credential with its own status entry, the award's facts (program, credits, term,
   * completion) and `credentialSubject.id` set to the DID, marked as a copy of the award's credential so that
   * revoking the award revokes it too. No second award, fee or claim mail: the award is the same one.
   */
  async issueCopyToHolder(
    trx: Db,
    actor: AuditActor,
    copy: { credentialId: string; holderDid: string },
  ): Promise<IssuedCredential> {
    const award = await this.repository.awardOfCredential(trx, copy.credentialId);
    if (!award) throw notFound('An award for that badge');
    const [learner] = await this.repository.learnersByIds(trx, [award.learner_id]);
    const [program] = await this.repository.programsByIds(trx, [award.program_id]);
    if (!learner || !program) throw notFound('An award for that badge');
    const issued = await this.credentials.issueCredential(
      actor,
      {
        programId: program.id,
        learner: { email: learner.email, name: learner.name, learnerId: learner.id, did: copy.holderDid },
        creditsEarned: award.credit_mode === 'credit' ? program.creditsMax : null,
        ...(award.term ? { term: award.term } : {}),
        ...(award.completion_date ? { completedOn: award.completion_date } : {}),
        copyOf: copy.credentialId,
      },
      trx,
    );
    await this.audit.record(trx, actor, {
      action: 'badge.copied_to_wallet',
      entityType: 'issued_award',
      entityId: award.id,
      after: { credentialId: issued.id, copyOf: copy.credentialId, holder: copy.holderDid },
    });
    return issued;
  }

  /** Everything that follows from a part of issueMany's credentials, a few statements for all of them. */
  async #recordAwards(
    trx: Db,
    actor: AuditActor,
    orders: readonly AwardOrder[],
    credentials: readonly { id: string }[],
    approved: ReadonlyMap<string, string>,
  ): Promise<IssuedAward[]> {
    const issuedAt = this.clock.now();
    const awards = orders.map((order, index) => {
      const { learner, program, source } = order;
      return {
        id: newId(),
        learnerId: learner.id,
        programId: program.id,
        credentialId: credentials[index]!.id,
        office: order.office,
        creditMode: order.creditMode,
        source: source.kind,
        badgeRequestId:
          source.kind === 'badge_request'
            ? source.requestId
            : source.kind === 'tracking_list'
              ? (approved.get(pairKey(learner.id, program.id)) ?? null)
              : null,
        trackingListRowId: source.kind === 'tracking_list' ? source.rowId : null,
        renewsAwardId: source.kind === 'renewal' ? source.renewsAwardId : null,
        term: order.term ?? null,
        completionDate: order.completionDate ?? null,
        credits: order.creditMode === 'credit' ? program.creditsMax : 0,
        issuedBy: 'id' in actor ? actor.id : null,
        issuedAt,
      };
    });
    await this.repository.insertAwards(trx, awards);
    const charges = await this.billing.chargeForCredentials(
      trx,
      actor,
      orders.map((order, index) => ({
        credentialId: awards[index]!.credentialId,
        learnerId: order.learner.id,
        programId: order.program.id,
        amountCents: order.program.feeCents,
        ...(order.feeWaiverReason ? { waiverReason: order.feeWaiverReason } : {}),
      })),
    );
    for (const award of awards) await this.faults.afterCharge?.(award.credentialId);
    for (const award of awards) {
      if (award.badgeRequestId)
        await this.badgeRequests.markIssued(award.badgeRequestId, award.credentialId, trx);
    }
    await this.events.publish(trx, 'awards.issued', {
      awards: orders.map((order, index) => ({
        credentialId: awards[index]!.credentialId,
        learnerEmail: order.learner.email,
        learnerName: order.learner.name,
        programTitle: order.program.title,
      })),
    });
    await this.audit.recordMany(
      trx,
      actor,
      orders.map((order, index) => badgeIssuedRecord(order, awards[index]!)),
    );
    return awards.map((award, index) => ({
      awardId: award.id,
      credentialId: award.credentialId,
      chargeId: charges[index]!.id,
    }));
  }
}

/** The audit entry of an issued award. */
function badgeIssuedRecord(order: AwardOrder, award: { id: string; credentialId: string }) {
  return {
    action: 'badge.issued',
    entityType: 'issued_award',
    entityId: award.id,
    after: {
      credentialId: award.credentialId,
      learner: order.learner.studentId,
      program: order.program.slug,
      office: order.office,
      creditMode: order.creditMode,
      source: order.source.kind,
      feeCents: order.program.feeCents,
      feeWaived: Boolean(order.feeWaiverReason),
    },
  };
}

/** A refusal that concerns one learner's badge only (not the whole run): shown beside that learner. */
export const isRowRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.status < 500;
