import { type Kysely, sql } from 'kysely';

/**
 * Learners' side of enrolment and the student-system feed: requests from returning students to have their
 * record reactivated, and every completions import with one report row per line of the file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table reactivation_requests (
      id uuid primary key,
      user_id uuid not null references users (id),
      program_id uuid not null references programs (id),
      learner_id uuid references learners (id) on delete set null,
      name text not null,
      student_id text,
      last_term text not null,
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'declined')),
      decided_by uuid references users (id),
      decided_at timestamptz,
      decision_comment text,
      created_at timestamptz not null default now()
    );
    -- One open request per person and program; a decided one may be followed by a new request.
    create unique index reactivation_requests_one_pending
      on reactivation_requests (user_id, program_id) where status = 'pending';
    create index reactivation_requests_status_idx on reactivation_requests (status, created_at);

    create table completion_imports (
      id uuid primary key,
      file_name text not null,
      sha256 text not null,
      channel text not null check (channel in ('web', 'api', 'cli')),
      uploaded_by uuid references users (id),
      uploaded_by_label text not null,
      rows_total integer not null default 0,
      accepted integer not null default 0,
      updated integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index completion_imports_created_idx on completion_imports (created_at desc);

    create table completion_import_rows (
      import_id uuid not null references completion_imports (id) on delete cascade,
      row_number integer not null,
      outcome text not null check (outcome in ('accepted', 'updated', 'unchanged', 'rejected')),
      reason text,
      student_id text not null default '',
      course text not null default '',
      term text not null default '',
      learner_id uuid references learners (id) on delete set null,
      primary key (import_id, row_number)
    );
    -- A student, course and term may be taken from a file once; a repeat is rejected as a duplicate.
    create unique index completion_import_rows_once
      on completion_import_rows (import_id, learner_id, course, term) where outcome <> 'rejected';
    create index completion_import_rows_learner_idx
      on completion_import_rows (learner_id) where learner_id is not null;
  `.execute(db);
}
