import { type Kysely, sql } from 'kysely';

/**
 * The staff home's glance (how many learners, how many active enrolments) kept as it changes instead of counted on
 * every page: at 200,000 learners the two counts read every learner and enrolment, 50-70 ms of each staff home on
 * PGlite and about 25 ms on PostgreSQL.
 *
 * Each statement that adds, removes or changes the status of learners or enrolments adds one row with its change
 * (statement triggers over the rows it touched), whichever code or hand-written SQL made it; a figure is the sum of
 * its rows. Rows are only ever added by writers, never updated, so two transactions enrolling learners at once never
 * wait on each other for a shared counter row; the learners module folds the rows into one per figure now and then
 * (`LearnersRepository.foldCounts`). Emptying a table (truncate, as a restore may) empties its figure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table learner_counts (
      figure text not null check (figure in ('learners', 'active_enrolments')),
      change bigint not null
    );

    insert into learner_counts (figure, change)
      select 'learners', count(*) from learners
      union all
      select 'active_enrolments', count(*) from enrolments where status = 'active';

    create function learner_counts_learners_added() returns trigger language plpgsql as $$
    begin
      insert into learner_counts (figure, change) select 'learners', count(*) from added having count(*) > 0;
      return null;
    end $$;
    create function learner_counts_learners_removed() returns trigger language plpgsql as $$
    begin
      insert into learner_counts (figure, change) select 'learners', -count(*) from removed having count(*) > 0;
      return null;
    end $$;
    create function learner_counts_enrolments_added() returns trigger language plpgsql as $$
    begin
      insert into learner_counts (figure, change)
        select 'active_enrolments', count(*) from added where status = 'active' having count(*) > 0;
      return null;
    end $$;
    create function learner_counts_enrolments_removed() returns trigger language plpgsql as $$
    begin
      insert into learner_counts (figure, change)
        select 'active_enrolments', -count(*) from removed where status = 'active' having count(*) > 0;
      return null;
    end $$;
    create function learner_counts_enrolments_changed() returns trigger language plpgsql as $$
    declare
      moved bigint := (select count(*) from added where status = 'active')
        - (select count(*) from removed where status = 'active');
    begin
      if moved <> 0 then
        insert into learner_counts (figure, change) values ('active_enrolments', moved);
      end if;
      return null;
    end $$;
    create function learner_counts_emptied() returns trigger language plpgsql as $$
    begin
      delete from learner_counts
        where figure = case tg_table_name when 'learners' then 'learners' else 'active_enrolments' end;
      return null;
    end $$;

    create trigger learner_counts_added after insert on learners
      referencing new table as added for each statement execute function learner_counts_learners_added();
    create trigger learner_counts_removed after delete on learners
      referencing old table as removed for each statement execute function learner_counts_learners_removed();
    create trigger learner_counts_emptied after truncate on learners
      for each statement execute function learner_counts_emptied();
    create trigger learner_counts_added after insert on enrolments
      referencing new table as added for each statement execute function learner_counts_enrolments_added();
    create trigger learner_counts_removed after delete on enrolments
      referencing old table as removed for each statement execute function learner_counts_enrolments_removed();
    create trigger learner_counts_changed after update on enrolments
      referencing old table as removed new table as added
      for each statement execute function learner_counts_enrolments_changed();
    create trigger learner_counts_emptied after truncate on enrolments
      for each statement execute function learner_counts_emptied();
  `.execute(db);
}
