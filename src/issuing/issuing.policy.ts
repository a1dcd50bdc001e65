/**
 * Who may do what with the offices' issuing work. A tracking list is issued on the word of two people: the one
 * who uploaded it does not also commit it (separation of duties), and only the office the list belongs to (an
 * administrator acts for both) commits it at all. Pure, so the page's buttons and the service ask the same thing.
 */
import { mayDo as mayDoInBilling } from '../billing/billing.policy.ts';
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/db/schema.ts';
import type { Office } from './issuing.tables.ts';
import { officeLabels, officesOf } from './offices.ts';

/** What someone may do in the issuing module, before asking which office's work it is. */
export type IssuingAction = 'issue' | 'export_for_registrar';

/**
 * The roles that may take each action: also the routes' coarse gate. The two offices issue (an administrator
 * acts for both); only the registrar sends credit-bearing badges to the transcript, so only it (and
 * administrators) reads and makes the registrar's exports.
 */
export const issuingRoles: Readonly<Record<IssuingAction, readonly Role[]>> = {
  issue: ['credentials_office', 'registrar', 'admin'],
  export_for_registrar: ['registrar', 'admin'],
};

/** May this person take this action at all? Which office's work they see is `officesOf`'s answer. */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: IssuingAction): boolean =>
  hasRole(actor, ...issuingRoles[action]);

/**
 * Which links the issuing pages' navigation shows this person: the registrar's exports by this policy, the fee
 * ledger by billing's. The navigation shows what this says and decides nothing itself.
 */
export const issuingLinksFor = (actor: Pick<Actor, 'roles'> | null) => ({
  canExportForRegistrar: mayDo(actor, 'export_for_registrar'),
  canOpenFeeLedger: mayDoInBilling(actor, 'open_ledger'),
});

/** What a person outside the registrar's office is told when they try to export. */
export const EXPORT_REFUSAL = 'Only the registrar and administrators export credit-bearing badges.';

/** What the uploader is told, on the list's page and when a commit is refused. */
export const OWN_LIST_REFUSAL = 'You uploaded this list: another person must check and commit it.';

/** Why this person may not commit (issue) this list, or undefined when they may. */
export function commitRefusal(
  actor: Pick<Actor, 'id' | 'roles'>,
  list: { office: Office; uploadedBy: string | null },
): string | undefined {
  if (!officesOf(actor).includes(list.office)) {
    return `This list is committed by the ${officeLabels[list.office].toLowerCase()}.`;
  }
  if (list.uploadedBy !== null && list.uploadedBy === actor.id) return OWN_LIST_REFUSAL;
  return undefined;
}
