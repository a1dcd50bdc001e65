import { type Kysely, sql } from 'kysely';

/**
 * A completions import's report keeps one row per line of its file, and those rows had an index on `learner_id`
 * so that a learner's page could list the imports that named them and removing a learner could find their rows.
 * For a million-row import that index was about a third of the report rows' insert (13.1 → 8.1–8.8 CPU s in a
 * scratch database, docs/performance.md). Those readers now use `completion_import_learners`: one row per import
 * and learner the import named, with the outcomes of that learner's lines counted and the lines' numbers, written
 * by the same statement as the report rows (a few tens of thousands of rows for a million lines).
 *
 * - Its keys are checked per statement like the report rows' (migration 0058): the same trigger function, which
 *   reads the written rows' `import_id` and `learner_id`.
 * - Removing a learner removes their summary rows and, through the lines those list, forgets the learner on those
 *   report rows (the report keeps the student ID as the file gave it, as before).
 * - Removing an import removes its summary rows with its report rows.
 * - Existing reports get their summary rows from their report rows, before the index is dropped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table completion_import_learners (
      import_id uuid not null,
      learner_id uuid not null,
      accepted integer not null,
      updated integer not null,
      unchanged integer not null,
      rejected integer not null,
      row_numbers integer[] not null,
      primary key (import_id, learner_id)
    );
    create index completion_import_learners_learner_idx on completion_import_learners (learner_id);

    insert into completion_import_learners
      (import_id, learner_id, accepted, updated, unchanged, rejected, row_numbers)
    select import_id, learner_id,
           count(*) filter (where outcome = 'accepted'), count(*) filter (where outcome = 'updated'),
           count(*) filter (where outcome = 'unchanged'), count(*) filter (where outcome = 'rejected'),
           array_agg(row_number order by row_number)
    from completion_import_rows where learner_id is not null
    group by import_id, learner_id;

    create trigger completion_import_learners_inserted_keys after insert on completion_import_learners
      referencing new table as written for each statement execute function completion_import_rows_check_keys();
    create trigger completion_import_learners_updated_keys after update on completion_import_learners
      referencing new table as written for each statement execute function completion_import_rows_check_keys();

    drop index completion_import_rows_learner_idx;

    create or replace function completion_imports_removed() returns trigger language plpgsql as $$
    begin
      delete from completion_import_learners where import_id in (select id from removed);
      delete from completion_import_rows where import_id in (select id from removed);
      return null;
    end $$;

    create or replace function learners_removed_from_completions() returns trigger language plpgsql as $$
    declare
      gone record;
    begin
      delete from completions where learner_id in (select id from removed);
      -- The report rows naming a removed learner are the lines their summary rows list. One update per import and
      -- learner, so each looks those lines up by the report rows' primary key: a single join was planned as a sort
      -- of every report row (7.5 s with two million of them), and a range from the first to the last line read
      -- most of a file that lists its students in turn (1 s per million-row import).
      for gone in
        delete from completion_import_learners where learner_id in (select id from removed)
        returning import_id, learner_id, row_numbers
      loop
        update completion_import_rows set learner_id = null
        where import_id = gone.import_id and row_number = any(gone.row_numbers) and learner_id = gone.learner_id;
      end loop;
      return null;
    end $$;
  `.execute(db);
}
