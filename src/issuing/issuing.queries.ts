import type { Db } from '../platform/db/database.ts';

// Query pieces the issuing module publishes for other modules' SQL (see platform/db/table-owners.ts).

/** Every issued award: who, which program, how (credit or not, request or list) and when; join by `credential_id`. */
export function issuedAwardRows(db: Db) {
  return db
    .selectFrom('issued_awards')
    .select([
      'id',
      'learner_id',
      'program_id',
      'credential_id',
      'credit_mode',
      'source',
      'term',
      'completion_date',
      'issued_at',
    ]);
}

/**
 * The awards whose badge stands: not revoked. An award is marked revoked in its credential's revocation transaction
 * (the `credential.revoked` event), so this is the awards whose credential's status is not 'revoked', read without
 * the credentials (through a partial index, migration 0070).
 */
export function awardsInForce(db: Db) {
  return issuedAwardRows(db).where('revoked_at', 'is', null);
}
