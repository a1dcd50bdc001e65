import { type Kysely, sql } from 'kysely';

/**
 * Issuing and fees: one issued award per learner and program (the credential, how and by which office it was
 * issued), tracking lists uploaded per cohort with one row per line of the file, the registrar's transcript
 * exports, and the fee charged to the student account for every credential with the bursar's exports.
 *
 * The unique constraints here are what stop a re-uploaded list, a retried job or two clicks from issuing or
 * charging twice; the code checks first only to give a friendlier message.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registrar_exports (
      id uuid primary key,
      created_at timestamptz not null default now(),
      created_by uuid references users (id),
      created_by_label text not null,
      row_count integer not null check (row_count >= 0)
    );

    create table tracking_lists (
      id uuid primary key,
      file_name text not null check (length(file_name) between 1 and 200),
      sha256 text not null,
      cohort text not null check (length(cohort) between 1 and 200),
      credit_mode text not null check (credit_mode in ('credit', 'non_credit')),
      office text not null check (office in ('registrar', 'credentials_office')),
      status text not null default 'preview'
        check (status in ('preview', 'queued', 'running', 'done', 'failed', 'discarded')),
      rows_total integer not null check (rows_total >= 0),
      uploaded_by uuid references users (id),
      uploaded_by_label text not null,
      uploaded_at timestamptz not null default now(),
      committed_by uuid references users (id),
      committed_at timestamptz,
      finished_at timestamptz,
      last_error text,
      -- Credit-bearing lists belong to the registrar, non-credit ones to the credentials office.
      check ((credit_mode = 'credit') = (office = 'registrar')),
      check (status in ('preview', 'discarded') or (committed_by is not null and committed_at is not null))
    );
    create index tracking_lists_office_idx on tracking_lists (office, uploaded_at desc);

    create table tracking_list_rows (
      id uuid primary key,
      list_id uuid not null references tracking_lists (id) on delete cascade,
      line integer not null check (line > 0),
      student_id text not null default '',
      email text not null default '',
      first_name text not null default '',
      last_name text not null default '',
      program_slug text not null default '',
      completion_date date,
      term text not null default '',
      credit_mode text check (credit_mode in ('credit', 'non_credit')),
      cohort text not null default '',
      fee_waived boolean not null default false,
      notes text not null default '' check (length(notes) <= 500),
      learner_id uuid references learners (id),
      program_id uuid references programs (id),
      status text not null
        check (status in ('ready', 'not_eligible', 'error', 'issued', 'skipped', 'failed')),
      reason text,
      credential_id uuid references credentials (id),
      processed_at timestamptz,
      unique (list_id, line),
      check (status <> 'ready' or (learner_id is not null and program_id is not null and completion_date is not null)),
      check ((status = 'issued') = (credential_id is not null))
    );
    -- A learner's badge for a program is issued from one tracking-list row at most, across every list.
    create unique index tracking_list_rows_issued_once on tracking_list_rows (learner_id, program_id)
      where status = 'issued';
    create index tracking_list_rows_ready_idx on tracking_list_rows (list_id, line) where status = 'ready';
    create index tracking_list_rows_learner_idx on tracking_list_rows (learner_id, program_id);

    create table issued_awards (
      id uuid primary key,
      learner_id uuid not null references learners (id),
      program_id uuid not null references programs (id),
      credential_id uuid not null references credentials (id),
      office text not null check (office in ('registrar', 'credentials_office')),
      credit_mode text not null check (credit_mode in ('credit', 'non_credit')),
      source text not null check (source in ('badge_request', 'tracking_list')),
      badge_request_id uuid references badge_requests (id),
      tracking_list_row_id uuid references tracking_list_rows (id),
      term text,
      completion_date date,
      credits integer not null check (credits >= 0),
      issued_by uuid references users (id),
      issued_at timestamptz not null default now(),
      registrar_export_id uuid references registrar_exports (id),
      constraint issued_awards_once unique (learner_id, program_id),
      constraint issued_awards_credential_key unique (credential_id),
      unique (badge_request_id),
      unique (tracking_list_row_id),
      -- A tracking-list award may also close the learner's approved request, so only one direction here.
      check (source <> 'badge_request' or badge_request_id is not null),
      check ((source = 'tracking_list') = (tracking_list_row_id is not null)),
      -- Only credit-bearing awards go on the transcript.
      check (registrar_export_id is null or credit_mode = 'credit')
    );
    create index issued_awards_registrar_pending_idx on issued_awards (issued_at)
      where credit_mode = 'credit' and registrar_export_id is null;
    create index issued_awards_office_idx on issued_awards (office, issued_at desc);

    create table bursar_exports (
      id uuid primary key,
      created_at timestamptz not null default now(),
      created_by uuid references users (id),
      created_by_label text not null,
      charge_count integer not null check (charge_count >= 0),
      reversal_count integer not null check (reversal_count >= 0),
      net_cents bigint not null
    );

    create table fee_charges (
      id uuid primary key,
      credential_id uuid not null references credentials (id),
      learner_id uuid not null references learners (id),
      program_id uuid not null references programs (id),
      amount_cents integer not null check (amount_cents >= 0),
      status text not null default 'posted' check (status in ('posted', 'waived', 'reversed')),
      posted_at timestamptz not null default now(),
      waived_by uuid references users (id),
      waived_at timestamptz,
      reason text check (length(reason) <= 500),
      exported_batch uuid references bursar_exports (id),
      reversal_exported_batch uuid references bursar_exports (id),
      constraint fee_charges_one_per_credential unique (credential_id),
      -- A waiver or reversal always says why and when.
      check (status = 'posted' or (length(trim(coalesce(reason, ''))) > 0 and waived_at is not null)),
      -- Waived before it reached the student account: never exported. Reversed: it had been exported.
      check (status <> 'waived' or exported_batch is null),
      check (status <> 'reversed' or exported_batch is not null),
      check (reversal_exported_batch is null or status = 'reversed')
    );
    create index fee_charges_learner_idx on fee_charges (learner_id);
    create index fee_charges_posted_idx on fee_charges (posted_at desc);
    create index fee_charges_unexported_idx on fee_charges (posted_at) where exported_batch is null;
  `.execute(db);
}
