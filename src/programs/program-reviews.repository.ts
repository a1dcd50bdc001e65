import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { completionRows, enrolmentRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { PILOT_STATES } from './program-vocabulary.ts';
import type { ReminderKind, ReviewKindName } from './programs.tables.ts';
import type { RecordFigures } from './review-figures.ts';
import type { ReviewAnswers } from './review-kinds.ts';

/**
 * SQL for program reviews of both kinds (one table, `kind` tells them apart), the programs that owe them, the
 * figures that pre-fill them, and the reminders log.
 */
export class ProgramReviewsRepository {
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
        sql<number[]>`coalesce((select array_agg(r.number order by r.number) from program_reviews r
          where r.program_id = p.id and r.kind = 'pilot_review' and r.submitted_at is not null), '{}')`.as(
          'submitted_years',
        ),
      ]);
    query = programId ? query.where('p.id', '=', programId) : query.where('p.status', 'in', PILOT_STATES);
    return query.orderBy('p.title').execute();
  }

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
            .selectFrom('program_reviews')
            .distinctOn('program_id')
            .select(['program_id', 'number', sql<string>`period_ends_on::text`.as('period_ends_on')])
            .where('kind', '=', 'periodic_review')
            .where('submitted_at', 'is not', null)
            .orderBy('program_id')
            .orderBy('number', 'desc')
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
        'last.number as last_cycle',
        'last.period_ends_on as last_ends_on',
      ]);
    query = programId ? query.where('p.id', '=', programId) : query.where('p.status', '=', 'established');
    return query.orderBy('p.title').execute();
  }

  findReview(db: Db, kind: ReviewKindName, programId: string, number: number) {
    return db
      .selectFrom('program_reviews as r')
      .leftJoin(userNames(db).as('u'), 'u.id', 'r.submitted_by')
      .selectAll('r')
      .select([
        'u.name as submitted_by_name',
        sql<string | null>`r.period_starts_on::text`.as('starts_on'),
        sql<string | null>`r.period_ends_on::text`.as('ends_on'),
        sql<string>`r.due_on::text`.as('due_on_text'),
      ])
      .where('r.kind', '=', kind)
      .where('r.program_id', '=', programId)
      .where('r.number', '=', number)
      .executeTakeFirst();
  }

  /** A program's reviews of one kind, oldest first; `submittedOnly` leaves drafts out. */
  listReviews(db: Db, kind: ReviewKindName, programId: string, submittedOnly = false) {
    let query = db
      .selectFrom('program_reviews')
      .select([
        'number',
        sql<string | null>`period_starts_on::text`.as('starts_on'),
        sql<string | null>`period_ends_on::text`.as('ends_on'),
        'submitted_at',
        'updated_at',
      ])
      .where('kind', '=', kind)
      .where('program_id', '=', programId);
    if (submittedOnly) query = query.where('submitted_at', 'is not', null);
    return query.orderBy('number').execute();
  }

  async saveReview(
    db: Db,
    review: {
      id: string;
      kind: ReviewKindName;
      programId: string;
      number: number;
      academicYear: string | null;
      startsOn: string | null;
      endsOn: string | null;
      dueOn: string;
      figures: unknown;
      answers: ReviewAnswers;
      by: string;
      submittedAt: Date | null;
    },
  ): Promise<void> {
    const values = {
      academic_year: review.academicYear,
      // The period is the one owed when saved: a draft follows a change of the institution's rhythm.
      period_starts_on: review.startsOn,
      period_ends_on: review.endsOn,
      due_on: review.dueOn,
      figures: JSON.stringify(review.figures),
      highlights: review.answers.highlights,
      challenges: review.answers.challenges,
      learner_feedback: review.answers.learner_feedback,
      changes_planned: review.answers.changes_planned,
      updated_by: review.by,
      updated_at: sql<Date>`now()`,
      ...(review.submittedAt ? { submitted_at: review.submittedAt, submitted_by: review.by } : {}),
    };
    await db
      .insertInto('program_reviews')
      .values({
        id: review.id,
        kind: review.kind,
        program_id: review.programId,
        number: review.number,
        ...values,
      })
      .onConflict((oc) => oc.columns(['program_id', 'kind', 'number']).doUpdateSet(values))
      .execute();
  }

  /** Enrolments and course completions of one program within one academic year (inclusive dates). */
  async recordFigures(db: Db, programId: string, from: string, to: string): Promise<RecordFigures> {
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
}
