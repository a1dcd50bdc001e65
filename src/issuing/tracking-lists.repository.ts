import { type Insertable, sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { hasLiveJob } from '../platform/jobs/live-jobs.ts';
import type { ProgramState } from '../programs/program-vocabulary.ts';
import { programRows } from '../programs/programs.queries.ts';
import type {
  CreditMode,
  Office,
  TrackingListRowsTable,
  TrackingListStatus,
  TrackingRowStatus,
} from './issuing.tables.ts';
import type { ListLine } from './tracking-list-file.ts';
import { defaultStallTiming, type StallTiming } from './tracking-list-heartbeat.ts';

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
  /** The program the row names: the one it was judged against, or else the one its slug names now; null if none. */
  program: RowProgram | null;
  /** Whether a learner record has the row's student ID now (it may have been made since the upload). */
  hasLearnerRecord: boolean;
}

/** A stored row as the file gave it, to be judged again. */
export interface StoredRow {
  id: string;
  status: TrackingRowStatus;
  hasLearnerRecord: boolean;
  line: ListLine;
}

/** What a list's page needs of the program a row names, read through the programs module's published piece. */
export interface RowProgram {
  id: string;
  slug: string;
  title: string;
  status: ProgramState;
  leadUserId: string | null;
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

/** The queue a committed list's job waits in (tracking-lists.service.ts, issueTrackingListJob). */
export const ISSUE_QUEUE = 'tracking-list-issue';

/**
 * Lists nothing is working on or will take up, by the database's clock (the one every worker writes by): running
 * with no heartbeat for the stall interval, or queued with no job left to run them (it gave up, or its worker died
 * before starting) and not just queued again by the watch. Every job of a list is sent with the list's id as its
 * singleton key.
 */
function isStalledSql(timing: StallTiming) {
  const seconds = timing.stallAfterMs / 1000;
  const silent = sql<boolean>`(t.heartbeat_at is null or t.heartbeat_at < now() - make_interval(secs => ${seconds}))`;
  const jobless = sql<boolean>`not ${hasLiveJob([ISSUE_QUEUE], { singletonKey: true }, sql<string>`t.id::text`, seconds)}`;
  return sql<boolean>`((t.status = 'running' and ${silent}) or (t.status = 'queued' and ${silent} and ${jobless}))`;
}

/** SQL for tracking lists and their rows. */
export class TrackingListsRepository {
  readonly #isStalled: ReturnType<typeof isStalledSql>;
  readonly #stallSeconds: number;

  constructor(timing: StallTiming = defaultStallTiming) {
    this.#isStalled = isStalledSql(timing);
    this.#stallSeconds = timing.stallAfterMs / 1000;
  }

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

