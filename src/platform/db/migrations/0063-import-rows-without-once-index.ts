import { type Kysely, sql } from 'kysely';

/**
 * Cheaper writes for large completions imports (issue 20, point 2), measured on bench/learners-import.bench.ts:
 * - `completion_import_rows_once` (one taken row per import, learner, course and term) is dropped. The statement that
 *   writes an import's report rows already takes only the first line of each learner, course and term and rejects
 *   the others as duplicates (`recordOutcomes`), and nothing else writes report rows; the index only made each of
 *   a million report rows dearer (that statement went from about 10 to 7 CPU seconds of the database's).
 * - The statement triggers of migration 0061 gathered a statement's distinct keys with `array_agg(distinct …)`,
 *   which sorts every written row's key: two sorts of a million keys per big statement. `select distinct` hashes
 *   them instead (about half the time); the checks themselves are unchanged.
 * Written so that it can run again (`if exists`, `create or replace`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists completion_import_rows_once;

    create or replace function completions_check_keys() returns trigger language plpgsql as $$
    declare
      learner_keys uuid[] := array(select distinct learner_id from written);
      course_keys text[] := array(select distinct course_code from written);
      locked bigint;
    begin
      perform 1 from learners where id = any(learner_keys) for key share;
      get diagnostics locked = row_count;
      if locked < cardinality(learner_keys) then
        raise exception 'a completion names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      perform 1 from courses where code = any(course_keys) for key share;
      get diagnostics locked = row_count;
      if locked < cardinality(course_keys) then
        raise exception 'a completion names a course that is not in the course list'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;

    create or replace function completion_import_rows_check_keys() returns trigger language plpgsql as $$
    declare
      import_keys uuid[] := array(select distinct import_id from written);
      learner_keys uuid[] := array(select distinct learner_id from written where learner_id is not null);
      locked bigint;
    begin
      perform 1 from completion_imports where id = any(import_keys) for key share;
      get diagnostics locked = row_count;
      if locked < cardinality(import_keys) then
        raise exception 'a report row names an import that does not exist' using errcode = 'foreign_key_violation';
      end if;
      perform 1 from learners where id = any(learner_keys) for key share;
      get diagnostics locked = row_count;
      if locked < cardinality(learner_keys) then
        raise exception 'a report row names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;
  `.execute(db);
}
