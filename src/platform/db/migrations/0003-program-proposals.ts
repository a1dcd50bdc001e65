import { type Kysely, sql } from 'kysely';

/**
 * Program proposals and their workflow: proposal narratives and files, named signers, approval chains and the
 * decisions taken along them, immutable program versions, pilot-year reviews and the reminders already sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Credit-bearing and hybrid programs are issued through the registrar, non-credit ones by the credentials
    -- office. Rows written without an office (older code, the demo seed) get the one their credit type implies.
    alter table programs add column issuing_office text
      check (issuing_office in ('registrar', 'credentials_office'));
    update programs
      set issuing_office = case when credit_type = 'non_credit' then 'credentials_office' else 'registrar' end;
    create function programs_default_issuing_office() returns trigger language plpgsql as $$
    begin
      if new.issuing_office is null then
        new.issuing_office := case when new.credit_type = 'non_credit' then 'credentials_office'
                                   else 'registrar' end;
      end if;
      return new;
    end $$;
    create trigger programs_issuing_office before insert or update on programs
      for each row execute function programs_default_issuing_office();
    alter table programs alter column issuing_office set not null;

    alter table programs add column contacts jsonb not null default '[]';
    -- The day a pilot was approved; older rows only know the academic year (pilot_start_year).
    alter table programs add column pilot_started_on date;
    create index programs_lead_idx on programs (lead_user_id);

    -- Approval chains are data: each institution lists its own governance bodies in order.
    create table approval_chains (
      key text primary key,
      name text not null,
      steps jsonb not null,
      updated_at timestamptz not null default now()
    );
    insert into approval_chains (key, name, steps) values
      ('pilot', 'Pilot approval',
       '[{"key": "faculty_senate", "name": "Faculty Senate", "role": "approver"}]'),
      ('full_proposal', 'Full proposal approval',
       '[{"key": "interdisciplinary_subcommittee", "name": "Interdisciplinary sub-committee", "role": "approver"},
         {"key": "senate_committees", "name": "Faculty Senate committees", "role": "approver"},
         {"key": "faculty_senate", "name": "Faculty Senate", "role": "approver"},
         {"key": "provost", "name": "Provost", "role": "approver"}]');

    create table proposals (
      program_id uuid primary key references programs (id) on delete cascade,
      market_analysis text not null default '',
      financial_model text not null default '',
      marketing_plan text not null default '',
      is_interdisciplinary boolean not null default false,
      has_third_party boolean not null default false,
      full_proposal_summary text not null default '',
      updated_at timestamptz not null default now()
    );

    create table proposal_notes (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      author_id uuid references users (id),
      author_name text not null,
      body text not null check (length(body) between 1 and 10000),
      created_at timestamptz not null default now()
    );
    create index proposal_notes_program_idx on proposal_notes (program_id, created_at);

    create table proposal_files (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      kind text not null check (kind in ('syllabus', 'mou')),
      filename text not null check (length(filename) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes between 1 and 10485760),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      content bytea not null,
      uploaded_by uuid references users (id),
      uploaded_at timestamptz not null default now(),
      unique (program_id, kind)
    );

    create table proposal_signers (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      user_id uuid not null references users (id),
      name text not null,
      email text not null,
      role_label text not null check (length(role_label) between 1 and 120),
      position integer not null,
      status text not null default 'pending' check (status in ('pending', 'signed', 'declined')),
      comment text,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      unique (program_id, user_id),
      check ((status = 'pending') = (decided_at is null))
    );
    create index proposal_signers_user_idx on proposal_signers (user_id, status);

    -- Decisions along an approval chain. Returning a full proposal clears its approvals (cleared_at) rather
    -- than deleting them, so the history stays whole.
    create table approval_steps (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      chain_key text not null,
      step_key text not null,
      step_name text not null,
      decision text not null check (decision in ('approved', 'returned')),
      decided_by uuid references users (id),
      decided_by_name text not null,
      comment text,
      decided_at timestamptz not null default now(),
      cleared_at timestamptz
    );
    create unique index approval_steps_live_key on approval_steps (program_id, chain_key, step_key)
      where decision = 'approved' and cleared_at is null;

    -- What an offered program looked like at each version; credentials point at the version they were issued
    -- under, so a version is never changed once written.
    create table program_versions (
      program_id uuid not null references programs (id) on delete cascade,
      version integer not null check (version >= 1),
      snapshot jsonb not null,
      change_note text not null default '',
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      primary key (program_id, version)
    );
    create function program_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'program_versions rows are immutable';
    end $$;
    create trigger program_versions_no_update before update on program_versions
      for each row execute function program_versions_immutable();

    create table pilot_reviews (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      year_number integer not null check (year_number between 1 and 3),
      academic_year text not null,
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
      unique (program_id, year_number)
    );

    -- One row per reminder e-mail: the unique key is what makes a second daily run send nothing new.
    create table reminders_sent (
      id uuid primary key,
      kind text not null check (kind in ('pilot_review', 'pilot_decision')),
      subject_id text not null,
      due_on date not null,
      stage text not null,
      recipient text not null,
      sent_at timestamptz not null default now(),
      constraint reminders_sent_once unique (kind, subject_id, due_on, stage)
    );
  `.execute(db);
}
