import { type Kysely, sql } from 'kysely';

/**
 * One table for a program's reviews (issues 13 and 21): a pilot's yearly review and an established program's
 * periodic review ask the same questions and keep the same figures, so they are one record with a `kind`.
 *
 * - `number` is the pilot year (1 to 3) or the periodic review's cycle.
 * - A pilot review keeps its academic year's label; its dates come from the pilot calendar. A periodic review keeps
 *   the period it covered, since the institution's rhythm may change after it was submitted.
 * - `figures` held the four enrolment counts; a submitted review now keeps them under `records`, beside the
 *   program's figures and charts from the insight module (`program`), so what was frozen stays apart by source.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program_reviews (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      kind text not null check (kind in ('pilot_review', 'periodic_review')),
      number integer not null check (number >= 1),
      academic_year text,
      period_starts_on date,
      period_ends_on date,
      due_on date not null,
      figures jsonb not null default '{}',
      highlights text not null default '',
      challenges text not null default '',
      learner_feedback text not null default '',
      changes_planned text not null default '',
      updated_by uuid references users (id),
      updated_at timestamptz not null default now(),
      submitted_by uuid references users (id),
      submitted_at timestamptz,
      unique (program_id, kind, number),
      check (kind <> 'pilot_review' or (number <= 3 and academic_year is not null)),
      check (kind <> 'periodic_review' or period_ends_on >= period_starts_on)
    );

    insert into program_reviews (id, program_id, kind, number, academic_year, due_on, figures, highlights,
      challenges, learner_feedback, changes_planned, updated_by, updated_at, submitted_by, submitted_at)
    select id, program_id, 'pilot_review', year_number, academic_year, due_on,
      case when figures = '{}'::jsonb then figures else jsonb_build_object('records', figures) end,
      highlights, challenges, learner_feedback, changes_planned, updated_by, updated_at, submitted_by, submitted_at
    from pilot_reviews;

    insert into program_reviews (id, program_id, kind, number, period_starts_on, period_ends_on, due_on, figures,
      highlights, challenges, learner_feedback, changes_planned, updated_by, updated_at, submitted_by, submitted_at)
    select id, program_id, 'periodic_review', cycle_number, period_starts_on, period_ends_on, due_on,
      case when figures = '{}'::jsonb then figures else jsonb_build_object('records', figures) end,
      highlights, challenges, learner_feedback, changes_planned, updated_by, updated_at, submitted_by, submitted_at
    from periodic_reviews;

    drop table pilot_reviews;
    drop table periodic_reviews;
  `.execute(db);
}
