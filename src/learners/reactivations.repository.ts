import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programNames } from '../programs/programs.queries.ts';
import type { ReactivationStatus } from './learners.tables.ts';

export interface ReactivationRequest {
  id: string;
  userId: string;
  userEmail: string;
  programId: string;
  programSlug: string;
  programTitle: string;
  learnerId: string | null;
  name: string;
  studentId: string | null;
  lastTerm: string;
  reason: string;
  status: ReactivationStatus;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  createdAt: Date;
}

/** SQL for returning students' requests to have their record reactivated. */
export class ReactivationsRepository {
  #requests(db: Db) {
    return db
      .selectFrom('reactivation_requests as r')
      .innerJoin(userNames(db).as('u'), 'u.id', 'r.user_id')
      .innerJoin(programNames(db).as('p'), 'p.id', 'r.program_id')
      .leftJoin(userNames(db).as('d'), 'd.id', 'r.decided_by')
      .select([
        'r.id',
        'r.user_id as userId',
        'u.email as userEmail',
        'r.program_id as programId',
        'p.slug as programSlug',
        'p.title as programTitle',
        'r.learner_id as learnerId',
        'r.name',
        'r.student_id as studentId',
        'r.last_term as lastTerm',
        'r.reason',
        'r.status',
        'd.name as decidedByName',
        'r.decided_at as decidedAt',
        'r.decision_comment as decisionComment',
        'r.created_at as createdAt',
      ]);
  }

  find(db: Db, id: string): Promise<ReactivationRequest | undefined> {
    return this.#requests(db).where('r.id', '=', id).executeTakeFirst();
  }

  /** Locks the request row so two staff deciding at once cannot both act on it. */
  async lockPending(db: Db, id: string): Promise<boolean> {
    const row = await db
      .selectFrom('reactivation_requests')
      .select('id')
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .forUpdate()
      .executeTakeFirst();
    return row !== undefined;
  }

  findPending(db: Db, userId: string, programId: string): Promise<ReactivationRequest | undefined> {
    return this.#requests(db)
      .where('r.user_id', '=', userId)
      .where('r.program_id', '=', programId)
      .where('r.status', '=', 'pending')
      .executeTakeFirst();
  }

  list(db: Db, status: 'pending' | 'decided', limit: number): Promise<ReactivationRequest[]> {
    const query = this.#requests(db);
    return status === 'pending'
      ? query.where('r.status', '=', 'pending').orderBy('r.created_at').limit(limit).execute()
      : query.where('r.status', '<>', 'pending').orderBy('r.decided_at', 'desc').limit(limit).execute();
  }

  async insert(
    db: Db,
    row: {
      id: string;
      userId: string;
      programId: string;
      learnerId: string | null;
      name: string;
      studentId: string | null;
      lastTerm: string;
      reason: string;
    },
  ): Promise<void> {
    await db
      .insertInto('reactivation_requests')
      .values({
        id: row.id,
        user_id: row.userId,
        program_id: row.programId,
        learner_id: row.learnerId,
        name: row.name,
        student_id: row.studentId,
        last_term: row.lastTerm,
        reason: row.reason,
      })
      .execute();
  }

  async decide(
    db: Db,
    id: string,
    decision: {
      status: 'approved' | 'declined';
      by: string;
      at: Date;
      comment: string | null;
      learnerId: string | null;
    },
  ): Promise<void> {
    await db
      .updateTable('reactivation_requests')
      .set({
        status: decision.status,
        decided_by: decision.by,
        decided_at: decision.at,
        decision_comment: decision.comment,
        ...(decision.learnerId ? { learner_id: decision.learnerId } : {}),
      })
      .where('id', '=', id)
      .execute();
  }
}
