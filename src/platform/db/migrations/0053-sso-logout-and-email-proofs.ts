import { type Kysely, sql } from 'kysely';

/**
 * Single sign-on, continued (issue 18): which sessions a SAML provider opened, with the NameID and SessionIndex it
 * named (so a LogoutRequest from the provider ends exactly those sessions, and signing out here can ask the
 * provider to end its own), and the one-time links that let a person prove an address their provider did not vouch
 * for before their identity there is linked to the existing account with it. A link is kept only as its hash, and
 * is bound to the browser that asked for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sso_sessions (
      session_id text primary key references sessions (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      provider_id uuid not null references identity_providers (id) on delete cascade,
      name_id text not null,
      name_id_format text,
      session_index text,
      created_at timestamptz not null default now()
    );
    create index sso_sessions_name_idx on sso_sessions (provider_id, name_id);

    create table sso_email_proofs (
      token_hash text primary key,
      browser_hash text not null,
      provider_id uuid not null references identity_providers (id) on delete cascade,
      subject text not null,
      user_id uuid not null references users (id) on delete cascade,
      email text not null,
      next text,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index sso_email_proofs_expiry_idx on sso_email_proofs (expires_at);
  `.execute(db);
}
