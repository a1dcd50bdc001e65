import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { completionRows, enrolmentRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { PILOT_STATES } from './program-vocabulary.ts';
import type { ReminderKind } from './programs.tables.ts';

/** The figures a pilot review starts from, for one academic year of one program. */
export interface ReviewFigures {
  newEnrolments: number;
  activeEnrolments: number;
  completedEnrolments: number;
  courseCompletions: number;
}

/** SQL for pilot reviews, the figures that pre-fill them, and the reminders log. */
export class PilotReviewsRepository {
  /** Programs that run (or ran) a pilot, with their lead and the years already reviewed. */
  pilotPrograms(db: Db, programId?: string) {
    let query = db
      .selectFrom('programs as p')
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .select([
        'p.id',
        'p.title',
        'p.status',
        'p.lead_user_id',
        'p.pilot_started_on',
        'p.pilot_start_year',
        'u.name as lead_name',
        'u.email as lead_email',
        sql<number[]>`coalesce((select array_agg(r.year_number order by r.year_number) from pilot_reviews r
          where r.program_id = p.id and r.submitted_at is not null), '{}')`.as('submitted_years'),
      ]);
    query = programId ? query.where('p.id', '=', programId) : query.where('p.status', 'in', PILOT_STATES);
    return query.orderBy('p.title').execute();
  }

  findReview(db: Db, programId: string, year: number) {
    return db
      .selectFrom('pilot_reviews as r')
      .leftJoin(userNames(db).as('u'), 'u.id', 'r.submitted_by')
      .selectAll('r')
      .select('u.name as submitted_by_name')
      .where('r.program_id', '=', programId)
      .where('r.year_number', '=', year)
      .executeTakeFirst();
  }

  listReviews(db: Db, programId: string) {
    return db
      .selectFrom('pilot_reviews')
      .select(['year_number', 'submitted_at', 'updated_at'])
      .where('program_id', '=', programId)
      .orderBy('year_number')
      .execute();
  }

  async saveReview(
    db: Db,
    review: {
      id: string;
      programId: string;
      year: number;
      academicYear: string;
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
      academic_year: review.academicYear,
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
      .insertInto('pilot_reviews')
      .values({ id: review.id, program_id: review.programId, year_number: review.year, ...values })
      .onConflict((oc) => oc.columns(['program_id', 'year_number']).doUpdateSet(values))
      .execute();
  }

  /** Enrolments and course completions of one program within one academic year (inclusive dates). */
  async figures(db: Db, programId: string, from: string, to: string): Promise<ReviewFigures> {
    const row = await db
      .selectNoFrom([
        sql<number>`(select count(*) from ${enrolmentRows(db)} e where e.program_id = ${programId}
          and e.enrolled_on between ${from} and ${to})`.as('newEnrolments'),
        sql<number>`(select count(*) from ${enrolmentRows(db)} e where e.program_id = ${programId}
          and e.status = 'active')`.as('activeEnrolments'),
        sql<number>`(select count(*) from ${enrolmentRows(db)} e where e.program_id = ${programId}
          and e.status = 'completed')`.as('completedEnrolments'),
        sql<number>`(select count(*) from ${completionRows(db)} c
          join ${enrolmentRows(db)} e on e.learner_id = c.learner_id and e.program_id = ${programId}
          join program_courses pc on pc.program_id = e.program_id and pc.course_code = c.course_code
          where c.completed_on between ${from} and ${to})`.as('courseCompletions'),
      ])
      .executeTakeFirstOrThrow();
    return {
      newEnrolments: Number(row.newEnrolments),
      activeEnrolments: Number(row.activeEnrolments),
      completedEnrolments: Number(row.completedEnrolments),
      courseCompletions: Number(row.courseCompletions),
    };
  }

  /**
   * Claims a reminder: true when this call wrote it, false when it had been sent already. The unique
   * constraint decides, so two runs at once cannot both send it.
   */
  async claimReminder(
    db: Db,
    reminder: {
      id: string;
      kind: ReminderKind;
      subjectId: string;
      dueOn: string;
      stage: string;
      recipient: string;
    },
  ): Promise<boolean> {
    const row = await db
      .insertInto('reminders_sent')
      .values({
        id: reminder.id,
        kind: reminder.kind,
        subject_id: reminder.subjectId,
        due_on: reminder.dueOn,
        stage: reminder.stage,
        recipient: reminder.recipient,
      })
      .onConflict((oc) => oc.constraint('reminders_sent_once').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  countReminders(db: Db) {
    return db
      .selectFrom('reminders_sent')
      .select(sql<number>`count(*)`.as('count'))
      .executeTakeFirstOrThrow();
  }
}