  /** What an upload learns only once its whole file is read: the list's cohort, credit mode, office and size. */
  async settleList(
    db: Db,
    id: string,
    shape: { cohort: string; creditMode: CreditMode; office: Office; rowsTotal: number },
  ): Promise<void> {
    await db
      .updateTable('tracking_lists')
      .set({
        cohort: shape.cohort,
        credit_mode: shape.creditMode,
        office: shape.office,
        rows_total: shape.rowsTotal,
      })
      .where('id', '=', id)
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
        this.#isStalled.as('isStalled'),
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
   * Lists that reached one of these offices and wait for it to check and commit them (or failed there). A preview
   * with no ready row has nothing to commit, so it is not waiting (a walk-through found two such counted).
   */
  async countWaiting(db: Db, offices: readonly Office[]): Promise<{ waiting: number; failed: number }> {
    if (offices.length === 0) return { waiting: 0, failed: 0 };
    const row = await db
      .selectFrom('tracking_lists as t')
      .select([
        sql<number>`count(*) filter (where t.status = 'preview' and exists (
          select 1 from tracking_list_rows r where r.list_id = t.id and r.status = 'ready'))`.as('waiting'),
        sql<number>`count(*) filter (where t.status = 'failed')`.as('failed'),
      ])
      .where('t.office', 'in', [...offices])
      .where('t.submitted_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return { waiting: Number(row.waiting), failed: Number(row.failed) };
  }

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
  /**
   * Whether a row of the list ready to issue awards a badge to this person: the learner record is linked to their
   * account or carries their address (as the progress module tells a person's own record).
   */
  async awardsPerson(db: Db, listId: string, person: { id: string; email: string }): Promise<boolean> {
    const row = await db
      .selectFrom('tracking_list_rows as r')
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'r.learner_id')
      .where('r.list_id', '=', listId)
      .where('r.status', '=', 'ready')
      .where((eb) =>
        eb.or([
          eb('l.user_id', '=', person.id),
          eb(sql`lower(l.email)`, '=', person.email.trim().toLowerCase()),
        ]),
      )
      .select('r.id')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

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

  async rows(
    db: Db,
    listId: string,
    filter: { status?: TrackingRowStatus; limit: number },
  ): Promise<TrackingRowView[]> {
    let query = db
      .selectFrom('tracking_list_rows as r')
      // A ready row keeps the program it was judged against; any other row names one by its slug, if one has it.
      .leftJoin(programRows(db).as('p'), (join) =>
        join.on((eb) =>
          eb.or([
            eb('p.id', '=', eb.ref('r.program_id')),
            eb.and([eb('r.program_id', 'is', null), eb('p.slug', '=', eb.ref('r.program_slug'))]),
          ]),
        ),
      )
      .leftJoin(learnerRows(db).as('l'), 'l.student_id', 'r.student_id')
      .select([
        'r.id',
        'r.line',
        'r.student_id as studentId',
        'r.email',
        'r.first_name as firstName',
        'r.last_name as lastName',
        'r.program_slug as programSlug',
        'r.completion_date as completionDate',
        'r.term',
        'r.fee_waived as feeWaived',
        'r.notes',
        'r.status',
        'r.reason',
        'r.credential_id as credentialId',
        'p.id as programId',
        'p.slug as slug',
        'p.title as programTitle',
        'p.status as programStatus',
        'p.lead_user_id as programLeadUserId',
        'l.id as learnerId',
      ])
      .where('r.list_id', '=', listId);
    if (filter.status) query = query.where('r.status', '=', filter.status);
    const rows = await query.orderBy('r.line').limit(filter.limit).execute();
    return rows.map(
      ({ programId, slug, programTitle, programStatus, programLeadUserId, learnerId, ...row }) => ({
        ...row,
        hasLearnerRecord: learnerId !== null,
        program:
          programId && slug && programTitle && programStatus
            ? {
                id: programId,
                slug,
                title: programTitle,
                status: programStatus,
                leadUserId: programLeadUserId,
              }
            : null,
      }),
    );
  }

  /**
   * Rows of a list as the file gave them, with their status now: the one with this id, the not-eligible rows of one
   * student ID (after their learner record was made, each is judged again), or a page of the list's not-eligible
   * rows after a line (the whole list checked again), in file order.
   */
  async storedRows(
    db: Db,
    listId: string,
    which:
      | { id: string }
      | { notEligibleStudentId: string }
      | { notEligibleAfterLine: number; limit: number },
  ): Promise<StoredRow[]> {
    let query = db
      .selectFrom('tracking_list_rows as r')
      .leftJoin(learnerRows(db).as('l'), 'l.student_id', 'r.student_id')
      .selectAll('r')
      .select('l.id as learnerRecordId')
      .where('r.list_id', '=', listId);
    if ('id' in which) query = query.where('r.id', '=', which.id);
    else if ('notEligibleStudentId' in which) {
      query = query
        .where('r.student_id', '=', which.notEligibleStudentId)
        .where('r.status', '=', 'not_eligible');
    } else {
      query = query
        .where('r.status', '=', 'not_eligible')
        .where('r.line', '>', which.notEligibleAfterLine)
        .limit(which.limit);
    }
    const rows = await query.orderBy('r.line').execute();
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      hasLearnerRecord: row.learnerRecordId !== null,
      line: {
        line: row.line,
        studentId: row.student_id,
        email: row.email,
        firstName: row.first_name,
        lastName: row.last_name,
        programSlug: row.program_slug,
        completionDate: row.completion_date,
        term: row.term,
        creditMode: row.credit_mode,
        cohort: row.cohort,
        feeWaived: row.fee_waived,
        notes: row.notes,
        // A row that could not be read is an error, and an error is never judged again.
        problems: [],
      },
    }));
  }

