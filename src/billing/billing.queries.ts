import type { Db } from '../platform/db/database.ts';

// Query pieces the billing module publishes for other modules' SQL (see platform/db/table-owners.ts).

/** The fee charged for each credential, to join by `credential_id`. */
export function feeChargeRows(db: Db) {
  return db.selectFrom('fee_charges').select(['id', 'credential_id', 'status', 'amount_cents']);
}
