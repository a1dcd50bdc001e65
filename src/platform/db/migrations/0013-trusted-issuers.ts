import { type Kysely, sql } from 'kysely';

/**
 * Issuers an administrator trusts besides the institution itself: DIDs added by hand, and registries (lists in
 * the Digital Credentials Consortium's format) whose entries are kept as fetched, so verification never waits on
 * the network. A registry's entries go when the registry goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table trusted_issuer_registries (
      id uuid primary key,
      name text not null check (length(name) between 1 and 120),
      url text not null unique check (url like 'https://%' and length(url) <= 2000),
      fetched_at timestamptz,
      -- Why the last refresh failed; the entries fetched before it are kept.
      last_error text,
      created_at timestamptz not null default now()
    );

    create table trusted_issuers (
      id uuid primary key,
      did text not null check (did ~ '^did:[a-z0-9]+:.+' and length(did) <= 2000),
      name text not null check (length(name) between 1 and 200),
      note text not null default '' check (length(note) <= 1000),
      url text,
      registry_id uuid references trusted_issuer_registries (id) on delete cascade,
      created_at timestamptz not null default now()
    );
    -- A DID is added by hand once, and listed once per registry.
    create unique index trusted_issuers_added_did on trusted_issuers (did) where registry_id is null;
    create unique index trusted_issuers_registry_did on trusted_issuers (registry_id, did)
      where registry_id is not null;
  `.execute(db);
}
