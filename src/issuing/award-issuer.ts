import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { BillingService } from '../billing/billing.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, conflict } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { BadgeRequestsService } from '../progress/badge-requests.service.ts';
import type { IssuingLearner, IssuingProgram, IssuingRepository } from './issuing.repository.ts';
import type { CreditMode, Office } from './issuing.tables.ts';

/** What the learner's backpack needs to hear, inside the issuing transaction (claim token and claim mail). */
export interface IssuedCredentialFacts {
  credentialId: string;
  learnerEmail: string;
  learnerName: string;
  programTitle: string;
}

/** The agreed interface of the backpack module (BackpackService.onCredentialIssued). */
export interface CredentialIssuedListener {
  onCredentialIssued(trx: Db, facts: IssuedCredentialFacts): Promise<void>;
}

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
  source: { kind: 'badge_request'; requestId: string } | { kind: 'tracking_list'; rowId: string };
  term?: string | null;
  completionDate?: string | null;
  /** When the credential takes effect; defaults to now. */
  validFrom?: Date;
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
 * Issues one award inside the caller's transaction: the signed credential, the award row (unique per learner
 * and program), the fee charge (unique per credential), the badge request marked issued, and the backpack's
 * claim e-mail. Any failure rolls all of it back together.
 */
export class AwardIssuer {
  readonly faults: IssuingFaults = {};

  constructor(
    private readonly credentials: CredentialsService,
    private readonly billing: BillingService,
    private readonly badgeRequests: BadgeRequestsService,
    private readonly backpack: CredentialIssuedListener,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: IssuingRepository,
  ) {}

  async issue(trx: Db, actor: AuditActor, order: AwardOrder): Promise<IssuedAward> {
    const { learner, program } = order;
    const existing = await this.repository.findAward(trx, learner.id, program.id);
    if (existing) {
      throw conflict(
        `${learner.name} already has the ${program.title} badge (issued ${existing.issued_at.toISOString().slice(0, 10)}).`,
      );
    }
    const issued = await this.credentials.issueCredential(
      actor,
      {
        programId: program.id,
        learner: { email: learner.email, name: learner.name, learnerId: learner.id },
        ...(order.validFrom ? { validFrom: order.validFrom } : {}),
      },
      trx,
    );
    const awardId = newId();
    const requestId =
      order.source.kind === 'badge_request'
        ? order.source.requestId
        : await this.repository.approvedRequestOf(trx, learner.id, program.id);
    await this.repository.insertAward(trx, {
      id: awardId,
      learnerId: learner.id,
      programId: program.id,
      credentialId: issued.id,
      office: order.office,
      creditMode: order.creditMode,
      source: order.source.kind,
      badgeRequestId: requestId,
      trackingListRowId: order.source.kind === 'tracking_list' ? order.source.rowId : null,
      term: order.term ?? null,
      completionDate: order.completionDate ?? null,
      credits: order.creditMode === 'credit' ? program.creditsMax : 0,
      issuedBy: 'id' in actor ? actor.id : null,
      issuedAt: this.clock.now(),
    });
    const charge = await this.billing.chargeForCredential(trx, actor, {
      credentialId: issued.id,
      learnerId: learner.id,
      programId: program.id,
      amountCents: program.feeCents,
      ...(order.feeWaiverReason ? { waiverReason: order.feeWaiverReason } : {}),
    });
    await this.faults.afterCharge?.(issued.id);
    if (requestId) await this.badgeRequests.markIssued(requestId, issued.id, trx);
    await this.backpack.onCredentialIssued(trx, {
      credentialId: issued.id,
      learnerEmail: learner.email,
      learnerName: learner.name,
      programTitle: program.title,
    });
    await this.audit.record(trx, actor, {
      action: 'badge.issued',
      entityType: 'issued_award',
      entityId: awardId,
      after: {
        credentialId: issued.id,
        learner: learner.studentId,
        program: program.slug,
        office: order.office,
        creditMode: order.creditMode,
        source: order.source.kind,
        feeCents: program.feeCents,
        feeWaived: Boolean(order.feeWaiverReason),
      },
    });
    return { awardId, credentialId: issued.id, chargeId: charge.id };
  }
}

/** A refusal that concerns one learner's badge only (not the whole run): shown beside that learner. */
export const isRowRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.status < 500;
