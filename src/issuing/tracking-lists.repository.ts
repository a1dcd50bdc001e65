import { type Insertable, sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programRows } from '../programs/programs.queries.ts';
import type {
  CreditMode,
  Office,
  TrackingListRowsTable,
  TrackingListStatus,
  TrackingRowStatus,
} from './issuing.tables.ts';
import { STALLED_AFTER_SECONDS } from './tracking-list-heartbeat.ts';

/** How many rows of a list are in each status. */
export type RowCounts = Record<TrackingRowStatus, number>;

export const rowStatuses: readonly TrackingRowStatus[] = [
  'ready',
  'not_eligible',
  'error',
  'issued',
  'skipped',
  'failed',
];

/** A tracking list with the names and counts its pages show. */
export interface TrackingListView {
  id: string;
  fileName: string;
  sha256: string;
  cohort: string;
  creditMode: CreditMode;
  office: Office;
  status: TrackingListStatus;
  rowsTotal: number;
  uploadedBy: string | null;
  uploadedByLabel: string;
  uploadedAt: Date;
  /** Null while a program lead's draft waits to be submitted to the office. */
  submittedAt: Date | null;
  committedBy: string | null;
  committedByName: string | null;
  committedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
  /** Running, but its worker has not been heard from for a while (tracking-list-heartbeat.ts). */
  isStalled: boolean;
  counts: RowCounts;
}

/** A list row as the preview and the report show it. */
export interface TrackingRowView {
  id: string;
  line: number;
  studentId: string;
  email: string;
  firstName: string;
  lastName: string;
  programSlug: string;
  completionDate: string | null;
  term: string;
  feeWaived: boolean;
  notes: string;
  status: TrackingRowStatus;
  reason: string | null;
  credentialId: string | null;
}

/** A ready row with what issuing it needs. */
export interface ReadyRow {
  id: string;
  line: number;
  learnerId: string;
  programId: string;
  completionDate: string;
  term: string;
  feeWaived: boolean;
  notes: string;
}

const emptyCounts = (): RowCounts => ({
  ready: 0,
  not_eligible: 0,
  error: 0,
  issued: 0,
  skipped: 0,
  failed: 0,
});
const insertChunk = 500;

/** Running with no heartbeat for STALLED_AFTER_SECONDS, by the database's clock (the one every worker writes by). */
const isStalled = sql<boolean>`(t.status = 'running' and (t.heartbeat_at is null
  or t.heartbeat_at < now() - make_interval(secs => ${STALLED_AFTER_SECONDS})))`;

/** SQL for tracking lists and their rows. */
export class TrackingListsRepository {
  async insertList(
    db: Db,
    row: {
      id: string;
      fileName: string;
      sha256: string;
      cohort: string;
      creditMode: CreditMode;
      office: Office;
      rowsTotal: number;
      uploadedBy: string | null;
      uploadedByLabel: string;
      uploadedAt: Date;
      submittedAt: Date | null;
    },
  ): Promise<void> {
    await db
      .insertInto('tracking_lists')
      .values({
        id: row.id,
        file_name: row.fileName,
        sha256: row.sha256,
        cohort: row.cohort,
        credit_mode: row.creditMode,
        office: row.office,
        rows_total: row.rowsTotal,
        uploaded_by: row.uploadedBy,
        uploaded_by_label: row.uploadedByLabel,
        uploaded_at: row.uploadedAt,
        submitted_at: row.submittedAt,
      })
      .execute();
  }

  async insertRows(db: Db, rows: readonly Insertable<TrackingListRowsTable>[]): Promise<void> {
    for (let at = 0; at < rows.length; at += insertChunk) {
      await db
        .insertInto('tracking_list_rows')
        .values(rows.slice(at, at + insertChunk))
        .execute();
    }
  }

