import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { ApiClientsService, RevealedSecret } from './api-clients.service.ts';
import { ApiClientsPage, type FailedClientForm } from './api-clients.views.tsx';
import { integrationsRoles } from './integrations.policy.ts';

const viewing = { access: integrationsRoles.view_api_clients };
const managing = { access: integrationsRoles.manage_api_clients };
const Csrf = { _csrf: Type.Optional(Type.String()) };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const notices: Record<string, string> = {
  revoked: 'The client is revoked: its secret and its access tokens no longer work.',
};

/** The administrators' screen of API clients. */
export function registerApiClientRoutes(
  app: HttpServer,
  deps: { apiClients: ApiClientsService; pageContext: (request: FastifyRequest) => Promise<PageContext> },
): void {
  const { apiClients, pageContext } = deps;

  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; revealed?: RevealedSecret & { isNew: boolean }; failed?: FailedClientForm },
    status = 200,
  ) => {
    const overview = await apiClients.overview(request.actor);
    // A page with a secret on it must not outlive the visit in any cache, the browser's included.
    if (extra.revealed) reply.header('cache-control', 'no-store');
    return sendPage(reply, ApiClientsPage, { ctx: await pageContext(request), overview, ...extra }, status);
  };

  app.get(
    '/admin/api-clients',
    {
      config: viewing,
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) =>
      showPage(request, reply, { notice: request.query.done ? notices[request.query.done] : undefined }),
  );

  app.post(
    '/admin/api-clients',
    {
      config: managing,
      schema: {
        hide: true,
        body: Type.Object({
          name: Type.String({ maxLength: 500 }),
          // Checkboxes: absent when none is ticked, one string for one, repeated for more.
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { name, scopes = [] } = request.body;
      try {
        const revealed = await apiClients.createClient(request.actor, { name, scopes });
        return showPage(request, reply, { revealed: { ...revealed, isNew: true } });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const failed = { values: { name, scopes }, errors: error.fields, message: error.publicMessage };
        return showPage(request, reply, { failed }, error.status);
      }
    },
  );

  app.post(
    '/admin/api-clients/:id/rotate',
    { config: managing, schema: { hide: true, params: Id, body: Type.Object({ ...Csrf }) } },
    async (request, reply) => {
      const revealed = await apiClients.rotateSecret(request.actor, request.params.id);
      return showPage(request, reply, { revealed: { ...revealed, isNew: false } });
    },
  );

  app.post(
    '/admin/api-clients/:id/revoke',
    { config: managing, schema: { hide: true, params: Id, body: Type.Object({ ...Csrf }) } },
    async (request, reply) => {
      await apiClients.revokeClient(request.actor, request.params.id);
      return reply.redirect('/admin/api-clients?done=revoked', 303);
    },
  );
}
