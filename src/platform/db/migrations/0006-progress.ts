import { type Kysely, sql } from 'kysely';

/**
 * Evidence faculty add to a learner's record for one program (applied-experience sign-offs and approved course
 * substitutions) and the learners' badge requests with the decisions taken on them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table experiences (
      id uuid primary key,
      learner_id uuid not null references learners (id) on delete cascade,
      program_id uuid not null references programs (id),
      key text not null check (length(key) between 1 and 64),
      signed_off_by uuid not null references users (id),
      signed_off_on date not null,
      note text not null default '' check (length(note) <= 2000),
      created_at timestamptz not null default now(),
      constraint experiences_once unique (learner_id, program_id, key)
    );
    create index experiences_program_idx on experiences (program_id);

    create table substitutions (
      id uuid primary key,
      learner_id uuid not null references learners (id) on delete cascade,
      program_id uuid not null references programs (id),
      required_course text not null references courses (code),
      substitute_course text not null references courses (code),
      approved_by uuid not null references users (id),
      reason text not null check (length(trim(reason)) between 1 and 2000),
      created_at timestamptz not null default now(),
      check (required_course <> substitute_course),
      constraint substitutions_once unique (learner_id, program_id, required_course, substitute_course)
    );
    create index substitutions_program_idx on substitutions (program_id);

    create table badge_requests (
      id uuid primary key,
      learner_id uuid not null references learners (id) on delete cascade,
      program_id uuid not null references programs (id),
      status text not null default 'requested'
        check (status in ('requested', 'approved', 'returned', 'issued', 'withdrawn')),
      requested_at timestamptz not null default now(),
      decided_by uuid references users (id),
      decided_at timestamptz,
      comment text check (length(comment) <= 2000),
      -- What the learner's evaluation said when they asked, kept as it was then.
      evaluation jsonb not null,
      credential_id uuid references credentials (id),
      issued_at timestamptz,
      -- A returned request always tells the learner why.
      check (status <> 'returned' or length(trim(coalesce(comment, ''))) > 0),
      check (status not in ('approved', 'returned') or (decided_by is not null and decided_at is not null)),
      check (status <> 'issued' or (credential_id is not null and issued_at is not null))
    );
    -- At most one open request per learner and program, whatever the code above it does.
    create unique index badge_requests_one_open on badge_requests (learner_id, program_id)
      where status in ('requested', 'approved');
    create index badge_requests_program_idx on badge_requests (program_id, status);
    create index badge_requests_status_idx on badge_requests (status, requested_at);
  `.execute(db);
}
