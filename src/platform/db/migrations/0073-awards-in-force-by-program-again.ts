import { type Kysely, sql } from 'kysely';

/**
 * The awards-in-force index keyed by program alone again, as 0070 made it. 0072 added the learner to its key so that a
 * per-pair lookup of standing awards probing it by program would find one entry; that lookup now goes by learner
 * (issuing's `awardsFor`), and the wider key only cost: keyed by program alone, PostgreSQL stores a program's entries
 * deduplicated, 91 pages against 598 for 100,000 awards in 225 programs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index issued_awards_in_force_idx`.execute(db);
  await sql`create index issued_awards_in_force_idx on issued_awards (program_id) where revoked_at is null`.execute(
    db,
  );
}
