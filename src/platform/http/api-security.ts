import type { RouteOptions } from 'fastify';
import { apiScopes } from '../api-scopes.ts';

/** The ways a caller proves who it is, as the OpenAPI document names them. */
export function securitySchemes(publicUrl: string, sessionCookie: string) {
  return {
    oauth2: {
      type: 'oauth2' as const,
      description:
        'For integrations: an administrator creates the client at /admin/api-clients. Access tokens last an ' +
        'hour and are sent as `Authorization: Bearer …`; each route says which scope it needs.',
      flows: {
        clientCredentials: { tokenUrl: new URL('/oauth/token', publicUrl).href, scopes: { ...apiScopes } },
      },
    },
    session: {
      type: 'apiKey' as const,
      in: 'cookie' as const,
      name: sessionCookie,
      description:
        "A signed-in staff member's session, as a browser holds it. State-changing calls with it also send the " +
        "page's CSRF token in `x-csrf-token` and must come from this site.",
    },
    clientSecretBasic: {
      type: 'http' as const,
      scheme: 'basic',
      description:
        'Only for /oauth/token: the client id and secret as HTTP Basic credentials (client_secret_basic). ' +
        'Sending client_id and client_secret in the form body (client_secret_post) works too.',
    },
  };
}

/**
 * Fills in each documented route's `security` from its access rule, so the document cannot disagree with what
 * the server enforces: public routes need nothing, others a session, and routes with a scope take a token too.
 * A route that states its own (the token endpoint) keeps it.
 */
export function markSecurity(route: RouteOptions): void {
  const schema = route.schema as
    | (Record<string, unknown> & { hide?: boolean; security?: unknown })
    | undefined;
  if (!schema || schema.hide || schema.security !== undefined) return;
  const { access, scope } = route.config ?? {};
  if (access === undefined) return;
  const byToken = scope ? [{ oauth2: [scope] }] : [];
  schema.security = access === 'public' ? [] : [{ session: [] }, ...byToken];
}
