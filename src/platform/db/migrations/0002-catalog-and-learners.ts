import { type Kysely, sql } from 'kysely';

/** The institution, its departments, courses and micro-credential programs, and the learners enrolled in them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table institution (
      id integer primary key default 1 check (id = 1),
      name text not null,
      short_name text not null,
      url text not null,
      email text not null,
      phone text not null default '',
      address text not null default '',
      description text not null default '',
      primary_colour text not null,
      accent_colour text not null,
      academic_year_start_month integer not null default 9 check (academic_year_start_month between 1 and 12),
      default_fee_cents integer not null default 1000 check (default_fee_cents >= 0)
    );

    create table departments (
      code text primary key,
      name text not null
    );

    create table courses (
      code text primary key,
      title text not null,
      credits integer not null check (credits between 0 and 30),
      level text not null check (level in ('undergraduate', 'graduate'))
    );

    create table certificates (
      slug text primary key,
      title text not null,
      description text not null
    );

    create table programs (
      id uuid primary key,
      slug text not null unique,
      title text not null,
      summary text not null,
      description text not null,
      department_code text not null references departments (code),
      level text not null check (level in ('undergraduate', 'graduate')),
      credits_min integer not null check (credits_min >= 0),
      credits_max integer not null,
      credit_type text not null check (credit_type in ('credit', 'non_credit', 'hybrid')),
      status text not null check (status in ('draft', 'awaiting_signatures', 'submitted', 'changes_requested',
                                             'pilot', 'full_proposal_review', 'established', 'retired')),
      pilot_start_year integer,
      fee_cents integer not null check (fee_cents >= 0),
      validity_years integer check (validity_years > 0),
      outcomes jsonb not null default '[]',
      skills jsonb not null default '[]',
      requirement jsonb not null,
      stacks_into jsonb not null default '[]',
      enrolment_paths jsonb not null default '[]',
      lead_user_id uuid references users (id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (credits_max >= credits_min)
    );
    create index programs_status_idx on programs (status);

    create table program_courses (
      program_id uuid not null references programs (id) on delete cascade,
      course_code text not null references courses (code),
      position integer not null,
      primary key (program_id, course_code)
    );

    create table learners (
      id uuid primary key,
      user_id uuid unique references users (id),
      email text not null,
      name text not null,
      student_id text not null unique,
      status text not null check (status in ('degree_seeking', 'non_degree_seeking', 'current', 'returning')),
      created_at timestamptz not null default now()
    );
    create unique index learners_email_key on learners (lower(email));

    create table enrolments (
      id uuid primary key,
      learner_id uuid not null references learners (id) on delete cascade,
      program_id uuid not null references programs (id),
      path text not null check (path in ('new', 'non_degree', 'current', 'returning')),
      enrolled_on date not null,
      status text not null default 'active' check (status in ('active', 'withdrawn', 'completed')),
      unique (learner_id, program_id)
    );

    create table completions (
      id uuid primary key,
      learner_id uuid not null references learners (id) on delete cascade,
      course_code text not null references courses (code),
      term text not null,
      grade text not null,
      credits integer not null,
      completed_on date not null,
      source text not null default 'sis',
      updated_at timestamptz not null default now(),
      unique (learner_id, course_code, term)
    );
  `.execute(db);
}
