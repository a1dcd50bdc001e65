import { sql } from 'kysely';
import { userNames } from '../accounts/accounts.queries.ts';
import { backpackClaims } from '../backpack/backpack.queries.ts';
import { courseRows } from '../catalog/catalog.queries.ts';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
import type { CredentialStatusName } from '../credentials/status-names.ts';
import { completionRows, enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import type { EnrolmentPath, ProgramState } from '../programs/program-vocabulary.ts';
import { programRows } from '../programs/programs.queries.ts';
import type { EvidenceRows } from './enrolment-progress.ts';

/** Whose evidence to load: some learners, or every learner enrolled (and not withdrawn) in one program. */
export type EvidenceScope = { learnerIds: readonly string[] } | { programId: string };

/** A learner's credential for a program, as the award status reads it. */
export interface LearnerCredential {
  id: string;
  status: CredentialStatusName;
  issuedAt: Date;
  isClaimed: boolean;
}

/** The key of `latestCredentials`' map. */
export const credentialKey = (learnerId: string, programId: string) => `${learnerId}|${programId}`;

export interface LearnerSummary {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  studentId: string;
}

export interface ProgramSummary {
  id: string;
  slug: string;
  title: string;
  status: ProgramState;
  requirement: unknown;
  leadUserId: string | null;
  leadName: string | null;
  leadEmail: string | null;
  /** The badge's fee as the program states it now, in cents: what issuing it would charge. */
  feeCents: number;
}

export interface EnrolmentRow {
  enrolmentId: string;
  learnerId: string;
  programId: string;
  path: EnrolmentPath;
  enrolledOn: string;
  status: 'active' | 'withdrawn' | 'completed';
}

/** SQL for progress: learners, their enrolments and evidence, and the evidence faculty add. */
export class ProgressRepository {
  #programQuery(db: Db) {
    return db
      .selectFrom(programRows(db).as('p'))
      .leftJoin(userNames(db).as('u'), 'u.id', 'p.lead_user_id')
      .select([
        'p.id',
        'p.slug',
        'p.title',
        'p.status',
        'p.requirement',
        'p.lead_user_id as leadUserId',
        'u.name as leadName',
        'u.email as leadEmail',
        'p.fee_cents as feeCents',
      ]);
  }

  findProgramBySlug(db: Db, slug: string): Promise<ProgramSummary | undefined> {
    return this.#programQuery(db).where('p.slug', '=', slug).executeTakeFirst();
  }

  findProgramsByIds(db: Db, ids: readonly string[]): Promise<ProgramSummary[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.#programQuery(db)
      .where('p.id', 'in', [...ids])
      .execute();
  }

  #learnerQuery(db: Db) {
    return db
      .selectFrom(learnerRows(db).as('l'))
      .select(['id', 'user_id as userId', 'name', 'email', 'student_id as studentId']);
  }

  findLearnerByUser(db: Db, userId: string): Promise<LearnerSummary | undefined> {
    return this.#learnerQuery(db).where('user_id', '=', userId).executeTakeFirst();
  }

  findLearner(db: Db, learnerId: string): Promise<LearnerSummary | undefined> {
    return this.#learnerQuery(db).where('id', '=', learnerId).executeTakeFirst();
  }

  /** A learner's enrolments that still count (not withdrawn), newest first. */
  enrolmentsOfLearner(db: Db, learnerId: string): Promise<EnrolmentRow[]> {
    return this.#enrolmentQuery(db)
      .where('e.learner_id', '=', learnerId)
      .orderBy('e.enrolled_on', 'desc')
      .execute();
  }

  findEnrolment(db: Db, learnerId: string, programId: string): Promise<EnrolmentRow | undefined> {
    return this.#enrolmentQuery(db)
      .where('e.learner_id', '=', learnerId)
      .where('e.program_id', '=', programId)
      .executeTakeFirst();
  }

  #enrolmentQuery(db: Db) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .select([
        'e.id as enrolmentId',
        'e.learner_id as learnerId',
        'e.program_id as programId',
        'e.path',
        'e.enrolled_on as enrolledOn',
        'e.status',
      ])
      .where('e.status', '<>', 'withdrawn');
  }

  /** Every learner enrolled in a program (not withdrawn), with who they are, in name order. */
  enrolledInProgram(db: Db, programId: string) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(learnerRows(db).as('l'), 'l.id', 'e.learner_id')
      .select([
        'e.id as enrolmentId',
        'e.learner_id as learnerId',
        'e.enrolled_on as enrolledOn',
        'e.status',
        'l.name',
        'l.email',
        'l.student_id as studentId',
      ])
      .where('e.program_id', '=', programId)
      .where('e.status', '<>', 'withdrawn')
      .orderBy('l.name')
      .orderBy('l.student_id')
      .execute();
  }

  /** Completions, sign-offs and substitutions for the scope: three queries, however many learners. */
  /**
   * The latest credential each learner holds per program (however it was issued), with its status and whether it
   * was claimed: what a badge's status is read from, beside the learner's requests.
   */
  async latestCredentials(db: Db, scope: EvidenceScope): Promise<Map<string, LearnerCredential>> {
    if ('learnerIds' in scope && scope.learnerIds.length === 0) return new Map();
    let query = db
      .selectFrom(credentialStatuses(db).as('c'))
      .leftJoin(backpackClaims(db).as('b'), 'b.credential_id', 'c.id')
      .select([
        'c.id',
        'c.learner_id as learnerId',
        'c.program_id as programId',
        'c.status',
        'c.issued_at as issuedAt',
        'b.claimed_at as claimedAt',
      ]);
    query =
      'learnerIds' in scope
        ? query.where('c.learner_id', 'in', [...scope.learnerIds])
        : query.where('c.program_id', '=', scope.programId).where('c.learner_id', 'is not', null);
    const rows = await query.orderBy('c.issued_at').execute();
    // Later credentials overwrite earlier ones: a badge issued again after a revocation is the one that counts.
    return new Map(
      rows.map((row) => [
        credentialKey(row.learnerId ?? '', row.programId),
        {
          id: row.id,
          status: row.status,
          issuedAt: row.issuedAt,
          isClaimed: row.claimedAt !== null,
        },
      ]),
    );
  }

  async loadEvidence(db: Db, scope: EvidenceScope): Promise<EvidenceRows> {
    if ('learnerIds' in scope && scope.learnerIds.length === 0) {
      return { completions: [], experiences: [], substitutions: [] };
    }
    const [completions, experiences, substitutions] = await Promise.all([
      this.#completions(db, scope),
      this.#experiences(db, scope),
      this.#substitutions(db, scope),
    ]);
    return { completions, experiences, substitutions };
  }

  #completions(db: Db, scope: EvidenceScope) {
    let query = db
      .selectFrom(completionRows(db).as('c'))
      .innerJoin(courseRows(db).as('k'), 'k.code', 'c.course_code')
      .select([
        'c.learner_id as learnerId',
        'c.course_code as course',
        'c.credits',
        'k.level',
        'c.grade',
        'c.completed_on as completedOn',
        'c.term',
      ]);
    if ('learnerIds' in scope) {
      query = query.where('c.learner_id', 'in', [...scope.learnerIds]);
    } else {
      query = query.where('c.learner_id', 'in', (eb) =>
        eb
          .selectFrom(enrolmentRows(db).as('e'))
          .select('e.learner_id')
          .where('e.program_id', '=', scope.programId)
          .where('e.status', '<>', 'withdrawn'),
      );
    }
    return query.execute();
  }

  #experiences(db: Db, scope: EvidenceScope) {
    return db
      .selectFrom('experiences as x')
      .innerJoin(userNames(db).as('u'), 'u.id', 'x.signed_off_by')
      .select([
        'x.learner_id as learnerId',
        'x.program_id as programId',
        'x.key',
        'x.signed_off_on as signedOffOn',
        'u.name as signedOffBy',
      ])
      .where((eb) =>
        'learnerIds' in scope
          ? eb('x.learner_id', 'in', [...scope.learnerIds])
          : eb('x.program_id', '=', scope.programId),
      )
      .execute();
  }

  #substitutions(db: Db, scope: EvidenceScope) {
    return db
      .selectFrom('substitutions as s')
      .innerJoin(userNames(db).as('u'), 'u.id', 's.approved_by')
      .select([
        's.learner_id as learnerId',
        's.program_id as programId',
        's.required_course as required',
        's.substitute_course as substitute',
        'u.name as approvedBy',
      ])
      .where((eb) =>
        'learnerIds' in scope
          ? eb('s.learner_id', 'in', [...scope.learnerIds])
          : eb('s.program_id', '=', scope.programId),
      )
      .execute();
  }

  /** One learner's sign-offs in one program, with who signed and their note, for the staff page. */
  listExperiences(db: Db, learnerId: string, programId: string) {
    return db
      .selectFrom('experiences as x')
      .innerJoin(userNames(db).as('u'), 'u.id', 'x.signed_off_by')
      .select([
        'x.id',
        'x.key',
        'x.signed_off_on as signedOffOn',
        'x.note',
        'u.name as signedOffBy',
        'x.created_at as createdAt',
      ])
      .where('x.learner_id', '=', learnerId)
      .where('x.program_id', '=', programId)
      .orderBy('x.signed_off_on')
      .execute();
  }

  listSubstitutions(db: Db, learnerId: string, programId: string) {
    return db
      .selectFrom('substitutions as s')
      .innerJoin(userNames(db).as('u'), 'u.id', 's.approved_by')
      .select([
        's.id',
        's.required_course as requiredCourse',
        's.substitute_course as substituteCourse',
        's.reason',
        'u.name as approvedBy',
        's.created_at as createdAt',
      ])
      .where('s.learner_id', '=', learnerId)
      .where('s.program_id', '=', programId)
      .orderBy('s.created_at')
      .execute();
  }

  /** Inserts a sign-off; false when this experience was already signed off for the learner in this program. */
  async insertExperience(
    db: Db,
    row: {
      id: string;
      learnerId: string;
      programId: string;
      key: string;
      signedOffBy: string;
      signedOffOn: string;
      note: string;
    },
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('experiences')
      .values({
        id: row.id,
        learner_id: row.learnerId,
        program_id: row.programId,
        key: row.key,
        signed_off_by: row.signedOffBy,
        signed_off_on: row.signedOffOn,
        note: row.note,
      })
      .onConflict((oc) => oc.constraint('experiences_once').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Inserts a substitution; false when the same pair was already approved for the learner in this program. */
  async insertSubstitution(
    db: Db,
    row: {
      id: string;
      learnerId: string;
      programId: string;
      requiredCourse: string;
      substituteCourse: string;
      approvedBy: string;
      reason: string;
    },
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('substitutions')
      .values({
        id: row.id,
        learner_id: row.learnerId,
        program_id: row.programId,
        required_course: row.requiredCourse,
        substitute_course: row.substituteCourse,
        approved_by: row.approvedBy,
        reason: row.reason,
      })
      .onConflict((oc) => oc.constraint('substitutions_once').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Course titles by code, for the codes given (unknown codes are simply absent). */
  async courseTitles(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await db
      .selectFrom(courseRows(db).as('k'))
      .select(['code', 'title'])
      .where('code', 'in', [...codes])
      .execute();
    return new Map(rows.map((row) => [row.code, row.title]));
  }

  /**
   * Programs with enrolled learners (or led by `leadId`), with counts of active learners and waiting
   * badge requests, for the staff index.
   */
  listProgramsWithLearners(db: Db, leadId: string | null) {
    let query = db
      .selectFrom(programRows(db).as('p'))
      .select([
        'p.slug',
        'p.title',
        'p.status',
        sql<number>`(select count(*) from ${enrolmentRows(db)} e where e.program_id = p.id and e.status <> 'withdrawn')`.as(
          'learners',
        ),
        sql<number>`(select count(*) from badge_requests r where r.program_id = p.id and r.status = 'requested')`.as(
          'waiting',
        ),
      ])
      .orderBy('p.title');
    if (leadId !== null) {
      query = query.where('p.lead_user_id', '=', leadId);
    } else {
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom(enrolmentRows(db).as('e')).select('e.id').whereRef('e.program_id', '=', 'p.id'),
        ),
      );
    }
    return query.execute();
  }
}
