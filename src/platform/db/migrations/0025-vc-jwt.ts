import { type Kysely, sql } from 'kysely';

/**
 * VC-JWT in the VC-JOSE-COSE form (issue 16). The institution chooses whether badges also get a VC-JWT copy and with
 * which algorithm; EdDSA signs with the Ed25519 issuer key, ES256 and RS256 with keys of their own, kept like the
 * issuer keys (sealed, one active per algorithm, retired rather than deleted so older JWTs keep verifying). A
 * credential issued while VC-JWTs are off has no JWT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table institution
      add column vc_jwt_algorithm text not null default 'EdDSA'
        check (vc_jwt_algorithm in ('off', 'EdDSA', 'ES256', 'RS256'));

    create table jwt_signing_keys (
      id uuid primary key,
      algorithm text not null check (algorithm in ('ES256', 'RS256')),
      key_id text not null unique,
      public_jwk jsonb not null,
      private_key_sealed text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );
    create unique index jwt_signing_keys_one_active on jwt_signing_keys (algorithm) where retired_at is null;

    alter table credentials alter column jwt drop not null;
  `.execute(db);
}
