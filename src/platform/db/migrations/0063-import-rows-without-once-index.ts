import { type Kysely, sql } from 'kysely';

/**
 * `completion_import_rows_once` (one taken row per import, learner, course and term) is dropped. The statement that
 * writes an import's report rows already takes only the first line of each learner, course and term and rejects
 * the others as duplicates (`recordOutcomes`), and report rows are written by nothing else; the index only made
 * every report row dearer. Measured on a 1,000,000-row import (bench/learners-import.bench.ts): the report rows'
 * statement went from about 10 to 7 CPU seconds of the database's. `if exists`, so that it can run again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists completion_import_rows_once`.execute(db);
}
