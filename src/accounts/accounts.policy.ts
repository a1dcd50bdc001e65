/**
 * Who may manage people's accounts. Roles are the keys to every other module, so only administrators invite
 * people and change roles, and an administrator never removes their own administrator role, so the institution
 * is not locked out of its own settings by a slip. Pure, so the routes' gate and the service ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/db/schema.ts';

/** What someone may do with other people's accounts. */
export type AccountsAction = 'list_users' | 'invite_user' | 'change_roles';

/** The roles that may take each action: also the routes' coarse gate. */
export const accountsRoles: Readonly<Record<AccountsAction, readonly Role[]>> = {
  list_users: ['admin'],
  invite_user: ['admin'],
  change_roles: ['admin'],
};

/** May this person take this action? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: AccountsAction): boolean =>
  hasRole(actor, ...accountsRoles[action]);

/** What a person without the administrator role is told. */
export const ACCOUNTS_REFUSAL = 'Only administrators manage accounts and roles.';

/** Whether this change of roles would take the administrator role from the person making it (a lock-out). */
export const removesOwnAdmin = (actor: Pick<Actor, 'id'>, userId: string, roles: readonly Role[]): boolean =>
  userId === actor.id && !roles.includes('admin');
