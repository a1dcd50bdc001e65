import { type Kysely, sql } from 'kysely';

/**
 * Single sign-on (issue 18): the university's identity providers, the external identities linked to accounts,
 * the short-lived sign-in attempts that bind a provider's answer to the browser that asked for it, and the one
 * row of site-wide settings (whether staff may still sign in with a local password, and who the break-glass
 * administrator is). A provider's client secret is kept sealed with the app secret, never in clear text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table identity_providers (
      id uuid primary key,
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
      button_label text not null check (length(button_label) between 1 and 80),
      protocol text not null check (protocol in ('oidc', 'saml')),
      discovery_url text,
      client_id text,
      client_secret_sealed text,
      idp_metadata_url text,
      idp_metadata_xml text,
      mapping jsonb not null default '{}',
      email_domains text[] not null default '{}',
      is_enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint identity_providers_oidc_fields check (
        protocol <> 'oidc' or (discovery_url is not null and client_id is not null)
      )
    );

    create table sso_identities (
      provider_id uuid not null references identity_providers (id) on delete cascade,
      subject text not null,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      primary key (provider_id, subject)
    );
    create index sso_identities_user_idx on sso_identities (user_id);

    create table sso_attempts (
      id text primary key,
      provider_id uuid not null references identity_providers (id) on delete cascade,
      purpose text not null check (purpose in ('sign_in', 'test')),
      requested_by uuid references users (id) on delete cascade,
      state text not null,
      nonce text,
      code_verifier text,
      next text,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index sso_attempts_expiry_idx on sso_attempts (expires_at);

    create table sso_settings (
      id boolean primary key default true check (id),
      staff_passwords_off boolean not null default false,
      break_glass_user_id uuid references users (id) on delete set null,
      updated_at timestamptz not null default now()
    );
    insert into sso_settings (id) values (true);
  `.execute(db);
}
