/**
 * Who may read the audit log. It names every person who acted and what they changed, including other staff's
 * mistakes and learners' records, so only administrators read it; everyone writes to it through the services.
 * Pure, so the route's gate and anything that links to the log ask the same thing.
 */
import { type Actor, hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the audit log. */
export type AuditAction = 'read_log';

/** The roles that may take each action: also the route's coarse gate. */
export const auditRoles: Readonly<Record<AuditAction, readonly Role[]>> = {
  read_log: ['admin'],
};

/** May this person take this action? */
export const mayDo = (actor: Pick<Actor, 'roles'> | null, action: AuditAction): boolean =>
  hasRole(actor, ...auditRoles[action]);
