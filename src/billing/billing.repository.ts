import { type ExpressionBuilder, sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { programNames } from '../programs/programs.queries.ts';
import type { FeeChargeStatus } from './billing.tables.ts';

/** What the ledger can be narrowed to. */
export interface LedgerFilter {
  status?: FeeChargeStatus;
  /** 'yes': already sent to the bursar; 'no': not yet. */
  exported?: 'yes' | 'no';
  program?: string;
  /** Words matched against the learner's name, e-mail and student ID. */
  q?: string;
  /** Posted on or after / on or before, 'YYYY-MM-DD'. */
  from?: string;
  to?: string;
}

/** Sums in integer cents, with how many charges make each. */
export interface LedgerTotals {
  postedCents: number;
  postedCount: number;
  waivedCents: number;
  waivedCount: number;
  reversedCents: number;
  reversedCount: number;
  /** Posted charges already sent to the student accounts. */
  exportedCents: number;
  exportedCount: number;
  /** Posted charges not yet sent. */
  outstandingCents: number;
  outstandingCount: number;
}

/** A charge with the names people read. */
export interface ChargeView {
  id: string;
  credentialId: string;
  learnerId: string;
  /** The account linked to the learner's record, if any: a member of staff may be the learner charged. */
  learnerUserId: string | null;
  learnerName: string;
  learnerEmail: string;
  studentId: string;
  programId: string;
  programSlug: string;
  programTitle: string;
  amountCents: number;
  status: FeeChargeStatus;
  postedAt: Date;
  waivedAt: Date | null;
  waivedByName: string | null;
  reason: string | null;
  exportedBatch: string | null;
  reversalExportedBatch: string | null;
  /** Why the bursar should look at the charge again (its badge was revoked as issued in error), if so. */
  reviewReason: string | null;
  reviewFlaggedAt: Date | null;
}

/** One line of a bursar export: the charge itself, or the credit that reverses an exported charge. */
export interface BursarLine extends ChargeView {
  lineType: 'charge' | 'reversal';
}

type Where = ExpressionBuilder<
  DB & { c: DB['fee_charges']; l: DB['learners']; p: DB['programs'] },
  'c' | 'l' | 'p'
>;

/** SQL for fee charges and bursar exports. The unique `fee_charges_one_per_credential` guards double charges. */
export class BillingRepository {
  #charges(db: Db) {
    return db
      .selectFrom('fee_charges as c')
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'c.learner_id')
      .innerJoin(programNames(db).as('p'), 'p.id', 'c.program_id')
      .leftJoin(userNames(db).as('w'), 'w.id', 'c.waived_by')
      .select([
        'c.id',
        'c.credential_id as credentialId',
        'l.id as learnerId',
        'l.user_id as learnerUserId',
        'l.name as learnerName',
        'l.email as learnerEmail',
        'l.student_id as studentId',
        'p.id as programId',
        'p.slug as programSlug',
        'p.title as programTitle',
        'c.amount_cents as amountCents',
        'c.status',
        'c.posted_at as postedAt',
        'c.waived_at as waivedAt',
        'w.name as waivedByName',
        'c.reason',
        'c.exported_batch as exportedBatch',
        'c.reversal_exported_batch as reversalExportedBatch',
        'c.review_reason as reviewReason',
        'c.review_flagged_at as reviewFlaggedAt',
      ]);
  }

  /**
   * Flags the posted charge of a credential for the bursar's review; the charge itself is left as it is. Returns
   * the charge's id, or undefined when there is no posted charge (waived or reversed already) to look at.
   */
  async flagForReview(db: Db, credentialId: string, reason: string, at: Date): Promise<string | undefined> {
    const row = await db
      .updateTable('fee_charges')
      .set({ review_reason: reason, review_flagged_at: at })
      .where('credential_id', '=', credentialId)
      .where('status', '=', 'posted')
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /**
   * What the next bursar export would carry: posted charges not yet sent, and reversals not yet sent. Each is counted
   * through its partial index (migrations 0007 and 0069), so the count costs what waits, not every charge ever made.
   */
  async pendingExport(db: Db): Promise<{ charges: number; reversals: number }> {
    const row = await db
      .selectNoFrom([
        sql<number>`(select count(*) from fee_charges where exported_batch is null and status = 'posted')`.as(
          'charges',
        ),
        sql<number>`(select count(*) from fee_charges
          where status = 'reversed' and reversal_exported_batch is null)`.as('reversals'),
      ])
      .executeTakeFirstOrThrow();
    return { charges: Number(row.charges), reversals: Number(row.reversals) };
  }

  /** Posted charges flagged for review: the bursar's to-do. */
  async reviewCount(db: Db): Promise<number> {
    const row = await db
      .selectFrom('fee_charges')
      .select(db.fn.countAll<number>().as('n'))
      .where('status', '=', 'posted')
      .where('review_reason', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** New charges, a few hundred per statement; the one-per-credential constraint refuses a second. */
  async insertCharges(
    db: Db,
    rows: readonly {
      id: string;
      credentialId: string;
      learnerId: string;
      programId: string;
      amountCents: number;
      postedAt: Date;
      waiver?: { by: string | null; at: Date; reason: string };
    }[],
  ): Promise<void> {
    for (let at = 0; at < rows.length; at += 500) {
      await db
        .insertInto('fee_charges')
        .values(
          rows.slice(at, at + 500).map((row) => ({
            id: row.id,
            credential_id: row.credentialId,
            learner_id: row.learnerId,
            program_id: row.programId,
            amount_cents: row.amountCents,
            status: row.waiver ? ('waived' as const) : ('posted' as const),
            posted_at: row.postedAt,
            waived_by: row.waiver?.by ?? null,
            waived_at: row.waiver?.at ?? null,
            reason: row.waiver?.reason ?? null,
          })),
        )
        .execute();
    }
  }

  /** One charge; with `lock`, held until the transaction ends so a waiver and an export cannot race. */
  async find(db: Db, id: string, lock = false): Promise<ChargeView | undefined> {
    if (lock) await db.selectFrom('fee_charges').select('id').where('id', '=', id).forUpdate().execute();
    return this.#charges(db).where('c.id', '=', id).executeTakeFirst();
  }

  findByCredential(db: Db, credentialId: string): Promise<ChargeView | undefined> {
    return this.#charges(db).where('c.credential_id', '=', credentialId).executeTakeFirst();
  }

  /** Cancels a posted charge: waived if it never left, reversed if it was exported already. */
  async cancel(
    db: Db,
    id: string,
    change: { status: 'waived' | 'reversed'; by: string | null; at: Date; reason: string },
  ): Promise<boolean> {
    const updated = await db
      .updateTable('fee_charges')
      .set({ status: change.status, waived_by: change.by, waived_at: change.at, reason: change.reason })
      .where('id', '=', id)
      .where('status', '=', 'posted')
      .where('exported_batch', change.status === 'waived' ? 'is' : 'is not', null)
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  #filtered(db: Db, filter: LedgerFilter) {
    return this.#charges(db).where((eb) => eb.and(this.#conditions(eb as unknown as Where, filter)));
  }

  #conditions(eb: Where, filter: LedgerFilter) {
    const conditions = [];
    if (filter.status) conditions.push(eb('c.status', '=', filter.status));
    if (filter.exported === 'yes') conditions.push(eb('c.exported_batch', 'is not', null));
    if (filter.exported === 'no') conditions.push(eb('c.exported_batch', 'is', null));
    if (filter.program) conditions.push(eb('p.slug', '=', filter.program));
    if (filter.from) conditions.push(eb('c.posted_at', '>=', new Date(`${filter.from}T00:00:00Z`)));
    if (filter.to) conditions.push(eb('c.posted_at', '<', sql<Date>`${filter.to}::date + 1`));
    for (const word of (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5)) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        eb.or([
          eb(eb.fn('lower', ['l.name']), 'like', pattern),
          eb(eb.fn('lower', ['l.email']), 'like', pattern),
          eb(eb.fn('lower', ['l.student_id']), 'like', pattern),
        ]),
      );
    }
    return conditions;
  }

  /** Charges matching the filter, newest first. */
  ledger(db: Db, filter: LedgerFilter, limit: number): Promise<ChargeView[]> {
    return this.#filtered(db, filter).orderBy('c.posted_at', 'desc').orderBy('c.id').limit(limit).execute();
  }

  async totals(db: Db, filter: LedgerFilter): Promise<LedgerTotals> {
    const sum = (condition: ReturnType<typeof sql<boolean>>) =>
      sql<number>`coalesce(sum(c.amount_cents) filter (where ${condition}), 0)::bigint`;
    const count = (condition: ReturnType<typeof sql<boolean>>) =>
      sql<number>`count(*) filter (where ${condition})`;
    const posted = sql<boolean>`c.status = 'posted'`;
    const waived = sql<boolean>`c.status = 'waived'`;
    const reversed = sql<boolean>`c.status = 'reversed'`;
    const exported = sql<boolean>`c.status = 'posted' and c.exported_batch is not null`;
    const outstanding = sql<boolean>`c.status = 'posted' and c.exported_batch is null`;
    const row = await db
      .selectFrom('fee_charges as c')
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'c.learner_id')
      .innerJoin(programNames(db).as('p'), 'p.id', 'c.program_id')
      .where((eb) => eb.and(this.#conditions(eb as unknown as Where, filter)))
      .select([
        sum(posted).as('postedCents'),
        count(posted).as('postedCount'),
        sum(waived).as('waivedCents'),
        count(waived).as('waivedCount'),
        sum(reversed).as('reversedCents'),
        count(reversed).as('reversedCount'),
        sum(exported).as('exportedCents'),
        count(exported).as('exportedCount'),
        sum(outstanding).as('outstandingCents'),
        count(outstanding).as('outstandingCount'),
      ])
      .executeTakeFirstOrThrow();
    // bigint sums arrive as strings on PostgreSQL and numbers on PGlite; the ledger wants numbers.
    const totals = {} as LedgerTotals;
    for (const [key, value] of Object.entries(row)) totals[key as keyof LedgerTotals] = Number(value);
    return totals;
  }

  async createExport(
    db: Db,
    row: { id: string; createdBy: string | null; createdByLabel: string; createdAt: Date },
  ): Promise<void> {
    await db
      .insertInto('bursar_exports')
      .values({
        id: row.id,
        created_by: row.createdBy,
        created_by_label: row.createdByLabel,
        created_at: row.createdAt,
        charge_count: 0,
        reversal_count: 0,
        net_cents: 0,
      })
      .execute();
  }

  /**
   * Claims every posted charge and every unsent reversal for the batch. The update itself claims the rows,
   * so two exports at once never carry the same line.
   */
  async claimForExport(db: Db, batchId: string): Promise<void> {
    await db
      .updateTable('fee_charges')
      .set({ exported_batch: batchId })
      .where('status', '=', 'posted')
      .where('exported_batch', 'is', null)
      .execute();
    await db
      .updateTable('fee_charges')
      .set({ reversal_exported_batch: batchId })
      .where('status', '=', 'reversed')
      .where('reversal_exported_batch', 'is', null)
      .execute();
  }

  async finishExport(
    db: Db,
    batchId: string,
    counts: { charges: number; reversals: number; netCents: number },
  ) {
    await db
      .updateTable('bursar_exports')
      .set({ charge_count: counts.charges, reversal_count: counts.reversals, net_cents: counts.netCents })
      .where('id', '=', batchId)
      .execute();
  }

  deleteExport(db: Db, batchId: string) {
    return db.deleteFrom('bursar_exports').where('id', '=', batchId).execute();
  }

  /** The lines of one export, charges then reversals, each in posting order. */
  async exportLines(db: Db, batchId: string): Promise<BursarLine[]> {
    const [charges, reversals] = await Promise.all([
      this.#charges(db)
        .where('c.exported_batch', '=', batchId)
        .orderBy('c.posted_at')
        .orderBy('c.id')
        .execute(),
      this.#charges(db)
        .where('c.reversal_exported_batch', '=', batchId)
        .orderBy('c.posted_at')
        .orderBy('c.id')
        .execute(),
    ]);
    return [
      ...charges.map((c) => ({ ...c, lineType: 'charge' as const })),
      ...reversals.map((c) => ({ ...c, lineType: 'reversal' as const })),
    ];
  }

  findExport(db: Db, id: string) {
    return db.selectFrom('bursar_exports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listExports(db: Db, limit: number) {
    return db.selectFrom('bursar_exports').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  }

  /** Every charge on the learner record linked to this account, newest first (none when no record is linked). */
  chargesOfUser(db: Db, userId: string): Promise<ChargeView[]> {
    return this.#charges(db)
      .where('l.user_id', '=', userId)
      .orderBy('c.posted_at', 'desc')
      .orderBy('c.id')
      .execute();
  }

  /** Programs that have charges, for the ledger's filter. */
  chargedPrograms(db: Db) {
    return db
      .selectFrom(programNames(db).as('p'))
      .select(['p.slug', 'p.title'])
      .where((eb) =>
        eb.exists(eb.selectFrom('fee_charges as c').select('c.id').whereRef('c.program_id', '=', 'p.id')),
      )
      .orderBy('p.title')
      .execute();
  }
}
