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
          program: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Literal('')])),
          from: Type.Optional(Type.Union([isoDate, Type.Literal('')])),
          to: Type.Optional(Type.Union([isoDate, Type.Literal('')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const query = { ...request.query, page: request.query.page ?? 1 };
      const ctx = await pageContext(request);
      const [rows, actions, programs] = await Promise.all([
        audit.list({
          action: query.action || undefined,
          entityType: query.entityType || undefined,
          actor: query.actor || undefined,
          programId: query.program || undefined,
          from: query.from || undefined,
          to: query.to || undefined,
          timeZone: ctx.timeZone,
          limit: PAGE_SIZE,
          offset: (query.page - 1) * PAGE_SIZE,
        }),
        audit.actions(),
        audit.programChoices(),
      ]);
      return sendPage(reply, AuditPage, { ctx, rows, actions, programs, query, pageSize: PAGE_SIZE });
    },
  );
}
