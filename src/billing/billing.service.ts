import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { type CsvCell, toCsv } from '../platform/csv.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { decimalAmount } from '../platform/money.ts';
import { canWaiveCharge, isOwnCharge, mayDo, OWN_FEE_REFUSAL, WAIVE_REFUSAL } from './billing.policy.ts';
import {
  BillingRepository,
  type BursarLine,
  type ChargeView,
  type LedgerFilter,
} from './billing.repository.ts';

export interface ChargeInput {
  credentialId: string;
  learnerId: string;
  programId: string;
  amountCents: number;
  /** Set when the fee is waived from the start (a tracking list's fee_waived column, say). */
  waiverReason?: string;
}

const maxReasonLength = 500;
const ledgerLimit = 200;

const personId = (actor: AuditActor) => ('id' in actor ? actor.id : null);
const actorLabel = (actor: AuditActor) => ('id' in actor ? `${actor.name} <${actor.email}>` : actor.system);

export const bursarCsvHeader = [
  'line_type',
  'charge_id',
  'student_id',
  'learner_name',
  'program',
  'description',
  'amount',
  'amount_cents',
  'posted_on',
  'credential_id',
  'reason',
] as const;

/**
 * Fees: each issued credential charges its program's fee to the learner's student account, in the same
 * transaction as the credential. Staff may waive a charge with a reason; the bursar exports charges (and the
 * credits that reverse charges already exported) to the student-account system in batches.
 */
