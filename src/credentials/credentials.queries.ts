import type { Db } from '../platform/db/database.ts';

// Query pieces the credentials module publishes for other modules' SQL (see platform/db/table-owners.ts):
// subqueries to join by `id`. Statuses change only through the credentials service.

/** Every credential's status and public facts, to join by `id`. */
export function credentialStatuses(db: Db) {
  return db.selectFrom('credentials').select([
    'id',
    'program_id',
    'learner_id',
    'recipient_name',
    'issued_at',
    'valid_until',
    'status',
    'status_reason',
    'status_changed_at',
    'is_public',
    // Whether a VC-JWT copy was issued (the institution may issue JSON-LD only): pages link to it only then.
    (eb) => eb('jwt', 'is not', null).as('has_jwt'),
  ]);
}

/** The credentials shown publicly, with the facts a badge page or a verification report names. */
export function publicCredentials(db: Db) {
  return credentialStatuses(db).where('is_public', '=', true);
}
