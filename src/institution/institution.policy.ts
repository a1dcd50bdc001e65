/**
 * Who may see and change the institution's profile and its signing keys. The profile names the issuer inside every
 * new badge and the keys sign them, so both are administrators' alone (the command line, run by whoever operates
 * the server, rotates keys too). Pure, so the routes' gate, the service and the pages ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the institution's settings. */
export type InstitutionAction = 'view_profile' | 'edit_profile' | 'manage_signing_keys';

/** The roles that may take each action: also the routes' coarse gate. */
export const institutionRoles: Readonly<Record<InstitutionAction, readonly Role[]>> = {
  view_profile: ['admin'],
  edit_profile: ['admin'],
  manage_signing_keys: ['admin'],
};

/** May this actor take this action? */
export function mayDo(
  actor: Pick<Actor, 'roles'> | { system: string } | null,
  action: InstitutionAction,
): boolean {
  if (actor === null) return false;
  if ('system' in actor) return true;
  return hasRole(actor, ...institutionRoles[action]);
}
