import type { AuditActor } from '../audit/audit.service.ts';
import { hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do in the verification module besides verifying, which is open to everyone. */
export type VerificationAction = 'view_trusted_issuers' | 'change_trusted_issuers';

/** The roles that may take each action: also the routes' coarse gate (the command line is not a route). */
export const verificationRoles: Readonly<Record<VerificationAction, readonly Role[]>> = {
  view_trusted_issuers: ['admin'],
  change_trusted_issuers: ['admin'],
};

/**
 * Who may do what. Trusting an issuer makes every badge it signs show as verified here, so only administrators
 * (and the command line, run by whoever operates the server) may see or change the list.
 */
export function mayDo(actor: AuditActor | null, action: VerificationAction): boolean {
  if (actor === null) return false;
  if ('system' in actor) return true;
  return hasRole(actor, ...verificationRoles[action]);
}
