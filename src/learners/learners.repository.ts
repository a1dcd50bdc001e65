import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { backpackClaims } from '../backpack/backpack.queries.ts';
import { courseRows } from '../catalog/catalog.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { LearnerStatus } from '../platform/db/schema.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import type { EnrolmentPath, ProgramState } from '../programs/program-vocabulary.ts';
import { programCourseRows, programIdsLedBy, programRows } from '../programs/programs.queries.ts';
import { badgeRequestRows } from '../progress/progress.queries.ts';

export interface LearnerRecord {
  id: string;
  userId: string | null;
  email: string;
  name: string;
  studentId: string;
  status: LearnerStatus;
  /** False while the student ID is only what the learner typed into a form (migration 0014). */
  identityConfirmed: boolean;
  createdAt: Date;
}

export interface EnrollableProgram {
  id: string;
  slug: string;
  title: string;
  status: ProgramState;
  enrolmentPaths: EnrolmentPath[];
  leadUserId: string | null;
}

export interface EnrolmentRow {
  id: string;
  programId: string;
  path: EnrolmentPath;
  enrolledOn: string;
  status: 'active' | 'withdrawn' | 'completed';
}

/** SQL for learner records, their enrolments and completions, and the programs they enrol in. */
export class LearnersRepository {
  /**
   * Folds the rows of each kept figure (see `learnerCounts`) into one, in one statement: rows another transaction
   * adds meanwhile are left for the next fold, and a fold running at the same time in another process finds the
   * rows this one took already gone. Returns how many rows were folded.
   */
  async foldCounts(db: Db): Promise<number> {
    const { rows } = await sql<{ folded: number }>`
      with gone as (
        delete from learner_counts
        where figure in (select figure from learner_counts group by figure having count(*) > 1)
        returning figure, change),
      folded as (insert into learner_counts (figure, change) select figure, sum(change) from gone group by figure)
      select count(*)::int as folded from gone`.execute(db);
    return rows[0]?.folded ?? 0;
  }

