import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Tx } from '../platform/db/database.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { AccountEmailVerified, AccountsEvents } from './accounts.events.ts';
import type { AccountsRepository } from './accounts.repository.ts';

/**
 * Records, inside the caller's transaction, that the account's owner opened a link mailed to its address, and
 * tells the modules that wait for a proven address (the learners module links the matching learner record). Does
 * nothing when the address was proven before, so opening a second link never links twice.
 */
export async function recordEmailProven(
  trx: Tx,
  deps: { repository: AccountsRepository; audit: AuditService; events: EventPublisher<AccountsEvents> },
  actor: Actor,
  at: Date,
  proof: Pick<AccountEmailVerified, 'how' | 'ip'>,
): Promise<boolean> {
  if (!(await deps.repository.markEmailVerified(trx, actor.id, at))) return false;
  await deps.audit.record(trx, actor, {
    action: 'account.email_verified',
    entityType: 'user',
    entityId: actor.id,
    after: { email: actor.email, how: proof.how },
    ip: proof.ip,
  });
  await deps.events.publish(trx, 'account.email_verified', {
    userId: actor.id,
    email: actor.email,
    ...proof,
  });
  return true;
}
