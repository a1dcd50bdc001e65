import { type Expression, type SqlBool, sql } from 'kysely';
import { enrolmentRows, learnerRows } from '../learners/learners.queries.ts';
import type { Db } from '../platform/db/database.ts';
import { programRows } from '../programs/programs.queries.ts';
import type { ProgressState } from './enrolment-progress.ts';

/** An enrolment that counts (not withdrawn), with its program's rule: what one stored row is worked out from. */
export interface EnrolmentToMeasure {
  enrolmentId: string;
  learnerId: string;
  programId: string;
  enrolledOn: string;
  requirement: unknown;
  ruleFingerprint: string;
}

/** A stored verdict, as written and read. */
export interface StoredProgress {
  enrolmentId: string;
  learnerId: string;
  programId: string;
  status: ProgressState;
  met: boolean;
  percent: number;
  explanation: string;
  missing: string[];
  creditsEarned: number;
  lastActivityOn: string;
  asOf: string;
  ruleFingerprint: string;
  enrolledOn: string;
}

/** Which enrolments to work on: some learners', one program's (optionally only some of its learners). */
export type StoreScope =
  | { learnerIds: readonly string[] }
  | { programId: string; learnerIds?: readonly string[] };

/**
 * Advisory lock buckets: a refresh locks the buckets of the learners it measures before reading their evidence,
 * so two writers touching one learner take turns and the later one reads the earlier one's committed work. A
 * fixed number of buckets keeps an import of thousands of learners to at most this many locks.
 */
const LOCK_BUCKETS = 1024;
/** The first key of the two-key advisory lock: this store's own space, apart from anyone else's locks. */
const LOCK_SPACE = 20_003;

/** SQL for the stored per-enrolment progress (`enrolment_progress`). */
export class ProgressStoreRepository {
  /** Takes (in the caller's transaction, in a fixed order so two callers cannot deadlock) these learners' locks. */
  async lockLearners(trx: Db, learnerIds: readonly string[]): Promise<void> {
    if (learnerIds.length === 0) return;
    await sql`
      select pg_advisory_xact_lock(${LOCK_SPACE}, b.bucket)
      from (select distinct abs(hashtext(id) % ${LOCK_BUCKETS}) as bucket
            from unnest(${[...learnerIds]}::text[]) as id order by 1) b
    `.execute(trx);
  }

  /** The counting enrolments in scope with their program's rule and its fingerprint. */
  enrolmentsToMeasure(db: Db, scope: StoreScope): Promise<EnrolmentToMeasure[]> {
    let query = this.#toMeasure(db);
    if ('programId' in scope) query = query.where('e.program_id', '=', scope.programId);
    if (scope.learnerIds !== undefined) {
      if (scope.learnerIds.length === 0) return Promise.resolve([]);
      query = query.where(sql<SqlBool>`e.learner_id = any(${[...scope.learnerIds]}::uuid[])`);
    }
    return query.execute();
  }

  /** The learners with a counting enrolment whose stored row is missing or no longer answers for `asOf`. */
  async learnersWithStaleRows(db: Db, asOf: string): Promise<string[]> {
    const rows = await db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(programRows(db).as('p'), 'p.id', 'e.program_id')
      .leftJoin('enrolment_progress as s', 's.enrolment_id', 'e.id')
      .select('e.learner_id')
      .distinct()
      .where('e.status', '<>', 'withdrawn')
      .where((eb) => isStale(eb.ref('s.enrolment_id'), asOf, sql<string>`md5(p.requirement::text)`))
      .orderBy('e.learner_id')
      .execute();
    return rows.map((row) => row.learner_id);
  }

  /** The ids of a program's counting learners, in one order, for refreshing it a part at a time. */
  async learnersInProgram(db: Db, programId: string): Promise<string[]> {
    const rows = await db
      .selectFrom(enrolmentRows(db).as('e'))
      .select('e.learner_id')
      .where('e.program_id', '=', programId)
      .where('e.status', '<>', 'withdrawn')
      .orderBy('e.learner_id')
      .execute();
    return rows.map((row) => row.learner_id);
  }

