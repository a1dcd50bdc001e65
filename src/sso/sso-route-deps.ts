import type { FastifyRequest } from 'fastify';
import type { PageContext } from '../platform/http/page-context.ts';
import type { SsoService } from './sso.service.ts';
import type { SsoProvidersService } from './sso-providers.service.ts';

/** What the sign-in routes and the administrators' screens for them are given by the app. */
export interface SsoRouteDeps {
  sso: SsoService;
  providers: SsoProvidersService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
}
