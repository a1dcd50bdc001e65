/**
 * Who may do what in the backpack beyond their own badges. Every signed-in person keeps their own backpack (the
 * services look badges up by the person, so no one reaches another's); the claim e-mail's wording speaks for the
 * institution to every recipient, so only the credentials office, which sends the badges, and administrators
 * edit it. Pure, so the routes' gate and the service ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the institution's backpack settings. */
export type BackpackAction = 'edit_claim_template';

/** The roles that may take each action: also the routes' coarse gate. */
export const backpackRoles: Readonly<Record<BackpackAction, readonly Role[]>> = {
  edit_claim_template: ['credentials_office', 'admin'],
};

/** May this person take this action? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: BackpackAction): boolean =>
  hasRole(actor, ...backpackRoles[action]);

/** What a person without an editing role is told. */
export const TEMPLATE_REFUSAL = 'Only the credentials office and administrators change the claim e-mail.';
