import { type Kysely, sql } from 'kysely';

/**
 * A completions import writes a report row for every line of its file and a completion for every new one: a
 * million each for a large file (issue 20, point 2). Their foreign keys were checked one row at a time, a query
 * and a row lock per key per row: on bench/learners-import.bench.ts that was most of the time spent writing.
 * The same rules now hold per statement: a statement trigger looks at all the rows a statement wrote at once,
 * locks the learners, courses and imports they name against removal (`for key share`, once each, as the
 * per-row checks did) and refuses the statement if any of them does not exist. Removal keeps its old effect:
 * a learner's completions go with the learner, report rows forget the learner, an import's rows go with it, and
 * a course with completions can be neither removed nor renamed. Ids are never changed, so only removal needs
 * handling for learners and imports.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table completions drop constraint completions_learner_id_fkey;
    alter table completions drop constraint completions_course_code_fkey;
    alter table completion_import_rows drop constraint completion_import_rows_import_id_fkey;
    alter table completion_import_rows drop constraint completion_import_rows_learner_id_fkey;

    create function completions_check_keys() returns trigger language plpgsql as $$
    begin
      perform 1 from learners where id in (select learner_id from written) for key share;
      perform 1 from courses where code in (select course_code from written) for key share;
      if exists (select 1 from written w where not exists (select 1 from learners l where l.id = w.learner_id)) then
        raise exception 'a completion names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      if exists (select 1 from written w where not exists (select 1 from courses c where c.code = w.course_code)) then
        raise exception 'a completion names a course that is not in the course list'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;
    create trigger completions_inserted_keys after insert on completions
      referencing new table as written for each statement execute function completions_check_keys();
    create trigger completions_updated_keys after update on completions
      referencing new table as written for each statement execute function completions_check_keys();

    create function completion_import_rows_check_keys() returns trigger language plpgsql as $$
    begin
      perform 1 from completion_imports where id in (select import_id from written) for key share;
      perform 1 from learners where id in (select learner_id from written) for key share;
      if exists (select 1 from written w
                 where not exists (select 1 from completion_imports i where i.id = w.import_id)) then
        raise exception 'a report row names an import that does not exist' using errcode = 'foreign_key_violation';
      end if;
      if exists (select 1 from written w
                 where w.learner_id is not null
                   and not exists (select 1 from learners l where l.id = w.learner_id)) then
        raise exception 'a report row names a learner who is not on record' using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;
    create trigger completion_import_rows_inserted_keys after insert on completion_import_rows
      referencing new table as written for each statement execute function completion_import_rows_check_keys();
    create trigger completion_import_rows_updated_keys after update on completion_import_rows
      referencing new table as written for each statement execute function completion_import_rows_check_keys();

    create function completion_imports_removed() returns trigger language plpgsql as $$
    begin
      delete from completion_import_rows where import_id in (select id from removed);
      return null;
    end $$;
    create trigger completion_imports_removed after delete on completion_imports
      referencing old table as removed for each statement execute function completion_imports_removed();

    create function learners_removed_from_completions() returns trigger language plpgsql as $$
    begin
      delete from completions where learner_id in (select id from removed);
      update completion_import_rows set learner_id = null where learner_id in (select id from removed);
      return null;
    end $$;
    create trigger learners_removed_from_completions after delete on learners
      referencing old table as removed for each statement execute function learners_removed_from_completions();

    create function courses_keep_completed() returns trigger language plpgsql as $$
    begin
      if (tg_op = 'DELETE' or new.code <> old.code)
         and exists (select 1 from completions where course_code = old.code) then
        raise exception 'course % has completions on record', old.code using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$;
    create trigger courses_keep_completed after update of code or delete on courses
      for each row execute function courses_keep_completed();
  `.execute(db);
}
