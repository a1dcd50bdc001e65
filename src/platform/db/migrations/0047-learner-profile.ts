import { type Kysely, sql } from 'kysely';

/**
 * Issue 19, points 1–3: the learner accepts a badge before it is shared, keeps several proven addresses on one
 * account, and may publish a profile of accepted badges.
 *
 * - `backpack_items.acceptance`: a new badge is pending until its learner accepts (or declines) it. Badges claimed
 *   before this migration were taken by their learner on purpose, so they count as accepted and no public page
 *   that people already link to disappears. Unclaimed ones stay pending, as a badge issued today would be.
 * - `account_emails`: the addresses an account holds besides its primary one (`users.email`). Only the SHA-256 of
 *   a verification link is kept, as for reset links; a proven address belongs to one account only.
 * - `account_tokens.sent_to`: the address a reset link was mailed to, so opening it proves that address and not
 *   the primary one when the learner asked through another.
 * - `learner_profiles`, `profile_collections`, `profile_collection_badges`: the opt-in public profile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table backpack_items
      add column acceptance text not null default 'pending'
        check (acceptance in ('pending', 'accepted', 'declined')),
      add column acceptance_changed_at timestamptz;
    update backpack_items set acceptance = 'accepted', acceptance_changed_at = claimed_at
      where claimed_at is not null;

    create table account_emails (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      email text not null check (length(email) between 3 and 320),
      verified_at timestamptz,
      token_hash text unique check (length(token_hash) = 64),
      token_expires_at timestamptz,
      created_at timestamptz not null default now(),
      check ((token_hash is null) = (token_expires_at is null))
    );
    create unique index account_emails_owner_key on account_emails (user_id, lower(email));
    create unique index account_emails_verified_key on account_emails (lower(email)) where verified_at is not null;

    alter table account_tokens add column sent_to text check (length(sent_to) <= 320);

    create table learner_profiles (
      user_id uuid primary key references users (id) on delete cascade,
      handle text not null check (handle ~ '^[a-z0-9][a-z0-9-]{1,28}[a-z0-9]$'),
      bio text not null default '' check (length(bio) <= 500),
      is_published boolean not null default false,
      updated_at timestamptz not null default now()
    );
    create unique index learner_profiles_handle_key on learner_profiles (handle);

    create table profile_collections (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (length(name) between 1 and 80),
      position integer not null,
      created_at timestamptz not null default now()
    );
    create index profile_collections_owner_idx on profile_collections (user_id, position);

    create table profile_collection_badges (
      collection_id uuid not null references profile_collections (id) on delete cascade,
      credential_id uuid not null references backpack_items (credential_id) on delete cascade,
      position integer not null,
      primary key (collection_id, credential_id)
    );
  `.execute(db);
}