  #toMeasure(db: Db) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(programRows(db).as('p'), 'p.id', 'e.program_id')
      .select([
        'e.id as enrolmentId',
        'e.learner_id as learnerId',
        'e.program_id as programId',
        'e.enrolled_on as enrolledOn',
        'p.requirement',
        sql<string>`md5(p.requirement::text)`.as('ruleFingerprint'),
      ])
      .where('e.status', '<>', 'withdrawn');
  }

  /** Writes the rows (insert or replace), in one statement per call: the rows travel as one JSON parameter. */
  async save(db: Db, rows: readonly StoredProgress[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(
      rows.map((r) => ({
        enrolment_id: r.enrolmentId,
        learner_id: r.learnerId,
        program_id: r.programId,
        status: r.status,
        met: r.met,
        percent: r.percent,
        explanation: r.explanation,
        missing: r.missing,
        credits_earned: r.creditsEarned,
        last_activity_on: r.lastActivityOn,
        as_of: r.asOf,
        rule_fingerprint: r.ruleFingerprint,
        enrolled_on: r.enrolledOn,
      })),
    );
    await sql`
      insert into enrolment_progress (enrolment_id, learner_id, program_id, status, met, percent, explanation,
        missing, credits_earned, last_activity_on, as_of, rule_fingerprint, enrolled_on, refreshed_at)
      select r.*, clock_timestamp() from jsonb_to_recordset(${json}::jsonb) as r (enrolment_id uuid,
        learner_id uuid, program_id uuid, status text, met boolean, percent integer, explanation text,
        missing jsonb, credits_earned double precision, last_activity_on date, as_of date, rule_fingerprint text,
        enrolled_on date)
      on conflict (enrolment_id) do update set
        learner_id = excluded.learner_id, program_id = excluded.program_id, status = excluded.status,
        met = excluded.met, percent = excluded.percent, explanation = excluded.explanation,
        missing = excluded.missing, credits_earned = excluded.credits_earned,
        last_activity_on = excluded.last_activity_on, as_of = excluded.as_of,
        rule_fingerprint = excluded.rule_fingerprint, enrolled_on = excluded.enrolled_on,
        refreshed_at = excluded.refreshed_at
    `.execute(db);
  }

  /**
   * Every counting learner of a program, in name order, with their stored row when it still answers for `asOf`
   * (null otherwise: missing, an older day, another rule or enrolment day) and what the reader must work out then.
   *
   * Shaped for a program of several hundred learners among 200,000 (issue 20, point 3; docs/performance.md):
   * the program's rule fingerprint is worked out once (a subquery with LIMIT is not merged into the outer query,
   * where md5 of the rule ran twice per row), and each enrolment's learner and stored row are looked up by primary
   * key as a LATERAL … LIMIT 1. PostgreSQL plans a subquery with LIMIT as it is written and never hands it to
   * parallel workers, so it cannot trade those few hundred lookups, which it costs as uncached random reads, for
   * scans of every enrolment and learner spread over parallel workers (50–150 ms there against 6 ms).
   */
  async programRows(db: Db, programId: string, asOf: string) {
    return this.#programEnrolments(db, programId)
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom(learnerRows(db).as('l0'))
            .select(['l0.name', 'l0.email', 'l0.student_id'])
            .whereRef('l0.id', '=', 'e.learner_id')
            .limit(1)
            .as('l'),
        (join) => join.onTrue(),
      )
      .select([
        'e.id as enrolmentId',
        'e.learner_id as learnerId',
        'e.enrolled_on as enrolledOn',
        'e.status',
        'l.name',
        'l.email',
        'l.student_id as studentId',
        's.status as storedStatus',
        's.met',
        's.percent',
        's.explanation',
        's.missing',
        's.credits_earned as creditsEarned',
        's.last_activity_on as lastActivityOn',
        'p.fingerprint as ruleFingerprint',
      ])
      .select((eb) => isStale(eb.ref('s.enrolment_id'), asOf, eb.ref('p.fingerprint')).as('stale'))
      .orderBy('l.name')
      .orderBy('l.student_id')
      .execute();
  }

  /**
   * `programRows` for counting, not listing: each counting enrolment's learner, its stored state and what it is
   * missing, in no order and without the learner's record (names and e-mails the figures never show).
   */
  programStates(db: Db, programId: string, asOf: string) {
    return this.#programEnrolments(db, programId)
      .select([
        'e.id as enrolmentId',
        'e.learner_id as learnerId',
        'e.enrolled_on as enrolledOn',
        's.status as storedStatus',
        's.missing',
        'p.fingerprint as ruleFingerprint',
      ])
      .select((eb) => isStale(eb.ref('s.enrolment_id'), asOf, eb.ref('p.fingerprint')).as('stale'))
      .execute();
  }

  /** A program's counting enrolments, each beside the program's rule fingerprint and its stored row (see programRows). */
  #programEnrolments(db: Db, programId: string) {
    return db
      .selectFrom(enrolmentRows(db).as('e'))
      .innerJoin(
        (eb) =>
          eb
            .selectFrom(programRows(db).as('p0'))
            .select(sql<string>`md5(p0.requirement::text)`.as('fingerprint'))
            .where('p0.id', '=', programId)
            .limit(1)
            .as('p'),
        (join) => join.onTrue(),
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('enrolment_progress as s0')
            .select([
              's0.enrolment_id',
              's0.status',
              's0.met',
              's0.percent',
              's0.explanation',
              's0.missing',
              's0.credits_earned',
              's0.last_activity_on',
              's0.as_of',
              's0.rule_fingerprint',
              's0.enrolled_on',
            ])
            .whereRef('s0.enrolment_id', '=', 'e.id')
            .limit(1)
            .as('s'),
        (join) => join.onTrue(),
      )
      .where('e.program_id', '=', programId)
      .where('e.status', '<>', 'withdrawn');
  }

  /** Every stored row of these enrolments, as written (for tests and checks). */
  storedRows(db: Db, enrolmentIds: readonly string[]): Promise<StoredProgress[]> {
    if (enrolmentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('enrolment_progress')
      .select([
        'enrolment_id as enrolmentId',
        'learner_id as learnerId',
        'program_id as programId',
        sql<ProgressState>`status`.as('status'),
        'met',
        'percent',
        'explanation',
        'missing',
        'credits_earned as creditsEarned',
        'last_activity_on as lastActivityOn',
        'as_of as asOf',
        'rule_fingerprint as ruleFingerprint',
        'enrolled_on as enrolledOn',
      ])
      .where(sql<SqlBool>`enrolment_id = any(${[...enrolmentIds]}::uuid[])`)
      .execute();
  }
}

/**
 * True when the stored row (joined as `s`, beside the enrolment `e`) no longer answers for `asOf`: there is none, it
 * was worked out for another day, another rule (`fingerprint`: md5 of the program's rule now), or another enrolment
 * day (a reopened one).
 */
function isStale(storedId: Expression<string | null>, asOf: string, fingerprint: Expression<string>) {
  return sql<boolean>`(${storedId} is null or s.as_of <> ${asOf}::date
    or s.rule_fingerprint <> ${fingerprint} or s.enrolled_on <> e.enrolled_on)`;
}
