import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { ProviderInput } from './provider-input.ts';
import { Id, providerTextFields, Text } from './provider-schema.ts';
import { ssoRoles } from './sso.policy.ts';
import { type FailedProviderForm, SsoProviderPage, SsoSettingsPage } from './sso-admin.views.tsx';
import type { SsoRouteDeps } from './sso-route-deps.ts';

const Csrf = { _csrf: Type.Optional(Type.String()) };
/** The provider form's fields as posted; the checkbox is absent when unticked. */
const ProviderForm = Type.Object({
  ...providerTextFields,
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

/** What was typed, to show again with the problems: never the secret, and never the pasted metadata twice. */
const shownAgain = (body: ProviderFormBody) => {
  const { clientSecret: _secret, ...values } = inputOf(body);
  return values;
};

const notices: Record<string, string> = {
  added: 'The identity provider is added.',
  saved: 'The identity provider is saved.',
  removed: 'The identity provider is removed.',
  settings: 'The password setting is saved.',
};

/** The administrators' screens: the providers, the password switch, and a test sign-in. */
export function registerSsoAdminRoutes(
  app: HttpServer,
  deps: SsoRouteDeps,
  startRound: (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    purpose: 'sign_in' | 'test',
  ) => Promise<unknown>,
): void {
  const { providers, pageContext } = deps;
  const providerPage = async (request: FastifyRequest, id: string) => {
    const provider = await providers.provider(request.actor, id);
    return { provider, samlUrls: providers.serviceProviderUrls(provider.slug) };
  };
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
        const values = shownAgain(request.body);
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
        ...(await providerPage(request, request.params.id)),
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
        const values = shownAgain(request.body);
        return sendPage(
          reply,
          SsoProviderPage,
          {
            ctx: await pageContext(request),
            ...(await providerPage(request, id)),
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
}
