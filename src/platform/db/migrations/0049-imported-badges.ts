import { type Kysely, sql } from 'kysely';

/**
 * Badges a learner brings from other issuers (issue 19, point 4). The presented bytes are kept as given (a baked
 * image, the JSON, a VC-JWT, or the address of a hosted assertion), so the badge can be checked again and
 * downloaded as it came; the title, issuer and checks are what the verifier found when it was last checked.
 * `fingerprint` (the credential's own id, or the SHA-256 of its content when it has none) keeps one learner from
 * importing the same badge twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table imported_badges (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      fingerprint text not null,
      format text not null,
      source text not null,
      content bytea not null,
      title text not null,
      claimed_issuer_name text,
      signer text,
      trust_level text not null,
      trust_message text not null,
      issued_on text,
      recipient_confirmed boolean not null,
      checks jsonb not null,
      checked_at timestamptz not null,
      created_at timestamptz not null default now(),
      constraint imported_badges_once unique (user_id, fingerprint)
    );
    create index imported_badges_user_idx on imported_badges (user_id, created_at);
  `.execute(db);
}
