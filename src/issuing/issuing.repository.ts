import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { feeChargeRows } from '../billing/billing.queries.ts';
import { enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { CreditType, ProgramState } from '../programs/program-vocabulary.ts';
import { programNames, programRows } from '../programs/programs.queries.ts';
import { badgeRequestRows } from '../progress/progress.queries.ts';
import type { AwardSource, CreditMode, Office } from './issuing.tables.ts';

/** What issuing needs to know about a program. */
export interface IssuingProgram {
  id: string;
  slug: string;
  title: string;
  creditType: CreditType;
  issuingOffice: Office;
  feeCents: number;
  creditsMax: number;
  status: ProgramState;
  requirement: unknown;
  leadUserId: string | null;
}

export interface IssuingLearner {
  id: string;
  studentId: string;
  email: string;
  name: string;
}

/** A learner and program pair, the key of an award. */
export interface LearnerProgram {
  learnerId: string;
  programId: string;
}

/** An issued award with the names the pages and exports show. */
export interface AwardView {
  id: string;
  credentialId: string;
  learnerId: string;
  learnerName: string;
  studentId: string;
  programSlug: string;
  programTitle: string;
  office: Office;
  creditMode: CreditMode;
  source: AwardSource;
  term: string | null;
  completionDate: string | null;
  credits: number;
  issuedAt: Date;
  issuedByName: string | null;
  registrarExportId: string | null;
  feeChargeId: string | null;
  feeStatus: 'posted' | 'waived' | 'reversed' | null;
  feeCents: number | null;
}

/** An award about to be stored. */
export interface NewAward {
  id: string;
  learnerId: string;
  programId: string;
  credentialId: string;
  office: Office;
  creditMode: CreditMode;
  source: AwardSource;
  badgeRequestId: string | null;
  trackingListRowId: string | null;
  /** The earlier award a renewal renews. */
  renewsAwardId?: string | null;
  term: string | null;
  completionDate: string | null;
  credits: number;
  issuedBy: string | null;
  issuedAt: Date;
}

/** The map key of a learner and program pair. */
export const pairKey = (learnerId: string, programId: string) => `${learnerId}|${programId}`;

/**
 * Issued awards with their learner, program, issuing person and fee: what every list of awards the offices see
 * starts from (the issuing pages, the registrar's exports, the register of issued badges).
 */
export function awardsJoined(db: Db) {
  return db
    .selectFrom('issued_awards as a')
    .innerJoin(learnerRows(db).as('l'), 'l.id', 'a.learner_id')
    .innerJoin(programNames(db).as('p'), 'p.id', 'a.program_id')
    .leftJoin(userNames(db).as('u'), 'u.id', 'a.issued_by')
    .leftJoin(feeChargeRows(db).as('f'), 'f.credential_id', 'a.credential_id');
}

/** One line of a registrar export: a transcript notation to add, or one to withdraw (its badge was revoked). */
export type RegistrarLine = AwardView & { action: 'add' | 'withdraw'; revokedAt: Date | null };

/** SQL for issued awards, the issuing queue's lookups and the registrar's exports. */

/** Ids looked up per statement: each is a parameter, and PostgreSQL allows 65,535 in one. */
const IDS_PER_QUERY = 10_000;

/** Up to this many pairs, `awardsFor` looks each learner up on its own (a chunk of a list is 250). */
const PROBED_PAIRS = 1_000;

/** Runs `read` on IDS_PER_QUERY ids at a time and puts together what each part found. */
async function inParts<Row>(
  ids: readonly string[],
  read: (part: string[]) => Promise<Row[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    rows.push(...(await read(ids.slice(start, start + IDS_PER_QUERY))));
  }
  return rows;
}

/**
 * Reads rows for learner and program pairs (a tracking list of up to 100,000 rows), a part of the learners at a
 * time with every program of the pairs.
 */
function inPartsOfPairs<Row>(
  pairs: readonly LearnerProgram[],
  read: (learnerIds: string[], programIds: string[]) => Promise<Row[]>,
): Promise<Row[]> {
  const programIds = [...new Set(pairs.map((pair) => pair.programId))];
  return inParts([...new Set(pairs.map((pair) => pair.learnerId))], (learnerIds) =>
    read(learnerIds, programIds),
  );
}
export class IssuingRepository {
  #programs(db: Db) {
    return db
      .selectFrom(programRows(db).as('p'))
      .select([
        'id',
        'slug',
        'title',
        'credit_type as creditType',
        'issuing_office as issuingOffice',
        'fee_cents as feeCents',
        'credits_max as creditsMax',
        'status',
        'requirement',
        'lead_user_id as leadUserId',
      ]);
  }

  programsByIds(db: Db, ids: readonly string[]): Promise<IssuingProgram[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.#programs(db)
      .where('id', 'in', [...ids])
      .execute();
  }

  programsBySlugs(db: Db, slugs: readonly string[]): Promise<IssuingProgram[]> {
    if (slugs.length === 0) return Promise.resolve([]);
    return this.#programs(db)
      .where('slug', 'in', [...slugs])
      .execute();
  }

  /**
   * The learners with these student ids. A list may name 100,000, beyond PostgreSQL's 65,535 parameters in one
   * statement, so they are asked for in parts.
   */
  learnersByStudentIds(db: Db, studentIds: readonly string[]): Promise<IssuingLearner[]> {
    return inParts(studentIds, (part) =>
      db
        .selectFrom(learnerRows(db).as('l'))
        .select(['id', 'student_id as studentId', 'email', 'name'])
        .where('student_id', 'in', part)
        .execute(),
    );
  }

  learnersByIds(db: Db, ids: readonly string[]): Promise<IssuingLearner[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom(learnerRows(db).as('l'))
      .select(['id', 'student_id as studentId', 'email', 'name'])
      .where('id', 'in', [...ids])
      .execute();
  }

  /** The award a credential was issued for, or undefined when it was not issued from one. */
  awardOfCredential(db: Db, credentialId: string) {
    return db
      .selectFrom('issued_awards')
      .select(['id', 'learner_id', 'program_id', 'credit_mode', 'term', 'completion_date'])
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
  }

  /** The day each learner enrolled in each program, keyed `learner|program`. */
  async enrolledOn(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, string>> {
    if (pairs.length === 0) return new Map();
    const rows = await inPartsOfPairs(pairs, (learnerIds, programIds) =>
      db
        .selectFrom(enrolmentRows(db).as('e'))
        .select(['learner_id', 'program_id', 'enrolled_on'])
        .where('learner_id', 'in', learnerIds)
        .where('program_id', 'in', programIds)
        .execute(),
    );
    return new Map(rows.map((r) => [pairKey(r.learner_id, r.program_id), r.enrolled_on]));
  }

  /**
   * Awards standing for any of the pairs, keyed `learner|program`. A list fills this table faster than statistics
   * follow (autovacuum's analyze comes at most once a minute, PGlite's upkeep every 30 s), and with statistics behind,
   * the planner misjudges the table; so each size of question is asked the way that stays cheap whatever it thinks:
   *
   * - A few pairs (a chunk of a list, a single badge): each learner looked up on the learner-first key
   *   (`issued_awards_once`) and the learner's few awards matched to the pair's program after (`offset 0` keeps the
   *   program out of the lookup). Asked as `learner_id in (…)`, the planner read every award in force through the
   *   partial index of awards in force (0.3 ms a call at the start of a 100,000-row list on PostgreSQL, 17 ms at its
   *   end); with the program inside the lookup, it probed by program (`issued_awards_program_idx`) and read the
   *   program's every award for each pair. While the table holds a few hundred awards the planner may scan it for
   *   each learner, a few milliseconds for a chunk.
   * - Many (a list's upload, up to 100,000): `learner_id in (…)`, at most one pass over the awards a part. Looked up
   *   learner by learner, a table of a few hundred awards was scanned for each of them: 4 s for a 100,000-row upload.
   */
  async awardsFor(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, Date>> {
    if (pairs.length === 0) return new Map();
    return pairs.length > PROBED_PAIRS ? this.#awardsInOnePass(db, pairs) : this.#awardsProbed(db, pairs);
  }

  async #awardsProbed(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, Date>> {
    const { rows } = await sql<{ learner_id: string; program_id: string; issued_at: Date }>`
      select w.learner_id, w.program_id, a.issued_at
      from unnest(${pairs.map((pair) => pair.learnerId)}::uuid[], ${pairs.map((pair) => pair.programId)}::uuid[])
        as w(learner_id, program_id)
      cross join lateral (
        select a.program_id, a.issued_at from issued_awards a
        -- A renewed award has been followed by its renewal, which is the one that stands.
        where a.learner_id = w.learner_id and a.revoked_at is null and a.renewed_at is null
        offset 0
      ) a
      where a.program_id = w.program_id`.execute(db);
    return new Map(rows.map((row) => [pairKey(row.learner_id, row.program_id), row.issued_at]));
  }

  async #awardsInOnePass(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, Date>> {
    const wanted = new Set(pairs.map((pair) => pairKey(pair.learnerId, pair.programId)));
    const rows = await inParts([...new Set(pairs.map((pair) => pair.learnerId))], (learnerIds) =>
      db
        .selectFrom('issued_awards')
        .select(['learner_id', 'program_id', 'issued_at'])
        .where('learner_id', 'in', learnerIds)
        .where('revoked_at', 'is', null)
        .where('renewed_at', 'is', null)
        .execute(),
    );
    const found = new Map<string, Date>();
    for (const row of rows) {
      const key = pairKey(row.learner_id, row.program_id);
      if (wanted.has(key)) found.set(key, row.issued_at);
    }
    return found;
  }

  /** Many awards in a few statements; the same constraints refuse a second award for a learner and program. */
  async insertAwards(db: Db, rows: readonly NewAward[]): Promise<void> {
    for (let at = 0; at < rows.length; at += 500) {
      await db
        .insertInto('issued_awards')
        .values(
          rows.slice(at, at + 500).map((row) => ({
            id: row.id,
            learner_id: row.learnerId,
            program_id: row.programId,
            credential_id: row.credentialId,
            office: row.office,
            credit_mode: row.creditMode,
            source: row.source,
            badge_request_id: row.badgeRequestId,
            tracking_list_row_id: row.trackingListRowId,
            renews_award_id: row.renewsAwardId ?? null,
            term: row.term,
            completion_date: row.completionDate,
            credits: row.credits,
            issued_by: row.issuedBy,
            issued_at: row.issuedAt,
          })),
        )
        .execute();
    }
  }

  /** The approved (not yet issued) badge requests of each learner and program pair, keyed `learner|program`. */
  async approvedRequestsOf(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, string>> {
    if (pairs.length === 0) return new Map();
    const rows = await inPartsOfPairs(pairs, (learnerIds, programIds) =>
      db
        .selectFrom(badgeRequestRows(db).as('r'))
        .select(['id', 'learner_id', 'program_id'])
        .where('learner_id', 'in', learnerIds)
        .where('program_id', 'in', programIds)
        .where('status', '=', 'approved')
        .execute(),
    );
    return new Map(rows.map((r) => [pairKey(r.learner_id, r.program_id), r.id]));
  }

  /**
   * The credit mode of the latest tracking list (not discarded) naming each learner in each program: a
   * hybrid program's cohort lists say which office issues each learner's badge. Keyed `learner|program`.
   */
  async cohortModes(db: Db, pairs: readonly LearnerProgram[]): Promise<Map<string, CreditMode>> {
    if (pairs.length === 0) return new Map();
    const rows = await inPartsOfPairs(pairs, (learnerIds, programIds) =>
      db
        .selectFrom('tracking_list_rows as r')
        .innerJoin('tracking_lists as t', 't.id', 'r.list_id')
        .select(['r.learner_id', 'r.program_id', 't.credit_mode'])
        .where('t.status', '<>', 'discarded')
        .where('r.learner_id', 'in', learnerIds)
        .where('r.program_id', 'in', programIds)
        .orderBy('t.uploaded_at')
        .execute(),
    );
    // Later lists overwrite earlier ones.
    return new Map(rows.map((r) => [pairKey(r.learner_id ?? '', r.program_id ?? ''), r.credit_mode]));
  }

  #awards(db: Db) {
    return awardsJoined(db).select([
      'a.id',
      'a.credential_id as credentialId',
      'l.id as learnerId',
      'l.name as learnerName',
      'l.student_id as studentId',
      'p.slug as programSlug',
      'p.title as programTitle',
      'a.office',
      'a.credit_mode as creditMode',
      'a.source',
      'a.term',
      'a.completion_date as completionDate',
      'a.credits',
      'a.issued_at as issuedAt',
      'u.name as issuedByName',
      'a.registrar_export_id as registrarExportId',
      'f.id as feeChargeId',
      'f.status as feeStatus',
      'f.amount_cents as feeCents',
    ]);
  }

  recentAwards(db: Db, offices: readonly Office[], limit: number): Promise<AwardView[]> {
    if (offices.length === 0) return Promise.resolve([]);
    // The newest awards are picked first and only they are joined. Asked as one join, the planner trusts its
    // statistics, and while a list is being issued they lag far behind (12 awards expected, 4,000 there): it joined
    // every award of the office to learners and fees before keeping twenty, 50 ms and growing with the list.
    const newest = db
      .selectFrom('issued_awards')
      .select('id')
      .where('office', 'in', [...offices])
      .orderBy('issued_at', 'desc')
      .orderBy('id')
      .limit(limit);
    return this.#awards(db)
      .where('a.id', 'in', newest)
      .orderBy('a.issued_at', 'desc')
      .orderBy('a.id')
      .limit(limit)
      .execute();
  }

  /** Opens a savepoint inside the transaction, so one row's failure can be undone without the batch. */
  async savepoint(trx: Db, name: string): Promise<void> {
    await sql`savepoint ${sql.id(name)}`.execute(trx);
  }

  async rollbackToSavepoint(trx: Db, name: string): Promise<void> {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(trx);
  }

  async releaseSavepoint(trx: Db, name: string): Promise<void> {
    await sql`release savepoint ${sql.id(name)}`.execute(trx);
  }

  // ---- registrar exports ----

  /**
   * Notations the next export would add, and revoked badges' notations it would withdraw. Each is counted through its
   * partial index (migrations 0007 and 0069), so the count costs what waits, not every award ever issued.
   */
  async pendingRegistrar(db: Db): Promise<{ additions: number; withdrawals: number }> {
    const row = await db
      .selectNoFrom([
        sql<number>`(select count(*) from issued_awards
          where credit_mode = 'credit' and registrar_export_id is null
            and revoked_at is null and source <> 'renewal')`.as('additions'),
        sql<number>`(select count(*) from issued_awards
          where credit_mode = 'credit' and registrar_export_id is not null and revoked_at is not null
            and registrar_withdrawal_id is null)`.as('withdrawals'),
      ])
      .executeTakeFirstOrThrow();
    return { additions: Number(row.additions), withdrawals: Number(row.withdrawals) };
  }

  async createRegistrarExport(
    db: Db,
    row: { id: string; createdBy: string | null; createdByLabel: string; createdAt: Date },
  ): Promise<void> {
    await db
      .insertInto('registrar_exports')
      .values({
        id: row.id,
        created_by: row.createdBy,
        created_by_label: row.createdByLabel,
        created_at: row.createdAt,
        row_count: 0,
      })
      .execute();
  }

  /**
   * Claims every credit-bearing award not yet exported, and every exported one revoked since, for the batch.
   * The updates themselves claim, so two exports never send the same line.
   */
  async claimForRegistrar(db: Db, batchId: string): Promise<{ additions: number; withdrawals: number }> {
    const added = await db
      .updateTable('issued_awards')
      .set({ registrar_export_id: batchId })
      .where('credit_mode', '=', 'credit')
      .where('registrar_export_id', 'is', null)
      // A badge revoked before it reached the transcript is never sent.
      .where('revoked_at', 'is', null)
      // A renewal attests the same achievement again: the transcript's notation is the original award's.
      .where('source', '<>', 'renewal')
      .returning('id')
      .execute();
    const withdrawn = await db
      .updateTable('issued_awards')
      .set({ registrar_withdrawal_id: batchId })
      .where('credit_mode', '=', 'credit')
      .where('registrar_export_id', 'is not', null)
      .where('revoked_at', 'is not', null)
      .where('registrar_withdrawal_id', 'is', null)
      .returning('id')
      .execute();
    return { additions: added.length, withdrawals: withdrawn.length };
  }

  async finishRegistrarExport(
    db: Db,
    batchId: string,
    counts: { additions: number; withdrawals: number },
  ): Promise<void> {
    await db
      .updateTable('registrar_exports')
      .set({ row_count: counts.additions, withdrawal_count: counts.withdrawals })
      .where('id', '=', batchId)
      .execute();
  }

  async deleteRegistrarExport(db: Db, batchId: string): Promise<void> {
    await db.deleteFrom('registrar_exports').where('id', '=', batchId).execute();
  }

  /** The lines of one export: the notations it added, then those it withdrew. */
  async registrarLines(db: Db, batchId: string): Promise<RegistrarLine[]> {
    const added = await this.#awards(db)
      .where('a.registrar_export_id', '=', batchId)
      .orderBy('a.issued_at')
      .orderBy('a.id')
      .execute();
    const withdrawn = await this.#awards(db)
      .select('a.revoked_at as revokedAt')
      .where('a.registrar_withdrawal_id', '=', batchId)
      .orderBy('a.revoked_at')
      .orderBy('a.id')
      .execute();
    return [
      ...added.map((award) => ({ ...award, action: 'add' as const, revokedAt: null })),
      ...withdrawn.map((award) => ({ ...award, action: 'withdraw' as const })),
    ];
  }

  findRegistrarExport(db: Db, id: string) {
    return db.selectFrom('registrar_exports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listRegistrarExports(db: Db, limit: number) {
    return db
      .selectFrom('registrar_exports')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}
