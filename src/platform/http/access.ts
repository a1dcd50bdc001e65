import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../actor.ts';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/**
 * Who may call a route. Every route must say; a route that does not is refused (deny by default).
 * - 'public': anyone, signed in or not
 * - 'signed-in': any signed-in person
 * - a list of roles: signed-in people holding at least one of them
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
}

/** The policy, in one place: may this actor use a route with this access rule? */
export function isAllowed(access: Access | undefined, actor: Actor | null): boolean {
  if (access === undefined) return false;
  if (access === 'public') return true;
  if (actor === null) return false;
  if (access === 'signed-in') return true;
  return access.some((role) => actor.roles.includes(role));
}

/** Throws the right error when the current request may not proceed. */
export function assertAllowed(request: FastifyRequest): void {
  const access = request.routeOptions.config.access;
  if (isAllowed(access, request.actor)) return;
  if (access === undefined) {
    throw new AppError('FORBIDDEN', 'This address has no access rule, so it is closed.');
  }
  if (request.actor === null) throw new AppError('UNAUTHENTICATED', 'Please sign in to continue.');
  throw new AppError('FORBIDDEN', 'Your account does not have a role that may use this page.');
}

/** Installs the access check on every route of the app. */
export function registerAccessControl(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (request) => {
    // Requests that matched no route fall through to the 404 handler, which needs no rule.
    if (request.is404) return;
    assertAllowed(request);
  });
}
