import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { IssuedBadgesService } from './issued-badges.service.ts';
import { BadgeRecordPage, IssuedBadgesPage } from './issued-badges.views.tsx';
import { issuingRoles } from './issuing.policy.ts';
import type { RenewalsService } from './renewals.service.ts';

interface Deps {
  issuedBadges: IssuedBadgesService;
  renewals: Pick<RenewalsService, 'renew'>;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** The offices' register of issued badges, and the status changes made from a badge's record. */
export function registerIssuedBadgesRoutes(
  app: HttpServer,
  { issuedBadges, renewals, pageContext }: Deps,
): void {
  app.get(
    '/issuing/badges',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        querystring: Type.Object({
          search: Type.Optional(Type.String({ maxLength: 200 })),
          program: Type.Optional(Type.String({ maxLength: 120 })),
          status: Type.Optional(Type.String({ maxLength: 20 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        }),
      },
    },
    async (request, reply) => {
      const register = await issuedBadges.register(request.actor!, request.query);
      return sendPage(reply, IssuedBadgesPage, { ctx: await pageContext(request), register });
    },
  );

  app.get(
    '/issuing/badges/:id',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ changed: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const badge = await issuedBadges.find(request.actor!, request.params.id);
      return sendPage(reply, BadgeRecordPage, {
        ctx: await pageContext(request),
        badge,
        changed: request.query.changed,
      });
    },
  );

  // The form names its fields after the change (revoke-reason, suspend-reason…) so two forms can share a page.
  app.post(
    '/issuing/badges/:id/status',
    {
      config: { access: issuingRoles.issue },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object(
          {
            change: Type.String({ maxLength: 20 }),
            'revoke-category': Type.Optional(Type.String({ maxLength: 40 })),
            'revoke-reason': Type.Optional(Type.String({ maxLength: 2000 })),
            'suspend-reason': Type.Optional(Type.String({ maxLength: 2000 })),
            'reinstate-reason': Type.Optional(Type.String({ maxLength: 2000 })),
            _csrf: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, string | undefined>;
      const change = body.change ?? '';
      const form = {
        change,
        reason: body[`${change}-reason`] ?? '',
        category: body['revoke-category'] ?? '',
      };
      try {
        const done = await issuedBadges.changeStatus(request.actor!, request.params.id, form);
        return reply.redirect(`/issuing/badges/${request.params.id.toLowerCase()}?changed=${done}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code)) {
          throw error;
        }
        // The record is drawn again as it is now: a refused change may mean someone else changed it first.
        const badge = await issuedBadges.find(request.actor!, request.params.id);
        const ctx = await pageContext(request);
        if (error.code === 'INVALID_STATE') {
          return sendPage(reply, BadgeRecordPage, { ctx, badge, problem: error.publicMessage }, 409);
        }
        return sendPage(
          reply,
          BadgeRecordPage,
          { ctx, badge, refused: { ...form, errors: error.fields } },
          400,
        );
      }
    },
  );

  // The office renews on the learner's behalf (issue 19, point 7): the same rule and path as the learner's request.
  app.post(
    '/issuing/badges/:id/renew',
    {
      config: { access: issuingRoles.issue },
      schema: { hide: true, params: IdParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      try {
        const renewed = await renewals.renew(request.actor!, request.params.id.toLowerCase());
        return reply.redirect(`/issuing/badges/${renewed.credentialId}?changed=renewed`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code)) {
          throw error;
        }
        const badge = await issuedBadges.find(request.actor!, request.params.id);
        const problem = [error.publicMessage, ...error.fields.map((f) => `Renewal ${f.reason}`)].join(' ');
        return sendPage(
          reply,
          BadgeRecordPage,
          { ctx: await pageContext(request), badge, problem },
          error.status,
        );
      }
    },
  );
}
