import type { Db } from '../platform/db/database.ts';

// Query pieces the credentials module publishes for other modules' SQL: subqueries to join by `id`.

/** The credentials shown publicly, with the facts a badge page or a verification report names. */
export function publicCredentials(db: Db) {
  return db
    .selectFrom('credentials')
    .select(['id', 'recipient_name', 'status', 'program_id'])
    .where('is_public', '=', true);
}
