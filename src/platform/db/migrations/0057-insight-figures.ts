import { type Kysely, sql } from 'kysely';

/**
 * The overview's counts kept per program and day (issue 21, point 6): at 200,000 learners, counting a year of
 * awards and enrolments on every request took a quarter of a second. Days answer any period exactly; months (each
 * the sum of its days, keyed by its first day) answer the whole months inside it with a row per program, since a
 * year of days is nearly a row per award. The insight module keeps these rows equal to
 * the live counts, in the transactions that change them. They start empty with no `insight_state` row; the figures
 * are then built from the base tables at start or on first use (`stackable insight rebuild` does it by hand).
 * Zero counts have no row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table insight_badge_days (
      program_id uuid not null references programs (id) on delete cascade,
      day date not null,
      issued integer not null,
      claimed integer not null,
      shared integer not null,
      revoked integer not null,
      primary key (program_id, day)
    );
    create index insight_badge_days_day_idx on insight_badge_days (day);
    create table insight_enrolment_days (
      program_id uuid not null references programs (id) on delete cascade,
      day date not null,
      path text not null,
      enrolments integer not null,
      primary key (program_id, day, path)
    );
    create index insight_enrolment_days_day_idx on insight_enrolment_days (day);
    create table insight_badge_months (
      program_id uuid not null references programs (id) on delete cascade,
      month date not null,
      issued integer not null,
      claimed integer not null,
      shared integer not null,
      revoked integer not null,
      primary key (program_id, month)
    );
    create index insight_badge_months_month_idx on insight_badge_months (month);
    create table insight_enrolment_months (
      program_id uuid not null references programs (id) on delete cascade,
      month date not null,
      path text not null,
      enrolments integer not null,
      primary key (program_id, month, path)
    );
    create index insight_enrolment_months_month_idx on insight_enrolment_months (month);
    create table insight_state (
      id boolean primary key default true check (id),
      time_zone text not null,
      built_at timestamptz not null
    );
  `.execute(db);
}
