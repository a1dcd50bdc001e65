import { type Kysely, sql } from 'kysely';

/**
 * The learner's backpack: each issued badge's claim state, its single-use claim links (hashes only), and the
 * claim mail template the credentials office may edit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table backpack_items (
      credential_id uuid primary key references credentials (id) on delete cascade,
      learner_email text not null check (length(learner_email) between 3 and 320),
      learner_name text check (length(learner_name) <= 200),
      program_title text not null check (length(program_title) between 1 and 300),
      claimed_at timestamptz,
      claimed_by_user_id uuid references users (id),
      show_name boolean not null default true,
      revocation_category text check (revocation_category in
        ('issued_in_error', 'requirements_not_met', 'academic_integrity', 'learner_request', 'other')),
      created_at timestamptz not null default now(),
      -- Claimed means both: when and by whom.
      check ((claimed_at is null) = (claimed_by_user_id is null))
    );
    create index backpack_items_email_idx on backpack_items (lower(learner_email));
    create index backpack_items_owner_idx on backpack_items (claimed_by_user_id);

    create table claim_tokens (
      token_hash text primary key check (length(token_hash) = 64),
      credential_id uuid not null references backpack_items (credential_id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index claim_tokens_credential_idx on claim_tokens (credential_id, created_at);

    create table mail_templates (
      kind text primary key check (kind in ('badge_claim')),
      subject text not null check (length(subject) between 1 and 200),
      text_body text not null check (length(text_body) between 1 and 20000),
      html_body text not null check (length(html_body) between 1 and 40000),
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id)
    );
  `.execute(db);
}
