import { type Kysely, sql } from 'kysely';

/**
 * SAML 2.0 single sign-on (issue 18): the service provider's own key pair (one for the site, published in its
 * metadata for signing AuthnRequests and for providers to encrypt assertions to; the private key sealed with the
 * app secret), the assertion ids already accepted (kept until the assertion would have expired, so a captured
 * response cannot be played again), and a SAML provider's metadata being required.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table saml_service_provider (
      id boolean primary key default true check (id),
      private_key_sealed text not null,
      certificate text not null,
      created_at timestamptz not null default now()
    );

    create table saml_assertions_seen (
      provider_id uuid not null references identity_providers (id) on delete cascade,
      assertion_id text not null,
      expires_at timestamptz not null,
      primary key (provider_id, assertion_id)
    );
    create index saml_assertions_seen_expiry_idx on saml_assertions_seen (expires_at);

    alter table identity_providers add constraint identity_providers_saml_fields check (
      protocol <> 'saml' or idp_metadata_xml is not null
    );
  `.execute(db);
}
