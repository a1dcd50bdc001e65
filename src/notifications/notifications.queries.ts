import type { Db } from '../platform/db/database.ts';

// Query pieces the notifications module publishes for other modules' SQL (see platform/db/table-owners.ts):
// the outbox's state, never its messages (those hold one-time links).

/** Each queued mail's delivery state. */
export function mailDeliveries(db: Db) {
  return db.selectFrom('mail_outbox').select(['id', 'kind', 'status', 'attempts', 'created_at', 'sent_at']);
}
