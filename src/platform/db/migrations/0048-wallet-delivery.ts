import { type Kysely, sql } from 'kysely';

/**
 * Delivering a badge into a learner's standards wallet (issue 19, point 5). A wallet offer is what the learner's
 * "Add to a wallet" page hands out: a pre-authorized code (OpenID for Verifiable Credential Issuance) and an
 * exchange address (VC-API), kept only as SHA-256 hashes, with the access token the code buys, all short-lived
 * and good for one delivery. The copy a wallet receives is a credential of its own, re-issued to the wallet's
 * DID: `copy_of` ties it to the award's credential, so revoking that one revokes every copy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table credentials add column copy_of uuid references credentials (id);
    create index credentials_copy_of_idx on credentials (copy_of) where copy_of is not null;

    create table wallet_offers (
      id uuid primary key,
      credential_id uuid not null references credentials (id),
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null unique,
      exchange_hash text not null unique,
      challenge text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      code_used_at timestamptz,
      access_token_hash text unique,
      token_expires_at timestamptz,
      delivered_at timestamptz,
      delivered_by text check (delivered_by in ('vc_api', 'oid4vci')),
      holder_did text,
      delivered_credential_id uuid references credentials (id),
      constraint wallet_offers_delivered check (
        (delivered_at is null) = (delivered_credential_id is null)
        and (delivered_at is null) = (holder_did is null)
        and (delivered_at is null) = (delivered_by is null)
      )
    );
    create index wallet_offers_credential_idx on wallet_offers (credential_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table wallet_offers;
    alter table credentials drop column copy_of;
  `.execute(db);
}
