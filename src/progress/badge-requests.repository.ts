import { userNames } from '../accounts/accounts.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programRows } from '../programs/programs.queries.ts';
import type { BadgeRequestStatus, EvaluationSnapshot } from './progress.tables.ts';

/** A badge request with the names people need to read it. */
export interface BadgeRequestView {
  id: string;
  status: BadgeRequestStatus;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedByName: string | null;
  comment: string | null;
  evaluation: EvaluationSnapshot;
  credentialId: string | null;
  issuedAt: Date | null;
  learnerId: string;
  learnerUserId: string | null;
  learnerName: string;
  learnerEmail: string;
  studentId: string;
  programId: string;
  programSlug: string;
  programTitle: string;
  leadUserId: string | null;
  /** The day the learner enrolled; null if the enrolment is gone. */
  enrolledOn: string | null;
}

export const openStatuses: readonly BadgeRequestStatus[] = ['requested', 'approved'];

/** SQL for badge requests. The partial unique index `badge_requests_one_open` guards duplicates. */
export class BadgeRequestsRepository {
  #query(db: Db) {
    return db
      .selectFrom('badge_requests as r')
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'r.learner_id')
      .innerJoin(programRows(db).as('p'), 'p.id', 'r.program_id')
      .leftJoin(userNames(db).as('d'), 'd.id', 'r.decided_by')
      .leftJoin(enrolmentRows(db).as('e'), (join) =>
        join.onRef('e.learner_id', '=', 'r.learner_id').onRef('e.program_id', '=', 'r.program_id'),
      )
      .select([
        'r.id',
        'r.status',
        'r.requested_at as requestedAt',
        'r.decided_at as decidedAt',
        'd.name as decidedByName',
        'r.comment',
        'r.evaluation',
        'r.credential_id as credentialId',
        'r.issued_at as issuedAt',
        'l.id as learnerId',
        'l.user_id as learnerUserId',
        'l.name as learnerName',
        'l.email as learnerEmail',
        'l.student_id as studentId',
        'p.id as programId',
        'p.slug as programSlug',
        'p.title as programTitle',
        'p.lead_user_id as leadUserId',
        'e.enrolled_on as enrolledOn',
      ]);
  }

  /** One request; with `lock`, the row is held until the transaction ends, so two decisions cannot race. */
  async find(db: Db, id: string, lock = false): Promise<BadgeRequestView | undefined> {
    if (lock) await db.selectFrom('badge_requests').select('id').where('id', '=', id).forUpdate().execute();
    return this.#query(db).where('r.id', '=', id).executeTakeFirst();
  }

  /** Every request of one learner, newest first (the dashboard shows the latest per program). */
  listForLearner(db: Db, learnerId: string): Promise<BadgeRequestView[]> {
    return this.#query(db).where('r.learner_id', '=', learnerId).orderBy('r.requested_at', 'desc').execute();
  }

  listForLearnerInProgram(db: Db, learnerId: string, programId: string): Promise<BadgeRequestView[]> {
    return this.#query(db)
      .where('r.learner_id', '=', learnerId)
      .where('r.program_id', '=', programId)
      .orderBy('r.requested_at', 'desc')
      .execute();
  }

  /** The latest request of each learner in a program (one query), keyed by learner. */
  async latestInProgram(db: Db, programId: string): Promise<Map<string, BadgeRequestView>> {
    const rows = await this.#query(db)
      .where('r.program_id', '=', programId)
      .orderBy('r.requested_at', 'desc')
      .execute();
    const latest = new Map<string, BadgeRequestView>();
    for (const row of rows) if (!latest.has(row.learnerId)) latest.set(row.learnerId, row);
    return latest;
  }

  /** Requests in a status, oldest first; narrowed to the programs one lead leads and/or one program. */
  listByStatus(
    db: Db,
    status: BadgeRequestStatus,
    filter: { leadUserId?: string; programId?: string; limit: number },
  ): Promise<BadgeRequestView[]> {
    let query = this.#query(db).where('r.status', '=', status);
    if (filter.leadUserId !== undefined) query = query.where('p.lead_user_id', '=', filter.leadUserId);
    if (filter.programId !== undefined) query = query.where('r.program_id', '=', filter.programId);
    return query.orderBy('r.requested_at').orderBy('r.id').limit(filter.limit).execute();
  }

  /** Whether the learner already has an open or issued request for the program. */
  /** An open or issued request, with the status of the credential an issued one led to. */
  findBlocking(db: Db, learnerId: string, programId: string) {
    return db
      .selectFrom('badge_requests as r')
      .leftJoin(credentialStatuses(db).as('c'), 'c.id', 'r.credential_id')
      .select(['r.id', 'r.status', 'c.status as credential_status'])
      .where('r.learner_id', '=', learnerId)
      .where('r.program_id', '=', programId)
      .where('r.status', 'in', [...openStatuses, 'issued'])
      .orderBy('r.requested_at', 'desc')
      .executeTakeFirst();
  }

  /**
   * Inserts an open request; false when the learner already has an open one for the program. The partial
   * unique index decides, so two requests sent at once cannot both be kept.
   */
  async insert(
    db: Db,
    row: {
      id: string;
      learnerId: string;
      programId: string;
      status: 'requested' | 'approved';
      requestedAt: Date;
      evaluation: EvaluationSnapshot;
      decidedBy?: string;
      decidedAt?: Date;
      comment?: string;
    },
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('badge_requests')
      .values({
        id: row.id,
        learner_id: row.learnerId,
        program_id: row.programId,
        status: row.status,
        requested_at: row.requestedAt,
        evaluation: JSON.stringify(row.evaluation),
        decided_by: row.decidedBy ?? null,
        decided_at: row.decidedAt ?? null,
        comment: row.comment ?? null,
      })
      .onConflict((oc) =>
        oc
          .columns(['learner_id', 'program_id'])
          .where('status', 'in', [...openStatuses])
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Moves a request from one status to another; false when it was no longer in `from`. */
  async changeStatus(
    db: Db,
    id: string,
    from: BadgeRequestStatus,
    to: {
      status: BadgeRequestStatus;
      decidedBy?: string;
      decidedAt?: Date;
      comment?: string | null;
      credentialId?: string;
      issuedAt?: Date;
    },
  ): Promise<boolean> {
    const updated = await db
      .updateTable('badge_requests')
      .set({
        status: to.status,
        ...(to.decidedBy === undefined ? {} : { decided_by: to.decidedBy }),
        ...(to.decidedAt === undefined ? {} : { decided_at: to.decidedAt }),
        ...(to.comment === undefined ? {} : { comment: to.comment }),
        ...(to.credentialId === undefined ? {} : { credential_id: to.credentialId }),
        ...(to.issuedAt === undefined ? {} : { issued_at: to.issuedAt }),
      })
      .where('id', '=', id)
      .where('status', '=', from)
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }

  /** Demo enrolments by student ID and program slug, to attach seeded requests to. */
  findDemoEnrolments(db: Db, studentIds: readonly string[]) {
    if (studentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'e.learner_id')
      .innerJoin(programRows(db).as('p'), 'p.id', 'e.program_id')
      .select([
        'l.id as learnerId',
        'l.student_id as studentId',
        'p.id as programId',
        'p.slug as programSlug',
        'p.lead_user_id as leadUserId',
        'e.enrolled_on as enrolledOn',
      ])
      .where('l.student_id', 'in', [...studentIds])
      .execute();
  }
}
