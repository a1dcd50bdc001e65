import type { AuditActor } from '../audit/audit.service.ts';
import { hasRole } from '../platform/actor.ts';
import type { Role } from '../platform/roles.ts';

/** What someone may do with the integrations' API clients. */
export type IntegrationsAction = 'view_api_clients' | 'manage_api_clients';

/** The roles that may take each action: also the routes' coarse gate. */
export const integrationsRoles: Readonly<Record<IntegrationsAction, readonly Role[]>> = {
  view_api_clients: ['admin'],
  manage_api_clients: ['admin'],
};

/**
 * Who may see and manage API clients. A client's scopes reach the registrar's records and the issuer's key, so
 * only administrators create, rotate and revoke them. System actors do not: a client is made by a person, who
 * is named in the audit log and takes the secret away. An integration never manages clients, itself included.
 */
export function mayDo(actor: AuditActor | null, action: IntegrationsAction): boolean {
  if (actor === null || 'system' in actor) return false;
  return hasRole(actor, ...integrationsRoles[action]);
}
