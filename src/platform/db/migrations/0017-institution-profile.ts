import { type Kysely, sql } from 'kysely';

/**
 * The institution's profile as an administrator keeps it (issue 14): its time zone, fee currency and policy, the
 * answers the program pages give about transcripts and financial aid, and its logo. Logos are kept by the hash of
 * their bytes and never deleted, so a badge issued under an earlier logo still points at an image that exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table institution_logos (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      content_type text not null check (content_type in ('image/png', 'image/svg+xml')),
      content bytea not null check (octet_length(content) between 1 and 262144),
      created_at timestamptz not null default now()
    );

    alter table institution
      add column time_zone text not null default '',
      add column currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
      add column fee_policy text not null default '',
      add column transcript_answer text not null default '',
      add column financial_aid_answer text not null default '',
      add column logo_sha256 text references institution_logos (sha256);
  `.execute(db);
}
