import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { auditRoles } from './audit.policy.ts';
import type { AuditService } from './audit.service.ts';
import { AuditPage } from './audit.views.tsx';

const PAGE_SIZE = 50;
const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export function registerAuditRoutes(
  app: HttpServer,
  { audit, pageContext }: { audit: AuditService; pageContext: (r: FastifyRequest) => Promise<PageContext> },
): void {
  app.get(
    '/admin/audit',
    {
      config: { access: auditRoles.read_log },
      schema: {
        hide: true,
        querystring: Type.Object({
          action: Type.Optional(Type.String({ maxLength: 100 })),
          entityType: Type.Optional(Type.String({ maxLength: 100 })),
          actor: Type.Optional(Type.String({ maxLength: 200 })),
          from: Type.Optional(Type.Union([isoDate, Type.Literal('')])),
          to: Type.Optional(Type.Union([isoDate, Type.Literal('')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const query = { ...request.query, page: request.query.page ?? 1 };
      const [rows, actions] = await Promise.all([
        audit.list({
          action: query.action || undefined,
          entityType: query.entityType || undefined,
          actor: query.actor || undefined,
          from: query.from || undefined,
          to: query.to || undefined,
          limit: PAGE_SIZE,
          offset: (query.page - 1) * PAGE_SIZE,
        }),
        audit.actions(),
      ]);
      return sendPage(reply, AuditPage, {
        ctx: await pageContext(request),
        rows,
        actions,
        query,
        pageSize: PAGE_SIZE,
      });
    },
  );
}
