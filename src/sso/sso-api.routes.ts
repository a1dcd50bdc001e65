import { type Static, Type } from 'typebox';
import { AppError, refused } from '../platform/errors.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { ProviderInput } from './provider-input.ts';
import { Id, providerTextFields } from './provider-schema.ts';
import { ssoRoles } from './sso.policy.ts';
import type { SsoProvidersService } from './sso-providers.service.ts';

const ProviderJson = Type.Object({
  ...providerTextFields,
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
export function registerSsoApi(app: HttpServer, providers: SsoProvidersService): void {
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
