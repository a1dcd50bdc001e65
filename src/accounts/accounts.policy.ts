/**
 * Who may manage people's accounts. Roles are the keys to every other module, so only administrators invite
 * people, change roles and deactivate accounts. Nobody changes their own roles or deactivates themselves (no one
 * decides on their own account), and the last active administrator is never demoted or deactivated, so the
 * institution is not locked out of its own settings by a slip. Pure, so the routes' gate, the page's flags and
 * the service ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with other people's accounts. */
export type AccountsAction =
  | 'list_users'
  | 'invite_user'
  | 'change_roles'
  | 'deactivate_user'
  | 'reactivate_user'
  | 'resend_invitation';

/** The roles that may take each action: also the routes' coarse gate. */
export const accountsRoles: Readonly<Record<AccountsAction, readonly Role[]>> = {
  list_users: ['admin'],
  invite_user: ['admin'],
  change_roles: ['admin'],
  deactivate_user: ['admin'],
  reactivate_user: ['admin'],
  resend_invitation: ['admin'],
};

/** May this person take this action? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: AccountsAction): boolean =>
  hasRole(actor, ...accountsRoles[action]);

/** What a person without the administrator role is told. */
export const ACCOUNTS_REFUSAL = 'Only administrators manage accounts and roles.';

/** What an administrator is told when the account is their own. */
export const OWN_ACCOUNT_REFUSAL =
  'You cannot change your own roles or deactivate yourself; ask another administrator.';

/** What is said when a change would leave no active administrator. */
export const LAST_ADMIN_REFUSAL =
  'This is the last active administrator. Make someone else an administrator first.';

/** Whether the account being changed is the actor's own. */
export const isOwnAccount = (actor: Pick<Actor, 'id'>, userId: string): boolean => userId === actor.id;

/** A change to one account that may take an administrator away. */
export type AccountChange = { kind: 'roles'; roles: readonly Role[] } | { kind: 'deactivate' };

/**
 * Whether this change would leave the institution with no active administrator: the account is an active
 * administrator, it is the only one, and the change takes the role away or deactivates it.
 */
export function leavesNoAdministrator(
  target: { status: 'active' | 'invited' | 'disabled'; roles: readonly Role[] },
  change: AccountChange,
  activeAdministrators: number,
): boolean {
  const isActiveAdmin = target.status === 'active' && target.roles.includes('admin');
  if (!isActiveAdmin || activeAdministrators > 1) return false;
  return change.kind === 'deactivate' || !change.roles.includes('admin');
}
