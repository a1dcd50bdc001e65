import { type Kysely, sql } from 'kysely';

/**
 * Integrations (the student system and other campus tools) calling the API with OAuth 2.0 client credentials.
 * Secrets and access tokens are kept only as SHA-256 digests: they are long random strings, so a digest cannot be
 * turned back into one, and a copy of the database opens nothing. A client is revoked, never deleted, so the
 * audit log's rows about it keep their meaning; its tokens go when it is revoked or its secret rotated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_clients (
      id uuid primary key,
      client_id text not null unique check (client_id ~ '^stk_[A-Za-z0-9_-]{16,}$'),
      name text not null check (length(name) between 1 and 120),
      scopes text[] not null,
      secret_hash text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      secret_rotated_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table api_access_tokens (
      token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
      client_id uuid not null references api_clients (id) on delete cascade,
      scopes text[] not null,
      issued_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index api_access_tokens_client_idx on api_access_tokens (client_id);
  `.execute(db);
}
