import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { backpackRoles } from './backpack.policy.ts';
import type { BackpackRouteDeps } from './backpack-route-deps.ts';
import { TemplatesPage } from './templates.views.tsx';

/** The credentials office's editor for the claim e-mail: preview, save, back to the standard wording. */
export function registerTemplateRoutes(app: HttpServer, { backpack, pageContext }: BackpackRouteDeps): void {
  const templates = backpack.templates;
  const institutionName = async (request: FastifyRequest) => (await pageContext(request)).institutionName;

  app.get(
    '/backpack/templates',
    {
      config: { access: backpackRoles.edit_claim_template },
      schema: {
        hide: true,
        querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const current = await templates.claimTemplate();
      const notice =
        request.query.saved === 'saved'
          ? 'The claim e-mail is saved; the next one sent uses it.'
          : request.query.saved === 'reset'
            ? 'The claim e-mail is back to the standard wording.'
            : undefined;
      return sendPage(reply, TemplatesPage, {
        ctx: await pageContext(request),
        draft: current.template,
        isDefault: current.isDefault,
        updatedAt: current.updatedAt,
        preview: templates.preview(current.template, await institutionName(request)),
        notice,
      });
    },
  );

  app.post(
    '/backpack/templates',
    {
      config: { access: backpackRoles.edit_claim_template },
      schema: {
        hide: true,
        body: Type.Object({
          action: Type.Union([Type.Literal('preview'), Type.Literal('save'), Type.Literal('reset')]),
          subject: Type.Optional(Type.String({ maxLength: 1000 })),
          text: Type.Optional(Type.String({ maxLength: 100_000 })),
          html: Type.Optional(Type.String({ maxLength: 200_000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { action } = request.body;
      if (action === 'reset') {
        await templates.reset(request.actor!);
        return reply.redirect('/backpack/templates?saved=reset', 303);
      }
      const draft = {
        subject: request.body.subject ?? '',
        text: request.body.text ?? '',
        html: request.body.html ?? '',
      };
      const current = await templates.claimTemplate();
      const page = { draft, isDefault: current.isDefault, updatedAt: current.updatedAt };
      try {
        if (action === 'save') {
          await templates.save(request.actor!, draft);
          return reply.redirect('/backpack/templates?saved=saved', 303);
        }
        const preview = templates.preview(draft, await institutionName(request));
        return sendPage(reply, TemplatesPage, { ctx: await pageContext(request), ...page, preview });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        const ctx = await pageContext(request);
        return sendPage(reply, TemplatesPage, { ctx, ...page, errors: error.fields }, 400);
      }
    },
  );
}
