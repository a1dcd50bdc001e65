import type { AuditActor } from '../audit/audit.service.ts';
import { hasRole } from '../platform/actor.ts';

/** What someone may do in the verification module besides verifying, which is open to everyone. */
export type VerificationAction = 'view_trusted_issuers' | 'change_trusted_issuers';

/**
 * Who may do what. Trusting an issuer makes every badge it signs show as verified here, so only administrators
 * (and the command line, run by whoever operates the server) may see or change the list.
 */
export function mayDo(actor: AuditActor | null, _action: VerificationAction): boolean {
  if (actor === null) return false;
  if ('system' in actor) return true;
  return hasRole(actor, 'admin');
}
