import { type Kysely, sql } from 'kysely';

/**
 * The stored progress (0056) was indexed by learner and by day besides its program index, but nothing reads it that
 * way: its rows are read by enrolment (the primary key) or by program, and the daily refresh finds stale rows by
 * joining every enrolment. Both indexes were never scanned in a whole run of the 200,000-learner bench (26 MB
 * between them), yet every refresh wrote them, and the day index made every refresh a new row version with new
 * index entries rather than an update in place. Dropping them cut refreshing the 10,000 learners of an import from
 * 450–480 to 400–410 ms of database CPU (docs/performance.md, progress store).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists enrolment_progress_learner_idx;
    drop index if exists enrolment_progress_as_of_idx;
  `.execute(db);
}