  /** Writes a row's new verdict, while it is still not eligible: true when it was written. */
  async rejudgeRow(
    db: Db,
    rowId: string,
    verdict: {
      status: TrackingRowStatus;
      reason: string | null;
      learnerId: string | null;
      programId: string | null;
    },
  ): Promise<boolean> {
    const updated = await db
      .updateTable('tracking_list_rows')
      .set({
        status: verdict.status,
        reason: verdict.reason,
        learner_id: verdict.learnerId,
        program_id: verdict.programId,
      })
      .where('id', '=', rowId)
      .where('status', '=', 'not_eligible')
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /** Moves a list between statuses; false when it was not in one of `from`. */
  async changeStatus(
    db: Db,
    id: string,
    from: readonly TrackingListStatus[],
    to: {
      status: TrackingListStatus;
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

  /**
   * Takes the list up for the worker run `workerId`: only a list waiting or stopped (queued, failed) or running
   * with nobody holding it or its holder silent for the stall interval. False when another run holds it (that run
   * finishes it) or it is finished. Starts the heartbeat.
   */
  async claim(db: Db, id: string, workerId: string): Promise<boolean> {
    const claimed = await db
      .updateTable('tracking_lists')
      .set({ status: 'running', worker_id: workerId, heartbeat_at: sql`now()`, last_error: null })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running', 'failed'])
      .where(
        sql<boolean>`(worker_id is null or heartbeat_at is null
          or heartbeat_at < now() - make_interval(secs => ${this.#stallSeconds}))`,
      )
      .returning('id')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  /** Whether the run `workerId` still holds the running list: asked before each chunk. */
  async holds(db: Db, id: string, workerId: string): Promise<boolean> {
    const row = await db
      .selectFrom('tracking_lists')
      .select('id')
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Lets go of the list, when its run stops (done, failed, or gave way): false if the run no longer held it. */
  async release(
    db: Db,
    id: string,
    workerId: string,
    to?: { status: 'failed'; lastError: string },
  ): Promise<boolean> {
    const released = await db
      .updateTable('tracking_lists')
      .set({ worker_id: null, ...(to ? { status: to.status, last_error: to.lastError } : {}) })
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .returning('id')
      .executeTakeFirst();
    return released !== undefined;
  }

  /**
   * The run `workerId` says it is alive; only while it holds the running list, so a late beat cannot touch a
   * finished list or one the watch took away. False when it no longer holds it.
   */
  async beat(db: Db, id: string, workerId: string): Promise<boolean> {
    const beaten = await db
      .updateTable('tracking_lists')
      .set({ heartbeat_at: sql`now()` })
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'running')
      .returning('id')
      .executeTakeFirst();
    return beaten !== undefined;
  }

  /**
   * Takes the stalled lists (or the one given) for resuming: their heartbeat is set to now, so another process looking at the same
   * moment (its update waits for this one's row lock, then finds the beat fresh) leaves them alone, and the claim
   * of a silent holder is let go, so the job queued for the list can take it up.
   */
  async claimStalled(db: Db, onlyId?: string): Promise<string[]> {
    let update = db
      .updateTable('tracking_lists as t')
      .set({ heartbeat_at: sql`now()`, worker_id: null })
      .where(this.#isStalled);
    if (onlyId) update = update.where('t.id', '=', onlyId);
    const rows = await update.returning('t.id').execute();
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
