import { readFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import type { Actor, ApiCaller } from '../actor.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { countOf } from '../words.ts';
import { authenticateBearer, registerAccessControl } from './access.ts';
import { markSecurity, securitySchemes } from './api-security.ts';
import { registerCaching } from './caching.ts';
import { registerCsrf } from './csrf.ts';
import { registerErrorHandling } from './error-handler.ts';
import { refuseNulCharacters } from './input-guards.ts';
import type { PageContext, StaffNavItem } from './page-context.ts';
import { PublicPageCache } from './public-page-cache.ts';
import { sharedSchemaCompilers } from './schema-compilers.ts';
import { ourSecurityHeaders, registerSecurityHeaders } from './security-headers.ts';

export const SESSION_COOKIE = 'stackable_session';

export type HttpServer = Awaited<ReturnType<typeof buildHttpServer>>['app'];

export interface ServerHooks {
  resolveSession(token: string): Promise<Actor | null>;
  /** The integration an OAuth access token belongs to, while it is valid. Without it, no token is accepted. */
  resolveAccessToken?(token: string): Promise<ApiCaller | null>;
  /** The institution as the header shows it (the institution module's answer, cached there). */
  institutionNames(): Promise<{
    name: string;
    shortName: string;
    brandColour: string;
    logoPath: string | null;
    isSetUp: boolean;
    timeZone: string;
    currency: string;
  }>;
  /**
   * Whether this person is the one to finish an institution that is not set up yet (the institution module's rule).
   * Without it, nobody is told in the header.
   */
  maySetUpInstitution?(actor: Actor): boolean;
  /**
   * Whether the header links this person to the administration pages: the accounts module's rule, not the
   * layout's. Without it, nobody gets the link.
   */
  mayAdminister?(actor: Actor): boolean;
  /** The staff navigation this person gets (home's rule, from the modules' policies). Without it, none. */
  staffNav?(actor: Actor): readonly StaffNavItem[];
  /**
   * A number that moves whenever this process writes to the database. Given, public pages rendered for
   * anonymous visitors are kept and served again until it moves (see public-page-cache.ts).
   */
  dataGeneration?(): number;
}

const stylesheet = readFileSync(new URL('./site.css', import.meta.url), 'utf8');

const ajvOptions = { allErrors: true, coerceTypes: 'array', removeAdditional: false } as const;
// One set of validators and serializers for every app this process builds (each test file builds several; see
// schema-compilers.ts).
const schemaCompilers = sharedSchemaCompilers();

/** Builds the Fastify instance with the shared plumbing; modules add their routes afterwards. */
export async function buildHttpServer(config: Config, logger: Logger, hooks: ServerHooks) {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 2 * 1024 * 1024,
    // X-Forwarded-For is believed only from the proxies the operator named; anyone else could write any address
    // there and so dodge rate limits and forge the audit log.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    ajv: { customOptions: ajvOptions },
    schemaController: { compilersFactory: schemaCompilers },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const secureCookies = config.publicUrl.startsWith('https://');

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  registerSecurityHeaders(app, ourSecurityHeaders(secureCookies));
  await app.register(fastifyRateLimit, {
    global: false,
    // The true wait, from the counter's own window: "a minute" was wrong for a 15-minute window.
    errorResponseBuilder: (_request, context) => {
      const minutes = Math.max(1, Math.ceil(context.ttl / 60_000));
      return new AppError(
        'RATE_LIMITED',
        `Too many attempts in a short time. Try again in ${countOf(minutes, 'minute')}.`,
      );
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Stackable API',
        description: 'Micro-credential programs, learners and Open Badges 3.0 credentials.',
        version: '0.1.0',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: securitySchemes(config.publicUrl, SESSION_COOKIE) },
    },
  });
  // Before any module adds a route: each documented route says which credentials it takes.
  app.addHook('onRoute', markSecurity);

  const pageContext = async (request: FastifyRequest): Promise<PageContext> => {
    const names = await hooks.institutionNames();
    return {
      actor: request.actor ?? null,
      // A getter, so only pages that render a form issue the token (and its cookie).
      get csrfToken() {
        return request.csrfToken();
      },
      path: request.url.split('?')[0] ?? '/',
      institutionName: names.name,
      institutionShortName: names.shortName,
      brandColour: names.brandColour,
      institutionLogoPath: names.logoPath,
      timeZone: names.timeZone,
      currency: names.currency,
      showSetUpNotice:
        !names.isSetUp && request.actor ? (hooks.maySetUpInstitution?.(request.actor) ?? false) : false,
      isDevelopment: config.env !== 'production',
      showAdminLink: request.actor ? (hooks.mayAdminister?.(request.actor) ?? false) : false,
      staffNav: request.actor ? (hooks.staffNav?.(request.actor) ?? []) : [],
    };
  };

  registerCsrf(app, { secret: config.secret, secureCookies, publicUrl: config.publicUrl });
  app.addHook('onRequest', async (request, reply) => {
    const resolveAccessToken = hooks.resolveAccessToken ?? (async () => null);
    // A request with an access token is the integration's alone; a session cookie beside it is not read.
    const isOwnToken = request.routeOptions.config?.ownAccessToken === true;
    if (!isOwnToken && (await authenticateBearer(request, reply, resolveAccessToken))) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token || request.url.startsWith('/assets/')) return;
    request.sessionToken = token;
    request.actor = await hooks.resolveSession(token);
  });
  // After the session hook: access is decided before the body is even read.
  registerAccessControl(app);
  registerErrorHandling(app, logger, pageContext);
  refuseNulCharacters(app);
  registerCaching(
    app,
    hooks.dataGeneration ? new PublicPageCache({ generation: hooks.dataGeneration }) : undefined,
  );

  // The docs routes come from a plugin; they are public by design. It is registered after the plumbing above so
  // its scope inherits the request decorations and the error handler: a missing file is then our plain 404,
  // not a crash while drawing the error page.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: 'public' };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  app.get(
    '/assets/site.css',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  return { app, pageContext, secureCookies };
}
