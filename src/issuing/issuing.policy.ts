/**
 * Who may do what with the offices' issuing work. A tracking list is issued on the word of two people: the one
 * who uploaded it does not also commit it (separation of duties), and only the office the list belongs to (an
 * administrator acts for both) commits it at all. Pure, so the page's buttons and the service ask the same thing.
 */
import type { Actor } from '../platform/actor.ts';
import type { Office } from './issuing.tables.ts';
import { officeLabels, officesOf } from './offices.ts';

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