  #learners(db: Db) {
    return db
      .selectFrom('learners')
      .select([
        'id',
        'user_id as userId',
        'email',
        'name',
        'student_id as studentId',
        'status',
        'identity_confirmed as identityConfirmed',
        'created_at as createdAt',
      ]);
  }

  findLearnerById(db: Db, id: string): Promise<LearnerRecord | undefined> {
    return this.#learners(db).where('id', '=', id).executeTakeFirst();
  }

  findLearnerByUser(db: Db, userId: string): Promise<LearnerRecord | undefined> {
    return this.#learners(db).where('user_id', '=', userId).executeTakeFirst();
  }

  /** Letter case aside, as `isStudentIdTaken` compares: "c0001" must not slip past the record of "C0001". */
  findLearnerByStudentId(db: Db, studentId: string): Promise<LearnerRecord | undefined> {
    return this.#learners(db)
      .where(sql`upper(student_id)`, '=', studentId.trim().toUpperCase())
      .executeTakeFirst();
  }

  /** The record a student ID points to, with the e-mail of the account linked to it (for the identity check). */
  recordOnFile(db: Db, studentId: string) {
    return db
      .selectFrom('learners as l')
      .leftJoin(userNames(db).as('u'), 'u.id', 'l.user_id')
      .select([
        'l.id',
        'l.name',
        'l.email',
        'l.user_id as userId',
        'l.identity_confirmed as identityConfirmed',
        'u.email as accountEmail',
      ])
      .where(sql`upper(l.student_id)`, '=', studentId.trim().toUpperCase())
      .executeTakeFirst();
  }

  findLearnerByEmail(db: Db, email: string): Promise<LearnerRecord | undefined> {
    return this.#learners(db).where(sql`lower(email)`, '=', normaliseEmail(email)).executeTakeFirst();
  }

  async insertLearner(
    db: Db,
    row: {
      id: string;
      userId: string;
      email: string;
      name: string;
      studentId: string;
      status: LearnerStatus;
      identityConfirmed: boolean;
    },
  ): Promise<void> {
    await db
      .insertInto('learners')
      .values({
        id: row.id,
        user_id: row.userId,
        email: row.email,
        name: row.name,
        student_id: row.studentId,
        status: row.status,
        identity_confirmed: row.identityConfirmed,
      })
      .execute();
  }

  async updateLearner(
    db: Db,
    id: string,
    change: { userId?: string; status?: LearnerStatus; identityConfirmed?: boolean },
  ): Promise<void> {
    await db
      .updateTable('learners')
      .set({
        ...(change.userId ? { user_id: change.userId } : {}),
        ...(change.status ? { status: change.status } : {}),
        ...(change.identityConfirmed !== undefined ? { identity_confirmed: change.identityConfirmed } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async isStudentIdTaken(db: Db, studentId: string): Promise<boolean> {
    const row = await db
      .selectFrom('learners')
      .select('id')
      .where(sql`upper(student_id)`, '=', studentId.toUpperCase())
      .executeTakeFirst();
    return row !== undefined;
  }

  findProgramBySlug(db: Db, slug: string): Promise<EnrollableProgram | undefined> {
    return db
      .selectFrom(programRows(db).as('p'))
      .select([
        'id',
        'slug',
        'title',
        'status',
        'enrolment_paths as enrolmentPaths',
        'lead_user_id as leadUserId',
      ])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  findEnrolment(db: Db, learnerId: string, programId: string): Promise<EnrolmentRow | undefined> {
    return db
      .selectFrom('enrolments')
      .select(['id', 'program_id as programId', 'path', 'enrolled_on as enrolledOn', 'status'])
      .where('learner_id', '=', learnerId)
      .where('program_id', '=', programId)
      .executeTakeFirst();
  }

  async insertEnrolment(
    db: Db,
    row: { id: string; learnerId: string; programId: string; path: EnrolmentPath; enrolledOn: string },
  ): Promise<void> {
    await db
      .insertInto('enrolments')
      .values({
        id: row.id,
        learner_id: row.learnerId,
        program_id: row.programId,
        path: row.path,
        enrolled_on: row.enrolledOn,
      })
      .execute();
  }

  /** Brings a withdrawn enrolment back, since a learner holds at most one enrolment per program. */
  async reopenEnrolment(db: Db, id: string, path: EnrolmentPath, enrolledOn: string): Promise<void> {
    await db
      .updateTable('enrolments')
      .set({ path, enrolled_on: enrolledOn, status: 'active' })
      .where('id', '=', id)
      .execute();
  }

  /** Sets or clears the account a record belongs to (the callers apply the linking rules first). */
  async setRecordAccount(db: Db, id: string, userId: string | null): Promise<void> {
    await db.updateTable('learners').set({ user_id: userId }).where('id', '=', id).execute();
  }

  /**
   * Links the learner record with this e-mail address to an account, unless the record already belongs to
   * someone or the account already has a record (a learner record has at most one account, and vice versa).
   */
  async linkRecordToAccount(db: Db, userId: string, email: string): Promise<string | undefined> {
    const row = await db
      .updateTable('learners')
      .set({ user_id: userId })
      .where(sql`lower(email)`, '=', normaliseEmail(email))
      .where('user_id', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('learners as other').select('other.id').where('other.user_id', '=', userId))),
      )
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** Learners matching a name, e-mail or student ID; `ledBy` limits them to learners in that lead's programs. */
  searchLearners(db: Db, filter: { q?: string; ledBy?: string; limit: number }) {
    let query = db.selectFrom('learners as l').select([
      'l.id',
      'l.name',
      'l.email',
      'l.student_id as studentId',
      'l.status',
      // A lead counts only the enrolments in their own programs.
      (filter.ledBy
        ? sql<number>`(select count(*) from enrolments e where e.learner_id = l.id and e.status = 'active'
              and e.program_id in ${programIdsLedBy(db, filter.ledBy)})`
        : sql<number>`(select count(*) from enrolments e where e.learner_id = l.id and e.status = 'active')`
      ).as('activeEnrolments'),
    ]);
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(l.name)`, 'like', like),
          eb(sql`lower(l.email)`, 'like', like),
          eb(sql`lower(l.student_id)`, 'like', like),
        ]),
      );
    }
    if (filter.ledBy) query = query.where(this.#inProgramsLedBy(db, filter.ledBy));
    return query.orderBy('l.name').orderBy('l.id').limit(filter.limit).execute();
  }

  async isInProgramsLedBy(db: Db, learnerId: string, leadUserId: string): Promise<boolean> {
    const row = await db
      .selectFrom('learners as l')
      .select('l.id')
      .where('l.id', '=', learnerId)
      .where(this.#inProgramsLedBy(db, leadUserId))
      .executeTakeFirst();
    return row !== undefined;
  }

  #inProgramsLedBy(db: Db, leadUserId: string) {
    return sql<boolean>`exists (select 1 from enrolments e
                       where e.learner_id = l.id and e.program_id in ${programIdsLedBy(db, leadUserId)})`;
  }

  /** A learner's enrolments; with `ledBy`, only those in that lead's programs. */
  enrolmentsOf(db: Db, learnerId: string, ledBy?: string) {
    let query = db
      .selectFrom('enrolments as e')
      .innerJoin(programRows(db).as('p'), 'p.id', 'e.program_id')
      .select([
        'e.id',
        'p.id as programId',
        'p.slug',
        'p.title',
        'e.path',
        'e.enrolled_on as enrolledOn',
        'e.status',
      ])
      .where('e.learner_id', '=', learnerId);
    if (ledBy) query = query.where('p.lead_user_id', '=', ledBy);
    return query.orderBy('e.enrolled_on', 'desc').orderBy('p.title').execute();
  }

  /**
   * The records a learner's badge status is read from (awardStatusOf), per program: their badge requests and the
   * credentials issued to them with whether each was claimed, both oldest first so the latest is the last.
   */
  async awardRecordsOf(db: Db, learnerId: string) {
    const [requests, credentials] = await Promise.all([
      db
        .selectFrom(badgeRequestRows(db).as('r'))
        .select(['r.program_id as programId', 'r.status'])
        .where('r.learner_id', '=', learnerId)
        .orderBy('r.requested_at')
        .execute(),
      db
        .selectFrom(credentialStatuses(db).as('c'))
        .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'c.id')
        .select(['c.program_id as programId', 'c.status', 'b.claimed_at as claimedAt'])
        .where('c.learner_id', '=', learnerId)
        .orderBy('c.issued_at')
        .execute(),
    ]);
    return { requests, credentials };
  }

  /** A learner's completions; with `ledBy`, only of courses that count for that lead's programs. */
  completionsOf(db: Db, learnerId: string, ledBy?: string) {
    let query = db
      .selectFrom('completions as c')
      .leftJoin(courseRows(db).as('k'), 'k.code', 'c.course_code')
      .select([
        'c.id',
        'c.course_code as courseCode',
        'k.title as courseTitle',
        'c.term',
        'c.grade',
        'c.credits',
        'c.completed_on as completedOn',
        'c.source',
        'c.updated_at as updatedAt',
      ])
      .where('c.learner_id', '=', learnerId);
    if (ledBy) {
      query = query.where(
        sql<boolean>`exists (select 1 from ${programCourseRows(db)} pc
                     where pc.course_code = c.course_code and pc.program_id in ${programIdsLedBy(db, ledBy)})`,
      );
    }
    return query.orderBy('c.completed_on', 'desc').orderBy('c.course_code').execute();
  }
}
