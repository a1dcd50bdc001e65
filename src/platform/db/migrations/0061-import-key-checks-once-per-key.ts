import { type Kysely, sql } from 'kysely';

/**
 * Migration 0058's statement triggers checked a statement's keys with three passes over the rows it wrote: one to
 * lock the keys, then, per kind of key, an anti-join probing the referenced table once per row (a million probes
 * for a million-row import, though the file names only its students and courses). Measured on a 100,000-row
 * import, the checks were a fifth of the two big statements' time. Now the distinct keys are gathered in one pass,
 * each referenced row is locked once (`for key share`, as before), and a statement naming a key that was not found
 * is refused as before: the rows locked are counted against the keys named.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function completions_check_keys() returns trigger language plpgsql as $$
    declare
      learner_keys uuid[];
      course_keys text[];
      locked bigint;
    begin
      select array_agg(distinct learner_id), array_agg(distinct course_code)
        into learner_keys, course_keys from written;
      perform 1 from learners where id = any(learner_keys) for key share;
      get diagnostics locked = row_count;
      if locked < coalesce(cardinality(learner_keys), 0) then
        raise exception 'a completion names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      perform 1 from courses where code = any(course_keys) for key share;
      get diagnostics locked = row_count;
      if locked < coalesce(cardinality(course_keys), 0) then
        raise exception 'a completion names a course that is not in the course list'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;

    create or replace function completion_import_rows_check_keys() returns trigger language plpgsql as $$
    declare
      import_keys uuid[];
      learner_keys uuid[];
      locked bigint;
    begin
      select array_agg(distinct import_id), array_agg(distinct learner_id) filter (where learner_id is not null)
        into import_keys, learner_keys from written;
      perform 1 from completion_imports where id = any(import_keys) for key share;
      get diagnostics locked = row_count;
      if locked < coalesce(cardinality(import_keys), 0) then
        raise exception 'a report row names an import that does not exist' using errcode = 'foreign_key_violation';
      end if;
      perform 1 from learners where id = any(learner_keys) for key share;
      get diagnostics locked = row_count;
      if locked < coalesce(cardinality(learner_keys), 0) then
        raise exception 'a report row names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;
  `.execute(db);
}
