import { type Kysely, sql } from 'kysely';

/**
 * Program leads prepare tracking lists for their own programs (issue 17, point 14). A lead's list is a draft until
 * the lead submits it to the office; only then does the office see it and may commit it. `submitted_at` records
 * that moment: null for a lead's draft, and for an office's own upload the upload itself (so lists uploaded before
 * this migration are submitted, as they always were).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tracking_lists add column submitted_at timestamptz;
    update tracking_lists set submitted_at = uploaded_at;
    create index tracking_lists_drafts_idx on tracking_lists (uploaded_by) where submitted_at is null;
  `.execute(db);
}
