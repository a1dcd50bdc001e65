/**
 * Who may configure single sign-on, and whose password still opens the site once staff must use it. Identity
 * providers decide who is whom on the site, so only administrators add, change, test or remove them and switch
 * staff passwords off. Pure, so the routes' gate, the page's flags and the sign-in check ask the same thing.
 */
import type { AuditActor } from '../audit/audit.service.ts';
import { hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the site's single sign-on. */
export type SsoAction = 'view_providers' | 'manage_providers' | 'test_sign_in';

/** The roles that may take each action: also the routes' coarse gate. */
export const ssoRoles: Readonly<Record<SsoAction, readonly Role[]>> = {
  view_providers: ['admin'],
  manage_providers: ['admin'],
  test_sign_in: ['admin'],
};

/** May this person take this action? System actors never configure sign-in: a person is named for each change. */
export function mayDo(actor: AuditActor | null, action: SsoAction): boolean {
  if (actor === null || 'system' in actor) return false;
  return hasRole(actor, ...ssoRoles[action]);
}

/** What a person without the administrator role is told. */
export const SSO_REFUSAL = 'Only administrators configure single sign-on.';

/** Anyone holding a role beyond `learner` is staff. */
export const isStaff = (roles: readonly Role[]): boolean => roles.some((role) => role !== 'learner');

/**
 * Whether this account's password is refused: staff passwords are switched off, the account is staff's, and it is
 * not the break-glass administrator (who keeps a local password for the day the identity provider is down).
 */
export function isPasswordSignInClosed(
  settings: { staffPasswordsOff: boolean; breakGlassUserId: string | null },
  user: { id: string; roles: readonly Role[] },
): boolean {
  return settings.staffPasswordsOff && isStaff(user.roles) && user.id !== settings.breakGlassUserId;
}

/** Who may be the break-glass administrator: an active administrator who has a local password to keep. */
export const mayBeBreakGlass = (user: {
  roles: readonly Role[];
  status: 'active' | 'invited' | 'disabled';
  passwordHash: string | null;
}): boolean => user.roles.includes('admin') && user.status === 'active' && user.passwordHash !== null;
