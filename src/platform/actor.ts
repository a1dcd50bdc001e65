/**
 * The person a service acts for. It lives here rather than beside the HTTP layer because services, policies and
 * the command line all take it, and none of them should depend on how a request is read.
 */
import type { ApiScope } from './api-scopes.ts';
import type { Role } from './roles.ts';

/** The signed-in person, as every service, policy, route and view sees them. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
}

/**
 * An integration calling with an OAuth access token: not a person, and never holding a role. Routes that accept
 * tokens hand services a system actor named after it (see `actingParty` in http/access.ts), so audit rows say
 * which client did what.
 */
export interface ApiCaller {
  /** The public client identifier, as the client sends it to the token endpoint. */
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

/** Whether this person (if anyone is signed in) holds at least one of these roles. */
export const hasRole = (actor: Pick<Actor, 'roles'> | null, ...roles: Role[]): boolean =>
  actor !== null && roles.some((role) => actor.roles.includes(role));

/**
 * Whether a learner record is this person's own: linked to their account, or carrying their address (a record not
 * linked yet counts too). Separation of duties asks it wherever staff decide on a learner's record (requests,
 * student IDs, fees, badges), so it is one rule; a side it does not know (no id, no address) never matches.
 */
export function isOwnLearnerRecord(
  actor: { readonly id?: string; readonly email?: string },
  record: { userId: string | null; email?: string | null },
): boolean {
  if (actor.id !== undefined && record.userId !== null && record.userId === actor.id) return true;
  return (
    actor.email !== undefined &&
    typeof record.email === 'string' &&
    record.email.trim().toLowerCase() === actor.email.trim().toLowerCase()
  );
}
