import { type Kysely, sql } from 'kysely';

/**
 * One `credentialStatus` per Open Badge (issue 16): OB 3.0 allows a credential a single status entry, so new badges
 * carry only their revocation entry and no longer take a suspension slot. Badges issued earlier keep theirs (their
 * signed copies point into the suspension lists), hence the columns stay and become optional, in pairs.
 * Suspending a badge becomes an institution setting, off unless an administrator turns it on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table credentials
      alter column suspension_list_id drop not null,
      alter column suspension_index drop not null,
      add constraint credentials_suspension_slot_paired
        check ((suspension_list_id is null) = (suspension_index is null));

    alter table institution
      add column allow_suspension boolean not null default false;
  `.execute(db);
}