  #lists(db: Db) {
    return db
      .selectFrom('tracking_lists as t')
      .leftJoin(userNames(db).as('c'), 'c.id', 't.committed_by')
      .select([
        't.id',
        't.file_name as fileName',
        't.sha256',
        't.cohort',
        't.credit_mode as creditMode',
        't.office',
        't.status',
        't.rows_total as rowsTotal',
        't.uploaded_by as uploadedBy',
        't.uploaded_by_label as uploadedByLabel',
        't.uploaded_at as uploadedAt',
        't.submitted_at as submittedAt',
        't.committed_by as committedBy',
        'c.name as committedByName',
        't.committed_at as committedAt',
        't.finished_at as finishedAt',
        't.last_error as lastError',
        isStalled.as('isStalled'),
      ]);
  }

  async #withCounts(db: Db, lists: Omit<TrackingListView, 'counts'>[]): Promise<TrackingListView[]> {
    if (lists.length === 0) return [];
    const rows = await db
      .selectFrom('tracking_list_rows')
      .select(['list_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where(
        'list_id',
        'in',
        lists.map((l) => l.id),
      )
      .groupBy(['list_id', 'status'])
      .execute();
    const counts = new Map(lists.map((l) => [l.id, emptyCounts()]));
    for (const row of rows) counts.get(row.list_id)![row.status] = Number(row.n);
    return lists.map((list) => ({ ...list, counts: counts.get(list.id)! }));
  }

  /** One list with its counts; with `lock`, the list row is held until the transaction ends. */
  async find(db: Db, id: string, lock = false): Promise<TrackingListView | undefined> {
    if (lock) await db.selectFrom('tracking_lists').select('id').where('id', '=', id).forUpdate().execute();
    const list = await this.#lists(db).where('t.id', '=', id).executeTakeFirst();
    return list ? (await this.#withCounts(db, [list]))[0] : undefined;
  }

  /**
   * The newest lists this person sees: their offices' submitted lists, and every list they uploaded themselves
   * (a program lead's drafts and submissions).
   */
  async listRecent(
    db: Db,
    seenBy: { offices: readonly Office[]; uploader: string },
    limit: number,
  ): Promise<TrackingListView[]> {
    const { offices, uploader } = seenBy;
    const lists = await this.#lists(db)
      .where((eb) =>
        eb.or([
          eb('t.uploaded_by', '=', uploader),
          ...(offices.length > 0
            ? [eb.and([eb('t.office', 'in', [...offices]), eb('t.submitted_at', 'is not', null)])]
            : []),
        ]),
      )
      .orderBy('t.uploaded_at', 'desc')
      .limit(limit)
      .execute();
    return this.#withCounts(db, lists);
  }

  /**
   * What committing the list would charge: the ready rows whose fee is charged (with the sum of their programs'
   * fees as they stand now) and those waived on the list.
   */
  async readyFees(db: Db, listId: string): Promise<{ charged: number; waived: number; totalCents: number }> {
    const row = await db
      .selectFrom('tracking_list_rows as r')
      .innerJoin(programRows(db).as('p'), 'p.id', 'r.program_id')
      .where('r.list_id', '=', listId)
      .where('r.status', '=', 'ready')
      .select([
        sql<number>`count(*) filter (where not r.fee_waived and p.fee_cents > 0)`.as('charged'),
        sql<number>`count(*) filter (where r.fee_waived)`.as('waived'),
        sql<number>`coalesce(sum(p.fee_cents) filter (where not r.fee_waived), 0)::bigint`.as('totalCents'),
      ])
      .executeTakeFirstOrThrow();
    // Counts and sums arrive as strings on PostgreSQL and numbers on PGlite.
    return { charged: Number(row.charged), waived: Number(row.waived), totalCents: Number(row.totalCents) };
  }

  /** Marks a lead's draft submitted; false when it was not an unsubmitted preview. */
  async submit(db: Db, id: string, at: Date): Promise<boolean> {
    const updated = await db
      .updateTable('tracking_lists')
      .set({ submitted_at: at })
      .where('id', '=', id)
      .where('status', '=', 'preview')
      .where('submitted_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  rows(
    db: Db,
    listId: string,
    filter: { status?: TrackingRowStatus; limit: number },
  ): Promise<TrackingRowView[]> {
    let query = db
      .selectFrom('tracking_list_rows')
      .select([
        'id',
        'line',
        'student_id as studentId',
        'email',
        'first_name as firstName',
        'last_name as lastName',
        'program_slug as programSlug',
        'completion_date as completionDate',
        'term',
        'fee_waived as feeWaived',
        'notes',
        'status',
        'reason',
        'credential_id as credentialId',
      ])
      .where('list_id', '=', listId);
    if (filter.status) query = query.where('status', '=', filter.status);
    return query.orderBy('line').limit(filter.limit).execute();
  }

  /** Moves a list between statuses; false when it was not in one of `from`. */
  async changeStatus(
    db: Db,
    id: string,
    from: readonly TrackingListStatus[],
    to: {
      status: TrackingListStatus;
      /** Starts the heartbeat (a worker taking the list up). */
      beat?: boolean;
      committedBy?: string;
      committedAt?: Date;
      finishedAt?: Date | null;
      lastError?: string | null;
    },
  ): Promise<boolean> {
    const updated = await db
      .updateTable('tracking_lists')
      .set({
        status: to.status,
        ...(to.beat ? { heartbeat_at: sql`now()` } : {}),
        ...(to.committedBy === undefined ? {} : { committed_by: to.committedBy }),
        ...(to.committedAt === undefined ? {} : { committed_at: to.committedAt }),
        ...(to.finishedAt === undefined ? {} : { finished_at: to.finishedAt }),
        ...(to.lastError === undefined ? {} : { last_error: to.lastError }),
      })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /** The list's worker says it is alive; only while the list runs, so a late beat cannot touch a finished list. */
  async beat(db: Db, id: string): Promise<void> {
    await db
      .updateTable('tracking_lists')
      .set({ heartbeat_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Takes the stalled running lists for resuming: their heartbeat is set to now, so another process looking at the
   * same moment (its update waits for this one's row lock, then finds the beat fresh) leaves them alone, and the
   * resumed run has the whole stall interval to beat on its own.
   */
  async claimStalled(db: Db): Promise<string[]> {
    const rows = await db
      .updateTable('tracking_lists as t')
      .set({ heartbeat_at: sql`now()` })
      .where(isStalled)
      .returning('t.id')
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * The next ready rows of a list in file order, locked for this transaction. Rows another worker holds are
   * skipped rather than waited for, so two runs of the same job never issue the same row.
   */
  nextReadyRows(db: Db, listId: string, limit: number): Promise<ReadyRow[]> {
    return db
      .selectFrom('tracking_list_rows')
      .select([
        'id',
        'line',
        'learner_id as learnerId',
        'program_id as programId',
        'completion_date as completionDate',
        'term',
        'fee_waived as feeWaived',
        'notes',
      ])
      .where('list_id', '=', listId)
      .where('status', '=', 'ready')
      .orderBy('line')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute() as Promise<ReadyRow[]>;
  }

  async finishRow(
    db: Db,
    rowId: string,
    outcome: {
      status: 'issued' | 'skipped' | 'failed';
      reason: string | null;
      credentialId: string | null;
      at: Date;
    },
  ): Promise<void> {
    await db
      .updateTable('tracking_list_rows')
      .set({
        status: outcome.status,
        reason: outcome.reason,
        credential_id: outcome.credentialId,
        processed_at: outcome.at,
      })
      .where('id', '=', rowId)
      .where('status', '=', 'ready')
      .execute();
  }

  /** Marks a chunk of ready rows issued, each with its credential, in one statement; returns how many. */
  async finishRowsIssued(
    db: Db,
    rows: readonly { rowId: string; credentialId: string }[],
    at: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const issued = sql.join(rows.map((row) => sql`(${row.rowId}::uuid, ${row.credentialId}::uuid)`));
    const result = await sql`
      update tracking_list_rows as r
      set status = 'issued', reason = null, credential_id = v.credential_id, processed_at = ${at}
      from (values ${issued}) as v (row_id, credential_id)
      where r.id = v.row_id and r.status = 'ready'
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** The person who committed a list, to issue in their name. */
  findUser(db: Db, id: string) {
    return db.selectFrom(userNames(db).as('u')).selectAll().where('id', '=', id).executeTakeFirst();
  }
}
