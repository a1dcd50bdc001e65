import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { backpackClaims } from '../backpack/backpack.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import { awardsInForce } from '../issuing/issuing.queries.ts';
import { enrolmentRows, learnerCounts, learnerRows } from '../learners/learners.queries.ts';
import { mailDeliveries } from '../notifications/notifications.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { OPEN_STATES } from '../programs/program-vocabulary.ts';
import { programNames, programRecords } from '../programs/programs.queries.ts';
import { badgeRequestRows } from '../progress/progress.queries.ts';

/** The programs on offer (see OPEN_STATES), as a filter for the counts below. */
const isOffered = sql`status in (${sql.join(OPEN_STATES)})`;

/** The few read-only figures the home pages show. */
export class HomeRepository {
  async publicFigures(db: Db) {
    const row = await db
      .selectFrom(programRecords(db).as('p'))
      .select([
        sql<number>`count(*) filter (where ${isOffered})`.as('offered'),
        sql<number>`count(*) filter (where ${isOffered} and credit_type <> 'non_credit')`.as('creditBearing'),
        sql<number>`count(distinct department_code) filter (where ${isOffered})`.as('departments'),
      ])
      .executeTakeFirstOrThrow();
    return {
      offered: Number(row.offered),
      creditBearing: Number(row.creditBearing),
      departments: Number(row.departments),
    };
  }

  featuredPrograms(db: Db, limit: number) {
    return db
      .selectFrom(programRecords(db).as('p'))
      .select(['slug', 'title', 'summary', 'level', 'credit_type', 'credits_min', 'credits_max'])
      .where('status', 'in', OPEN_STATES)
      .orderBy('updated_at', 'desc')
      .orderBy('title')
      .limit(limit)
      .execute();
  }

  enrolmentsOf(db: Db, userId: string) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'e.learner_id')
      .innerJoin(programNames(db).as('p'), 'p.id', 'e.program_id')
      .select(['p.id as programId', 'p.slug', 'p.title', 'e.status', 'e.enrolled_on as enrolledOn'])
      .where('l.user_id', '=', userId)
      .orderBy('e.enrolled_on', 'desc')
      .execute();
  }

  /** The badge requests of the person's learner record, oldest first, for the award status. */
  requestsOf(db: Db, userId: string) {
    return db
      .selectFrom(badgeRequestRows(db).as('r'))
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'r.learner_id')
      .select(['r.program_id as programId', 'r.status'])
      .where('l.user_id', '=', userId)
      .orderBy('r.requested_at')
      .execute();
  }

  /** The credentials issued to the person's learner record, oldest first, with whether each was claimed. */
  credentialsOf(db: Db, userId: string) {
    return db
      .selectFrom(credentialStatuses(db).as('c'))
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'c.learner_id')
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'c.id')
      .select(['c.program_id as programId', 'c.status', 'b.claimed_at as claimedAt'])
      .where('l.user_id', '=', userId)
      .orderBy('c.issued_at')
      .execute();
  }

  /** The programs this person leads, each with its learners and badges counted (see LedProgramRow). */
  async programsLedBy(db: Db, userId: string) {
    const rows = await db
      .selectFrom(programRecords(db).as('p'))
      .select([
        'p.id',
        'p.slug',
        'p.title',
        'p.status',
        sql<number>`(select count(*) from ${enrolmentRows(db)} e
          where e.program_id = p.id and e.status <> 'withdrawn')`.as('enrolled'),
        sql<number>`(select count(*) from ${badgeRequestRows(db)} r
          where r.program_id = p.id and r.status in ('requested', 'approved'))`.as('completing'),
        sql<number>`(select count(*) from ${enrolmentRows(db)} e
          where e.program_id = p.id and e.status = 'completed')`.as('completed'),
        sql<number>`(select count(*) from ${awardsInForce(db)} a where a.program_id = p.id)`.as('badges'),
      ])
      .where('p.lead_user_id', '=', userId)
      .orderBy('p.title')
      .execute();
    return rows.map((row) => ({
      ...row,
      enrolled: Number(row.enrolled),
      completing: Number(row.completing),
      completed: Number(row.completed),
      badges: Number(row.badges),
    }));
  }

  /**
   * Badge requests across every program waiting for a decision, and approved ones waiting to be issued: read by their
   * status's index, so the count costs the requests waiting, not every request ever made.
   */
  async requestCounts(db: Db) {
    const row = await db
      .selectFrom(badgeRequestRows(db).as('r'))
      .select([
        sql<number>`count(*) filter (where r.status = 'requested')`.as('toDecide'),
        sql<number>`count(*) filter (where r.status = 'approved')`.as('toIssue'),
      ])
      .where('r.status', 'in', ['requested', 'approved'])
      .executeTakeFirstOrThrow();
    return { toDecide: Number(row.toDecide), toIssue: Number(row.toIssue) };
  }

  async programsByStatus(db: Db) {
    const rows = await db
      .selectFrom(programRecords(db).as('p'))
      .select(['status', sql<number>`count(*)`.as('count')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)])) as Record<string, number>;
  }

  /** Learners and active enrolments, for the staff's glance at the institution (kept, not counted). */
  async institutionFigures(db: Db) {
    const row = await db
      .selectFrom(learnerCounts(db).as('k'))
      .select(['k.learners', 'k.active_enrolments'])
      .executeTakeFirstOrThrow();
    return { learners: Number(row.learners), activeEnrolments: Number(row.active_enrolments) };
  }

  /** Every account, for the administrator's link to people and roles. */
  async accountCount(db: Db): Promise<number> {
    const row = await db
      .selectFrom(userNames(db).as('u'))
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Messages that could not be delivered, for those who look after outgoing mail. */
  async failedMailCount(db: Db): Promise<number> {
    const row = await db
      .selectFrom(mailDeliveries(db).as('m'))
      .select(sql<number>`count(*)`.as('n'))
      .where('m.status', '=', 'failed')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
