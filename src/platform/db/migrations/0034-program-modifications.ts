import { type Kysely, sql } from 'kysely';

/**
 * Changes to an approved program are proposed, not applied (issue 17): a substantive change to a pilot or an
 * established program is kept here as a *modification* (the proposed fields, the version it was drafted from)
 * and goes through the modification chain, while the program row stays the approved version that the catalog
 * lists and badges are issued under. Only when the last step approves are the fields copied to the program as
 * a new version. At most one modification per program is open (drafted or under review) at a time, so the
 * reviewers never weigh two competing versions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program_modifications (
      id uuid primary key,
      program_id uuid not null references programs (id) on delete cascade,
      base_version integer not null check (base_version >= 1),
      fields jsonb not null check (jsonb_typeof(fields) = 'object'),
      changed jsonb not null check (jsonb_typeof(changed) = 'array'),
      change_note text not null default '' check (length(change_note) <= 1000),
      status text not null default 'draft'
        check (status in ('draft', 'in_review', 'approved', 'withdrawn')),
      proposed_by uuid references users (id),
      -- The chain in force when it was last submitted; a resubmission takes the chain in force then.
      chain jsonb,
      return_comment text,
      submitted_at timestamptz,
      decided_at timestamptz,
      resulting_version integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status <> 'in_review' or (chain is not null and submitted_at is not null)),
      check ((status = 'approved') = (resulting_version is not null))
    );
    create unique index program_modifications_one_open on program_modifications (program_id)
      where status in ('draft', 'in_review');
    create index program_modifications_program_idx on program_modifications (program_id, created_at);

    -- Decisions on a modification's chain. A return or a resubmission clears them (cleared_at), keeping history.
    create table program_modification_steps (
      id uuid primary key,
      modification_id uuid not null references program_modifications (id) on delete cascade,
      step_key text not null,
      step_name text not null,
      decision text not null check (decision in ('approved', 'returned')),
      decided_by uuid references users (id),
      decided_by_name text not null,
      comment text,
      decided_at timestamptz not null default now(),
      cleared_at timestamptz
    );
    create unique index program_modification_steps_live on program_modification_steps (modification_id, step_key)
      where decision = 'approved' and cleared_at is null;
  `.execute(db);
}
