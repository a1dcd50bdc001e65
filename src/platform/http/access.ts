import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, ApiCaller } from '../actor.ts';
import type { ApiScope } from '../api-scopes.ts';
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';

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
    /**
     * The scope an OAuth access token needs to call this route. Without it a token opens only public routes:
     * integrations reach nothing a route did not offer them by name.
     */
    scope?: ApiScope;
    /**
     * The route reads its own `Authorization: Bearer` token (a wallet's OID4VCI access token), so the
     * integrations' token check leaves the request alone and the route answers for the token itself.
     */
    ownAccessToken?: true;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    /** The integration whose access token came with the request; a request has this or a session, never both. */
    apiCaller: ApiCaller | null;
  }
}

/** The policy, in one place: may this person or integration use a route with this access rule and scope? */
export function isAllowed(
  access: Access | undefined,
  actor: Actor | null,
  caller: ApiCaller | null = null,
  scope?: ApiScope,
): boolean {
  if (access === undefined) return false;
  if (access === 'public') return true;
  if (caller !== null) return scope !== undefined && caller.scopes.includes(scope);
  if (actor === null) return false;
  if (access === 'signed-in') return true;
  return access.some((role) => actor.roles.includes(role));
}

const REALM = 'realm="Stackable"';

/** Throws the right error when the current request may not proceed, with the challenge RFC 6750 asks for. */
export function assertAllowed(request: FastifyRequest, reply: FastifyReply): void {
  const { access, scope } = request.routeOptions.config;
  if (isAllowed(access, request.actor, request.apiCaller, scope)) return;
  if (access === undefined) {
    throw new AppError('FORBIDDEN', 'This address has no access rule, so it is closed.');
  }
  if (request.apiCaller !== null) {
    const wanted = scope ? `, scope="${scope}"` : '';
    reply.header('www-authenticate', `Bearer ${REALM}, error="insufficient_scope"${wanted}`);
    throw new AppError(
      'FORBIDDEN',
      scope
        ? `This access token lacks the scope ${scope}. Ask an administrator to grant it to the client.`
        : 'This address does not accept access tokens.',
    );
  }
  if (request.actor === null) {
    // Only where a token would do: a challenge on a page would invite integrations to pages they cannot use.
    if (scope) reply.header('www-authenticate', `Bearer ${REALM}, scope="${scope}"`);
    throw new AppError('UNAUTHENTICATED', 'Please sign in to continue.');
  }
  throw new AppError('FORBIDDEN', 'Your account does not have a role that may use this page.');
}

/**
 * The access token in an `Authorization: Bearer` header (RFC 6750 §2.1): undefined when the request uses no
 * bearer token, '' when it names the scheme but sends no well-formed token.
 */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  const token = match[1] ?? '';
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token) ? token : '';
}

/**
 * Reads the request's bearer token, if any, and names its client on the request. A token that is not valid
 * (unknown, expired, its client revoked) is refused here, before any route sees it; it never falls back to the
 * session cookie, so a request is one party or the other.
 */
export async function authenticateBearer(
  request: FastifyRequest,
  reply: FastifyReply,
  resolve: (token: string) => Promise<ApiCaller | null>,
): Promise<boolean> {
  const token = bearerTokenOf(request);
  if (token === undefined) return false;
  const caller = token === '' ? null : await resolve(token);
  if (caller === null) {
    reply.header('www-authenticate', `Bearer ${REALM}, error="invalid_token"`);
    throw new AppError(
      'UNAUTHENTICATED',
      'The access token is not valid: it may have expired or its client may have been revoked. Ask /oauth/token for a new one.',
    );
  }
  request.apiCaller = caller;
  return true;
}

/**
 * Who a route acts for when it accepts both sessions and access tokens: the signed-in person, or the integration
 * as a system actor named after its client. Services already take system actors (jobs, the command line) as
 * parties whose caller has decided they may act; here that caller is the route's scope check.
 */
export function actingParty(request: FastifyRequest): Actor | { system: string } {
  if (request.actor) return request.actor;
  const caller = request.apiCaller;
  if (caller) return { system: `API client "${caller.name}" (${caller.clientId})` };
  throw new AppError('UNAUTHENTICATED', 'Please sign in to continue.');
}

/** Installs the access check on every route of the app. */
export function registerAccessControl(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('apiCaller', null);
  app.addHook('onRequest', async (request, reply) => {
    // Requests that matched no route fall through to the 404 handler, which needs no rule.
    if (request.is404) return;
    assertAllowed(request, reply);
  });
}
