import { type Kysely, sql } from 'kysely';

/**
 * Periodic review of established programs (issue 17, point 3), and the lead's weekly digest (point 6).
 *
 * - `institution.periodic_review_years`: how often an established program is reviewed (every 5 years unless the
 *   institution says otherwise).
 * - `programs.established_on`: the day the last step of the full-proposal chain made the program established. For
 *   programs that became established before this column, the day of that approval is taken from the chain's
 *   record; programs with no such record (imported, or seeded as established) keep it empty and are counted from
 *   the day their record was created.
 * - `periodic_reviews`: the same narrative and figures as a pilot review, for one review period of an
 *   established program. Periods follow each other: the next starts the day after the last submitted one ended.
 * - `reminders_sent` learns two more kinds: the periodic review's reminders, and the lead's digest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table institution add column periodic_review_years integer not null default 5
      check (periodic_review_years between 1 and 10);

    alter table programs add column established_on date;
    update programs p set established_on = (
      select max(s.decided_at)::date from approval_steps s
      where s.program_id = p.id and s.chain_key = 'full_proposal' and s.decision = 'approved'
        and s.cleared_at is null)
    where p.status = 'established';

    create table periodic_reviews (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      cycle_number integer not null check (cycle_number >= 1),
      period_starts_on date not null,
      period_ends_on date not null,
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
      unique (program_id, cycle_number),
      check (period_ends_on >= period_starts_on)
    );

    alter table reminders_sent drop constraint reminders_sent_kind_check;
    alter table reminders_sent add constraint reminders_sent_kind_check
      check (kind in ('pilot_review', 'pilot_decision', 'periodic_review', 'lead_digest'));
  `.execute(db);
}
