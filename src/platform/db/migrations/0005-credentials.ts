import { type Kysely, sql } from 'kysely';

/** Issuer signing keys, Bitstring status lists and the credentials issued under them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table issuer_keys (
      id uuid primary key,
      key_id text not null unique,
      public_key_multibase text not null unique,
      private_key_sealed text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );
    -- One key signs new credentials at a time; retired keys stay so older credentials keep verifying.
    create unique index issuer_keys_one_active on issuer_keys ((retired_at is null)) where retired_at is null;

    create table status_lists (
      id uuid primary key,
      issuer_did text not null,
      purpose text not null check (purpose in ('revocation', 'suspension')),
      size integer not null check (size > 0 and size % 8 = 0),
      bits bytea not null,
      allocated integer not null default 0,
      version integer not null default 1,
      signed_json jsonb,
      signed_version integer,
      created_at timestamptz not null default now(),
      check (allocated between 0 and size)
    );
    create index status_lists_open_idx on status_lists (issuer_did, purpose, allocated);

    create table credentials (
      id uuid primary key,
      program_id uuid not null references programs (id),
      program_version integer not null,
      issuer_key_id uuid not null references issuer_keys (id),
      issuer_did text not null,
      learner_email_hash text,
      recipient_name text,
      learner_id uuid references learners (id) on delete set null,
      issued_at timestamptz not null default now(),
      valid_from timestamptz not null,
      valid_until timestamptz,
      json jsonb not null,
      jwt text not null,
      status text not null default 'active' check (status in ('active', 'revoked', 'suspended')),
      status_reason text,
      status_changed_at timestamptz,
      revocation_list_id uuid not null references status_lists (id),
      revocation_index integer not null check (revocation_index >= 0),
      suspension_list_id uuid not null references status_lists (id),
      suspension_index integer not null check (suspension_index >= 0),
      is_public boolean not null default true,
      issued_by uuid references users (id),
      unique (revocation_list_id, revocation_index),
      unique (suspension_list_id, suspension_index)
    );
    create index credentials_program_idx on credentials (program_id);
    create index credentials_learner_idx on credentials (learner_id);
    create index credentials_email_hash_idx on credentials (learner_email_hash);
  `.execute(db);
}
