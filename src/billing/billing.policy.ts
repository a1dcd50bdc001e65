/**
 * Who may do what with fees. The bursar keeps the ledger and sends it to the student accounts; the credentials
 * office also waives fees, since it decides scholarships and agreements, and reads a charge from its issuing
 * pages; an administrator reads the ledger but does not waive money. Pure, so the routes' gate, the service and
 * the page's links and forms all ask the same thing.
 */
import { type Actor, hasRole, isOwnLearnerRecord } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';
import type { FeeChargeStatus } from './billing.tables.ts';

/** What someone may do in the billing module. */
export type BillingAction = 'open_ledger' | 'open_charge' | 'waive' | 'export' | 'see_own_fees';

/** The roles that may take each action: also the routes' coarse gate, so the two cannot drift apart. */
export const billingRoles: Readonly<Record<BillingAction, readonly Role[]>> = {
  open_ledger: ['bursar', 'admin'],
  open_charge: ['bursar', 'credentials_office', 'admin'],
  waive: ['bursar', 'credentials_office'],
  export: ['bursar', 'admin'],
  // A learner's own account page: it takes no learner from the request, so it can only ever show the caller's.
  see_own_fees: ['learner'],
};

/** May this person take this action at all (whatever the charge's state)? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: BillingAction): boolean =>
  hasRole(actor, ...billingRoles[action]);

/** What a person without a waiving role is told. */
export const WAIVE_REFUSAL = 'Only the bursar and the credentials office may waive fees.';

/** What a member of staff is told about a fee charged to themselves. */
export const OWN_FEE_REFUSAL = 'This fee is charged to you: another person must decide whether to waive it.';

/**
 * Separation of duties: staff are learners too, and nobody waives money they owe themselves. The charged learner's
 * record is theirs when it is linked to their account (`learnerUserId`) or carries their address.
 */
export const isOwnCharge = (
  actor: Pick<Actor, 'id' | 'email'> | null,
  charge: { learnerUserId: string | null; learnerEmail: string },
): boolean =>
  actor !== null && isOwnLearnerRecord(actor, { userId: charge.learnerUserId, email: charge.learnerEmail });

/** May this person waive this charge now: their role allows it, the fee is still posted and it is not theirs. */
export const canWaiveCharge = (
  actor: Pick<Actor, 'id' | 'email' | 'roles'> | null,
  charge: { status: FeeChargeStatus; learnerUserId: string | null; learnerEmail: string },
): boolean => mayDo(actor, 'waive') && charge.status === 'posted' && !isOwnCharge(actor, charge);