export class BillingService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository = new BillingRepository(),
  ) {}

  /**
   * Charges the fees for credentials inside the issuing transaction `trx` (one award or a tracking list's chunk):
   * one insert for the charges and one for their audit entries. Ids come back in the order of `inputs`. The
   * unique constraint on the credential makes a second charge for the same credential fail, whatever called this.
   */
  async chargeForCredentials(
    trx: Db,
    actor: AuditActor,
    inputs: readonly ChargeInput[],
  ): Promise<{ id: string }[]> {
    if (inputs.some((input) => !Number.isSafeInteger(input.amountCents) || input.amountCents < 0)) {
      throw invalid([{ field: 'amountCents', reason: 'must be a whole number of cents, zero or more' }]);
    }
    const at = this.clock.now();
    const charges = inputs.map((input) => {
      const waiverReason = input.waiverReason?.trim().slice(0, maxReasonLength);
      return {
        id: newId(),
        credentialId: input.credentialId,
        learnerId: input.learnerId,
        programId: input.programId,
        amountCents: input.amountCents,
        postedAt: at,
        ...(waiverReason ? { waiver: { by: personId(actor), at, reason: waiverReason } } : {}),
      };
    });
    await this.repository.insertCharges(trx, charges);
    await this.audit.recordMany(
      trx,
      actor,
      charges.map((charge) => ({
        action: charge.waiver ? 'fee.waived' : 'fee.posted',
        entityType: 'fee_charge',
        entityId: charge.id,
        after: {
          credentialId: charge.credentialId,
          learnerId: charge.learnerId,
          amountCents: charge.amountCents,
          ...(charge.waiver ? { reason: charge.waiver.reason } : {}),
        },
      })),
    );
    return charges.map((charge) => ({ id: charge.id }));
  }

  /**
   * Waives a posted charge (bursar or credentials office), with a reason. A charge already sent to the
   * student accounts is reversed instead, so the next bursar export carries the credit.
   */
  async waiveCharge(actor: Actor, chargeId: string, rawReason: string): Promise<ChargeView> {
    if (!mayDo(actor, 'waive')) throw forbidden(WAIVE_REFUSAL);
    const reason = rawReason.trim();
    if (reason === '') throw invalid([{ field: 'reason', reason: 'is required: say why the fee is waived' }]);
    if (reason.length > maxReasonLength) {
      throw invalid([{ field: 'reason', reason: `must be at most ${maxReasonLength} characters` }]);
    }
    if (!isUuid(chargeId)) throw notFound('That charge');
    return this.database.db.transaction().execute(async (trx) => {
      const charge = await this.repository.find(trx, chargeId, true);
      if (!charge) throw notFound('That charge');
      if (isOwnCharge(actor, charge)) throw forbidden(OWN_FEE_REFUSAL);
      if (charge.status !== 'posted') throw invalidState(`This fee was already ${charge.status}.`);
      const status = charge.exportedBatch === null ? 'waived' : 'reversed';
      const at = this.clock.now();
      const changed = await this.repository.cancel(trx, charge.id, { status, by: actor.id, at, reason });
      if (!changed) throw invalidState('This fee changed a moment ago; reload the page and try again.');
      await this.audit.record(trx, actor, {
        action: `fee.${status}`,
        entityType: 'fee_charge',
        entityId: charge.id,
        before: { status: 'posted', exportedBatch: charge.exportedBatch },
        after: { status, reason, amountCents: charge.amountCents },
      });
      return (await this.repository.find(trx, charge.id))!;
    });
  }

  async findCharge(id: string): Promise<ChargeView> {
    const charge = isUuid(id) ? await this.repository.find(this.database.db, id) : undefined;
    if (!charge) throw notFound('That charge');
    return charge;
  }

  /** One charge's page: the charge and what this person may do from it, so the page decides nothing. */
  async viewCharge(actor: Actor, id: string) {
    const charge = await this.findCharge(id);
    return {
      charge,
      canWaive: canWaiveCharge(actor, charge),
      // Said on the page, so a member of staff who is the learner charged knows why there is no waiver form.
      ownFeeRefusal: mayDo(actor, 'waive') && isOwnCharge(actor, charge) ? OWN_FEE_REFUSAL : undefined,
      canOpenLedger: mayDo(actor, 'open_ledger'),
    };
  }

  /** The charge for one credential, if there is one. */
  chargeForCredentialId(credentialId: string): Promise<ChargeView | undefined> {
    return this.repository.findByCredential(this.database.db, credentialId);
  }

  /**
   * The signed-in learner's own fees: every charge on their record, with what is still owed and what was
   * cancelled. Nothing names another learner, so the page needs no further check than the role.
   */
  async learnerFees(actor: Actor) {
    if (!mayDo(actor, 'see_own_fees')) throw forbidden('This page shows a learner their own badge fees.');
    const charges = await this.repository.chargesOfUser(this.database.db, actor.id);
    const sum = (status: ChargeView['status']) =>
      charges.filter((c) => c.status === status).reduce((total, c) => total + c.amountCents, 0);
    return {
      charges,
      chargedCents: sum('posted'),
      waivedCents: sum('waived'),
      reversedCents: sum('reversed'),
    };
  }

  /** The ledger: totals over everything matching the filter, and the newest matching charges. */
  async ledger(filter: LedgerFilter) {
    const db = this.database.db;
    const [totals, charges, programs, exports, toReview] = await Promise.all([
      this.repository.totals(db, filter),
      this.repository.ledger(db, filter, ledgerLimit),
      this.repository.chargedPrograms(db),
      this.repository.listExports(db, 20),
      this.repository.reviewCount(db),
    ]);
    return { totals, charges, limit: ledgerLimit, programs, exports, toReview };
  }

  /**
   * A badge revoked as issued in error should not have cost the learner anything: its posted fee is flagged for
   * the bursar, who decides (it may be on the student account already, and waiving reverses it). Runs inside the
   * revocation's transaction (the `credential.revoked` event); other revocation reasons leave the fee alone.
   */
  async onCredentialRevoked(
    trx: Db,
    event: { credentialId: string; revokedAt: Date; category: string | null },
  ): Promise<void> {
    if (event.category !== 'issued_in_error') return;
    const reason = 'The badge was revoked as issued in error: check whether this fee should be waived.';
    const chargeId = await this.repository.flagForReview(trx, event.credentialId, reason, event.revokedAt);
    if (!chargeId) return;
    await this.audit.record(
      trx,
      { system: 'billing' },
      {
        action: 'fee.flagged_for_review',
        entityType: 'fee_charge',
        entityId: chargeId,
        after: { credentialId: event.credentialId, reason },
      },
    );
  }

  /** What waits for the bursar: lines of the next export and charges flagged for review (refused to others). */
  async pendingExport(actor: Actor): Promise<{ charges: number; reversals: number; toReview: number }> {
    if (!mayDo(actor, 'export')) throw forbidden('Only the bursar and administrators export the fee ledger.');
    const db = this.database.db;
    const [pending, toReview] = await Promise.all([
      this.repository.pendingExport(db),
      this.repository.reviewCount(db),
    ]);
    return { ...pending, toReview };
  }

  /**
   * Exports every posted charge not yet sent, and the credits for charges reversed since, as one batch; the
   * rows are marked with the batch in the same transaction. Returns the CSV (just the header when there is
   * nothing new; no empty batch is kept).
   */
  async exportForBursar(actor: Actor): Promise<{ batchId: string | null; csv: string; lines: number }> {
    if (!mayDo(actor, 'export')) throw forbidden('Only the bursar and administrators export the fee ledger.');
    return this.database.db.transaction().execute(async (trx) => {
      const batchId = newId();
      await this.repository.createExport(trx, {
        id: batchId,
        createdBy: actor.id,
        createdByLabel: actorLabel(actor),
        createdAt: this.clock.now(),
      });
      await this.repository.claimForExport(trx, batchId);
      const lines = await this.repository.exportLines(trx, batchId);
      if (lines.length === 0) {
        await this.repository.deleteExport(trx, batchId);
        return { batchId: null, csv: bursarCsv([]), lines: 0 };
      }
      const charges = lines.filter((line) => line.lineType === 'charge');
      const netCents = lines.reduce((sum, line) => sum + signedCents(line), 0);
      await this.repository.finishExport(trx, batchId, {
        charges: charges.length,
        reversals: lines.length - charges.length,
        netCents,
      });
      await this.audit.record(trx, actor, {
        action: 'fee.exported',
        entityType: 'bursar_export',
        entityId: batchId,
        after: { charges: charges.length, reversals: lines.length - charges.length, netCents },
      });
      return { batchId, csv: bursarCsv(lines), lines: lines.length };
    });
  }

  /** An earlier export, again, exactly as it was sent. */
  async bursarExportCsv(batchId: string): Promise<{ csv: string; createdAt: Date }> {
    const db = this.database.db;
    const batch = isUuid(batchId) ? await this.repository.findExport(db, batchId) : undefined;
    if (!batch) throw notFound('That export');
    return { csv: bursarCsv(await this.repository.exportLines(db, batch.id)), createdAt: batch.created_at };
  }
}

const signedCents = (line: BursarLine) =>
  line.lineType === 'reversal' ? -line.amountCents : line.amountCents;

function bursarCsv(lines: readonly BursarLine[]): string {
  const rows: CsvCell[][] = [[...bursarCsvHeader]];
  for (const line of lines) {
    const cents = signedCents(line);
    rows.push([
      line.lineType,
      line.id,
      line.studentId,
      line.learnerName,
      line.programSlug,
      line.lineType === 'charge'
        ? `Micro-credential fee: ${line.programTitle}`
        : `Reversal of micro-credential fee: ${line.programTitle}`,
      decimalAmount(cents),
      cents,
      line.postedAt.toISOString().slice(0, 10),
      line.credentialId,
      line.lineType === 'reversal' ? line.reason : '',
    ]);
  }
  return toCsv(rows);
}
