import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { SESSION_IDLE_MS } from '../accounts/accounts.service.ts';
import { isSafeNext, safeNext } from '../accounts/safe-next.ts';
import { AppError, refused } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import type { ProviderInput } from './provider-input.ts';
import { ssoRoles } from './sso.policy.ts';
import type { SsoService } from './sso.service.ts';
import {
  type FailedProviderForm,
  SsoFailurePage,
  SsoProviderPage,
  SsoSettingsPage,
  SsoTestResultPage,
} from './sso.views.tsx';
import { SsoFailure } from './sso-failures.ts';
import type { SsoProvidersService } from './sso-providers.service.ts';

/** The cookie that binds a provider's answer to the browser that started the sign-in. */
export const ATTEMPT_COOKIE = 'stackable_sso';

interface Deps {
  sso: SsoService;
  providers: SsoProvidersService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
  secureCookies: boolean;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** The provider form's fields as posted; the checkbox is absent when unticked. */
const ProviderForm = Type.Object({
  slug: Type.String({ maxLength: 100 }),
  buttonLabel: Type.String({ maxLength: 200 }),
  protocol: Type.String({ maxLength: 10 }),
  discoveryUrl: Text(2000),
  clientId: Text(600),
  clientSecret: Text(2100),
  studentIdClaim: Text(300),
  groupsClaim: Text(300),
  roleMap: Text(5000),
  emailDomains: Text(2000),
  isEnabled: Text(10),
  ...Csrf,
});
type ProviderFormBody = Static<typeof ProviderForm>;

const inputOf = ({ _csrf, isEnabled, ...rest }: ProviderFormBody): ProviderInput => ({
  ...rest,
  isEnabled: isEnabled === 'on' || isEnabled === 'true',
});

const notices: Record<string, string> = {
  added: 'The identity provider is added.',
  saved: 'The identity provider is saved.',
  removed: 'The identity provider is removed.',
  settings: 'The password setting is saved.',
};

/** Sign-in through the university's identity providers, and the administrators' screens and API for them. */
export function registerSsoRoutes(app: HttpServer, deps: Deps): void {
  const { sso, providers, pageContext, secureCookies } = deps;
  const attemptCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies };

  const failed = async (request: FastifyRequest, reply: FastifyReply, error: SsoFailure) => {
    const status = error.reason === 'student_id_conflict' || error.reason.startsWith('email_') ? 409 : 401;
    return sendPage(
      reply,
      SsoFailurePage,
      { ctx: await pageContext(request), message: error.message },
      status,
    );
  };

