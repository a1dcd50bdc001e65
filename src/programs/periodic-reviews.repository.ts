import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import type { Db } from '../platform/db/database.ts';

/** SQL for the periodic reviews of established programs. */
export class PeriodicReviewsRepository {
  /**
   * Established programs with their lead, the day review periods count from, and the last review submitted.
   * A program established before the day was recorded counts from the day its record was made.
   */
  establishedPrograms(db: Db, programId?: string) {
    let query = db
      .selectFrom('programs as p')
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('periodic_reviews')
            .distinctOn('program_id')
            .select(['program_id', 'cycle_number', sql<string>`period_ends_on::text`.as('period_ends_on')])
            .where('submitted_at', 'is not', null)
            .orderBy('program_id')
            .orderBy('cycle_number', 'desc')
            .as('last'),
        (join) => join.onRef('last.program_id', '=', 'p.id'),
      )
      .select([
        'p.id',
        'p.title',
        'p.status',
        'p.lead_user_id',
        'u.name as lead_name',
        'u.email as lead_email',
        sql<string>`coalesce(p.established_on, p.created_at::date)::text`.as('established_on'),
        'last.cycle_number as last_cycle',
        'last.period_ends_on as last_ends_on',
      ]);
    query = programId ? query.where('p.id', '=', programId) : query.where('p.status', '=', 'established');
    return query.orderBy('p.title').execute();
  }

  findReview(db: Db, programId: string, cycle: number) {
    return db
      .selectFrom('periodic_reviews as r')
      .leftJoin(userNames(db).as('u'), 'u.id', 'r.submitted_by')
      .selectAll('r')
      .select([
        'u.name as submitted_by_name',
        sql<string>`r.period_starts_on::text`.as('starts_on'),
        sql<string>`r.period_ends_on::text`.as('ends_on'),
        sql<string>`r.due_on::text`.as('due_on_text'),
      ])
      .where('r.program_id', '=', programId)
      .where('r.cycle_number', '=', cycle)
      .executeTakeFirst();
  }

  /** The reviews submitted for a program, oldest first. */
  submittedReviews(db: Db, programId: string) {
    return db
      .selectFrom('periodic_reviews')
      .select([
        'cycle_number',
        sql<string>`period_starts_on::text`.as('starts_on'),
        sql<string>`period_ends_on::text`.as('ends_on'),
        'submitted_at',
      ])
      .where('program_id', '=', programId)
      .where('submitted_at', 'is not', null)
      .orderBy('cycle_number')
      .execute();
  }

  async saveReview(
    db: Db,
    review: {
      id: string;
      programId: string;
      cycle: number;
      startsOn: string;
      endsOn: string;
      dueOn: string;
      figures: unknown;
      highlights: string;
      challenges: string;
      learnerFeedback: string;
      changesPlanned: string;
      by: string;
      submittedAt: Date | null;
    },
  ): Promise<void> {
    const values = {
      // The period is the one owed when saved: a draft follows a change of the institution's rhythm.
      period_starts_on: review.startsOn,
      period_ends_on: review.endsOn,
      due_on: review.dueOn,
      figures: JSON.stringify(review.figures),
      highlights: review.highlights,
      challenges: review.challenges,
      learner_feedback: review.learnerFeedback,
      changes_planned: review.changesPlanned,
      updated_by: review.by,
      updated_at: sql<Date>`now()`,
      ...(review.submittedAt ? { submitted_at: review.submittedAt, submitted_by: review.by } : {}),
    };
    await db
      .insertInto('periodic_reviews')
      .values({ id: review.id, program_id: review.programId, cycle_number: review.cycle, ...values })
      .onConflict((oc) => oc.columns(['program_id', 'cycle_number']).doUpdateSet(values))
      .execute();
  }
}
