import { type Kysely, sql } from 'kysely';

/**
 * Indexes the dashboards need at a real university's volume (issue 21, point 6: 200,000 learners, 500 programs;
 * found with EXPLAIN on bench/dashboards.bench.ts's data). Without them a lead's home counted each program's
 * learners and badges by reading every enrolment and award (4.5 s for a lead of 45 programs), and the overview
 * read every enrolment and award to count the last twelve months.
 *   - A program's enrolments, by status: the lead's home and the insight page count them, and progress reads them.
 *   - A program's awards: the lead's home, the insight page and the reviews.
 *   - Enrolments and awards by day, carrying what the overview groups and joins by, so a period's counts read only
 *     that period's part of the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index enrolments_program_idx on enrolments (program_id, status);
    create index enrolments_enrolled_on_idx on enrolments (enrolled_on) include (program_id, path);
    create index issued_awards_program_idx on issued_awards (program_id);
    create index issued_awards_issued_at_idx on issued_awards (issued_at) include (program_id, credential_id);
  `.execute(db);
}