  const startRound = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    purpose: 'sign_in' | 'test',
    next?: string,
  ) => {
    try {
      const { cookie, url } = await sso.begin(slug, {
        purpose,
        actor: request.actor,
        next: isSafeNext(next) ? next : null,
        ip: request.ip,
      });
      reply.setCookie(ATTEMPT_COOKIE, cookie, { ...attemptCookie, maxAge: 600 });
      return reply.redirect(url, 303);
    } catch (error) {
      if (error instanceof SsoFailure) return failed(request, reply, error);
      throw error;
    }
  };

  // A link, not a form: the site's CSP allows forms to post only to this site, and Chromium applies that to the
  // redirect that follows, so a form could not lead on to the provider. Starting a sign-in changes nothing a
  // forged link could abuse: it only gives this browser an attempt that the person must complete at the provider
  // themselves (the answer is bound to this browser's cookie); the limit keeps strangers from filling the table.
  app.get(
    '/sso/:slug/start',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params: Type.Object({ slug: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ next: Text(500) }),
      },
    },
    async (request, reply) => startRound(request, reply, request.params.slug, 'sign_in', request.query.next),
  );

  app.get(
    '/sso/oidc/callback',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object(
          {
            code: Text(4000),
            state: Text(500),
            iss: Text(2000),
            error: Text(200),
            error_description: Text(2000),
          },
          { additionalProperties: true },
        ),
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[ATTEMPT_COOKIE];
      reply.clearCookie(ATTEMPT_COOKIE, { path: '/' });
      // The answer is read against the registered redirect address, exactly as the provider sent it.
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      try {
        const result = await sso.finishOidc({
          cookie,
          callbackUrl: new URL(`${sso.redirectUri}${search}`),
          actor: request.actor,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        if (result.kind === 'tested') {
          reply.header('cache-control', 'no-store');
          return sendPage(reply, SsoTestResultPage, { ctx: await pageContext(request), ...result });
        }
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: Math.floor(SESSION_IDLE_MS / 1000),
        });
        return reply.redirect(safeNext(result.next ?? undefined), 303);
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  // The administrators' screens.
  const showSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; failed?: FailedProviderForm; settingsErrors?: AppError['fields'] } = {},
    status = 200,
  ) => {
    const overview = await providers.overview(request.actor);
    return sendPage(reply, SsoSettingsPage, { ctx: await pageContext(request), overview, ...extra }, status);
  };

  app.get(
    '/admin/sso',
    {
      config: { access: ssoRoles.view_providers },
      schema: { hide: true, querystring: Type.Object({ done: Text(40) }) },
    },
    async (request, reply) =>
      showSettings(request, reply, { notice: request.query.done ? notices[request.query.done] : undefined }),
  );

  app.post(
    '/admin/sso/providers',
    { config: { access: ssoRoles.manage_providers }, schema: { hide: true, body: ProviderForm } },
    async (request, reply) => {
      try {
        await providers.saveProvider(request.actor, null, inputOf(request.body));
        return reply.redirect('/admin/sso?done=added', 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const { clientSecret: _secret, ...values } = inputOf(request.body);
        const form = { values, errors: error.fields, message: error.publicMessage };
        return showSettings(request, reply, { failed: form }, error.status);
      }
    },
  );

  app.post(
    '/admin/sso/settings',
    {
      config: { access: ssoRoles.manage_providers },
      schema: {
        hide: true,
        body: Type.Object({ staffPasswordsOff: Text(10), breakGlassUserId: Text(100), ...Csrf }),
      },
    },
    async (request, reply) => {
      try {
        await providers.saveSettings(request.actor, {
          staffPasswordsOff: request.body.staffPasswordsOff === 'off',
          breakGlassUserId: request.body.breakGlassUserId || null,
        });
        return reply.redirect('/admin/sso?done=settings', 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        return showSettings(request, reply, { settingsErrors: error.fields }, error.status);
      }
    },
  );

  app.get(
    '/admin/sso/providers/:id',
    {
      config: { access: ssoRoles.view_providers },
      schema: { hide: true, params: Id, querystring: Type.Object({ done: Text(40) }) },
    },
    async (request, reply) =>
      sendPage(reply, SsoProviderPage, {
        ctx: await pageContext(request),
        provider: await providers.provider(request.actor, request.params.id),
        canManage: (await providers.overview(request.actor)).canManage,
        notice: request.query.done ? notices[request.query.done] : undefined,
      }),
  );

  app.post(
    '/admin/sso/providers/:id',
    { config: { access: ssoRoles.manage_providers }, schema: { hide: true, params: Id, body: ProviderForm } },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await providers.saveProvider(request.actor, id, inputOf(request.body));
        return reply.redirect(`/admin/sso/providers/${id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const { clientSecret: _secret, ...values } = inputOf(request.body);
        return sendPage(
          reply,
          SsoProviderPage,
          {
            ctx: await pageContext(request),
            provider: await providers.provider(request.actor, id),
            canManage: true,
            failed: { values, errors: error.fields, message: error.publicMessage },
          },
          error.status,
        );
      }
    },
  );

  app.post(
    '/admin/sso/providers/:id/delete',
    {
      config: { access: ssoRoles.manage_providers },
      schema: { hide: true, params: Id, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await providers.deleteProvider(request.actor, request.params.id);
      return reply.redirect('/admin/sso?done=removed', 303);
    },
  );

  // A link for the same reason as /sso/:slug/start; a test changes no account and shows its answer only to the
  // administrator whose session started it.
  app.get(
    '/admin/sso/providers/:id/test',
    {
      config: { access: ssoRoles.test_sign_in, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { hide: true, params: Id },
    },
    async (request, reply) => {
      const provider = await providers.provider(request.actor, request.params.id);
      return startRound(request, reply, provider.slug, 'test');
    },
  );

  registerSsoApi(app, providers);
}

const ProviderJson = Type.Object({
  slug: Type.String({ maxLength: 100 }),
  buttonLabel: Type.String({ maxLength: 200 }),
  protocol: Type.String({ maxLength: 10 }),
  discoveryUrl: Text(2000),
  clientId: Text(600),
  clientSecret: Text(2100),
  studentIdClaim: Text(300),
  groupsClaim: Text(300),
  roleMap: Type.Optional(
    Type.Array(
      Type.Object({ group: Type.String({ maxLength: 300 }), role: Type.String({ maxLength: 40 }) }),
      {
        maxItems: 200,
      },
    ),
  ),
  emailDomains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 100 })),
  isEnabled: Type.Optional(Type.Boolean()),
});

/** `/api/sso/providers`: the same settings as JSON, for administrators who script them (never the secret). */
function registerSsoApi(app: HttpServer, providers: SsoProvidersService): void {
  const tags = ['Single sign-on'];
  const inputOfJson = (body: Static<typeof ProviderJson>): ProviderInput => ({
    ...body,
    roleMap: (body.roleMap ?? []).map((entry) => `${entry.group} = ${entry.role}`).join('\n'),
    emailDomains: (body.emailDomains ?? []).join(','),
  });
  // Values the schema read but the rules refuse answer 422, one entry per field.
  const asRefusal = (error: unknown) =>
    error instanceof AppError && error.code === 'VALIDATION_FAILED' ? refused(error.fields) : error;

  app.get(
    '/api/sso/providers',
    {
      config: { access: ssoRoles.view_providers },
      schema: {
        tags,
        summary: 'The identity providers (client secrets are never returned, only whether one is set)',
      },
    },
    async (request) => (await providers.overview(request.actor)).providers,
  );

  app.post(
    '/api/sso/providers',
    {
      config: { access: ssoRoles.manage_providers },
      schema: { tags, summary: 'Add an identity provider', body: ProviderJson },
    },
    async (request, reply) => {
      const saved = await providers
        .saveProvider(request.actor, null, inputOfJson(request.body))
        .catch((error: unknown) => {
          throw asRefusal(error);
        });
      return reply.code(201).send(saved);
    },
  );

  app.put(
    '/api/sso/providers/:id',
    {
      config: { access: ssoRoles.manage_providers },
      schema: {
        tags,
        summary:
          'Replace an identity provider’s settings (an absent or empty clientSecret keeps the stored one)',
        params: Id,
        body: ProviderJson,
      },
    },
    async (request) =>
      providers
        .saveProvider(request.actor, request.params.id, inputOfJson(request.body))
        .catch((error: unknown) => {
          throw asRefusal(error);
        }),
  );

  app.delete(
    '/api/sso/providers/:id',
    {
      config: { access: ssoRoles.manage_providers },
      schema: { tags, summary: 'Remove an identity provider', params: Id },
    },
    async (request, reply) => {
      await providers.deleteProvider(request.actor, request.params.id);
      return reply.code(204).send();
    },
  );
}
