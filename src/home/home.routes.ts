import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { AdminIndexPage } from './admin-index.views.tsx';
import { adminIndexRoles } from './admin-screens.ts';
import type { HomeService } from './home.service.ts';
import { PublicHomePage, RoleHomePage } from './home.views.tsx';
import { firstOrder, ledSortKeys } from './led-programs.ts';

export function registerHomeRoutes(
  app: HttpServer,
  { home, pageContext }: { home: HomeService; pageContext: (r: FastifyRequest) => Promise<PageContext> },
): void {
  app.get(
    '/',
    { config: { access: 'public', cache: 'public' }, schema: { hide: true } },
    async (request, reply) =>
      sendPage(reply, PublicHomePage, { ctx: await pageContext(request), data: await home.publicHome() }),
  );

  app.get(
    '/home',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        querystring: Type.Object({
          programs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          sort: Type.Optional(Type.Enum(ledSortKeys)),
          order: Type.Optional(Type.Enum(['asc', 'desc'] as const)),
        }),
      },
    },
    async (request, reply) => {
      const { programs, sort, order } = request.query;
      const key = sort ?? 'title';
      return sendPage(reply, RoleHomePage, {
        ctx: await pageContext(request),
        data: await home.roleHome(request.actor!, {
          page: programs ?? 1,
          sort: { key, order: order ?? firstOrder[key] },
        }),
      });
    },
  );

  app.get('/admin', { config: { access: adminIndexRoles }, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, AdminIndexPage, {
      ctx: await pageContext(request),
      groups: home.administration(request.actor!),
    }),
  );
}
