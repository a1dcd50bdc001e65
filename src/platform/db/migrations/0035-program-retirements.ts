import { type Kysely, sql } from 'kysely';

/**
 * Why and by whom a program was retired, and whether it was reinstated (issue 17). A retirement keeps the
 * enrolments that were active when it happened (`learners_told`, the learners told of it), so that whether a
 * learner has since been affected can be answered from the records; see `program-retirements.service.ts`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program_retirements (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      from_status text not null check (from_status in ('pilot', 'established')),
      reason text not null check (length(reason) between 1 and 5000),
      retired_by uuid references users (id),
      retired_at timestamptz not null,
      learners_told jsonb not null default '[]' check (jsonb_typeof(learners_told) = 'array'),
      reinstated_by uuid references users (id),
      reinstated_at timestamptz
    );
    -- A program is retired once at a time: the latest retirement not reinstated is the one in force.
    create unique index program_retirements_in_force on program_retirements (program_id)
      where reinstated_at is null;
  `.execute(db);
}
