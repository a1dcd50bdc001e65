import { type Kysely, sql } from 'kysely';

/**
 * Requirement progress kept per enrolment (issue 20, point 3): the progress module stores each enrolment's
 * verdict when its inputs change (an import, a sign-off, a substitution, an enrolment, a rule change) instead of
 * evaluating whole programs on every read. A row says what it was worked out from (`as_of`, the program rule's
 * fingerprint, the enrolment day), so a reader can tell a row that no longer answers today's question.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table enrolment_progress (
      enrolment_id uuid primary key references enrolments (id) on delete cascade,
      learner_id uuid not null,
      program_id uuid not null,
      status text not null,
      met boolean not null,
      percent integer not null,
      explanation text not null,
      missing jsonb not null,
      credits_earned double precision not null,
      last_activity_on date not null,
      as_of date not null,
      rule_fingerprint text not null,
      enrolled_on date not null,
      refreshed_at timestamptz not null default now()
    );
    create index enrolment_progress_program_idx on enrolment_progress (program_id, status);
    create index enrolment_progress_learner_idx on enrolment_progress (learner_id);
    create index enrolment_progress_as_of_idx on enrolment_progress (as_of);
  `.execute(db);
}
