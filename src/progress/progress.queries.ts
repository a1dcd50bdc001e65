import type { Db } from '../platform/db/database.ts';

// Query pieces the progress module publishes for other modules' SQL (see platform/db/table-owners.ts).

/** Badge requests and their state, to join by `learner_id` and `program_id`. */
export function badgeRequestRows(db: Db) {
  return db
    .selectFrom('badge_requests')
    .select(['id', 'learner_id', 'program_id', 'status', 'credential_id', 'requested_at']);
}
