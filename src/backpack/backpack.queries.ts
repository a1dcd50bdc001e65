import type { Db } from '../platform/db/database.ts';

// Query pieces the backpack module publishes for other modules' SQL (see platform/db/table-owners.ts).

/**
 * Where each badge's claim mail went, whether (and by whom) it was claimed, and whether its learner accepted,
 * declined or has not answered yet; to join by `credential_id`.
 */
export function backpackClaims(db: Db) {
  return db
    .selectFrom('backpack_items')
    .select([
      'credential_id',
      'learner_email',
      'claimed_at',
      'claimed_by_user_id',
      'revocation_category',
      'acceptance',
    ]);
}
