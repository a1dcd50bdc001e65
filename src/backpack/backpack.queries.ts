import { sql } from 'kysely';
import { credentialStatuses } from '../credentials/credentials.queries.ts';
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

/**
 * Whether each credential counts as shared (its learner accepted it and its page is public), by the rule of
 * badge-sharing.ts written in SQL; to join by `credential_id`. Every credential has a row, with or without a backpack
 * item.
 */
export function badgeSharing(db: Db) {
  return db
    .selectFrom(credentialStatuses(db).as('c'))
    .leftJoin('backpack_items as b', 'b.credential_id', 'c.id')
    .select([
      'c.id as credential_id',
      sql<boolean>`c.is_public and coalesce(b.acceptance, 'accepted') = 'accepted'`.as('is_shared'),
    ]);
}
