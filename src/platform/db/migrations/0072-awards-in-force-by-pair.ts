import { type Kysely, sql } from 'kysely';

/**
 * The awards-in-force index keyed by program and learner, not program alone. The lead's counts read it by program
 * as before; and a lookup of a learner's standing award in a program (issuing's `awardsFor`), when the planner
 * takes this index rather than `issued_awards_once` (it does while the table has no statistics yet, early in a
 * large list), probes one entry instead of reading every award of the program.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index issued_awards_in_force_idx`.execute(db);
  await sql`create index issued_awards_in_force_idx on issued_awards (program_id, learner_id) where revoked_at is null`.execute(
    db,
  );
}
