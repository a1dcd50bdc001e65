import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, invalid } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { programsRoles } from './programs.policy.ts';
import type { ProgramServices } from './programs.wiring.ts';
import { RetireProgramPage } from './retirement.views.tsx';

const Id = Type.String({ format: 'uuid' });

/**
 * The confirmation step of retiring a program. Whether this person may retire it is the lifecycle's and the
 * programs policy's question, asked through the program page's offered actions and again by the service.
 */
export function registerRetirementRoutes(
  app: HttpServer,
  deps: { programs: ProgramServices; pageContext: (request: FastifyRequest) => Promise<PageContext> },
): void {
  const { programs, pageContext } = deps;
  const offered = async (request: FastifyRequest, id: string) => {
    const page = await programs.pages.programPage(request.actor!, id);
    if (!page.actions.some((a) => a.action === 'retire')) {
      throw new AppError(
        'FORBIDDEN',
        page.program.status === 'established' && page.isLead
          ? 'Only the credentials office or an administrator can retire an established program; ask them to.'
          : 'You cannot retire this program now.',
      );
    }
    return page.program;
  };

  app.get(
    '/programs/:id/retire',
    {
      config: { access: programsRoles.open_programs },
      schema: { hide: true, params: Type.Object({ id: Id }) },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const program = await offered(request, id);
      const learners = await programs.review.learnersToTell(id);
      return sendPage(reply, RetireProgramPage, { ctx: await pageContext(request), program, learners });
    },
  );

  app.post(
    '/programs/:id/retire',
    {
      config: { access: programsRoles.open_programs },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          reason: Type.Optional(Type.String({ maxLength: 10_000 })),
          confirm: Type.Optional(Type.Literal('yes')),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { reason?: string; confirm?: 'yes' };
      const program = await offered(request, id);
      try {
        if (!body.reason?.trim()) throw invalid([{ field: 'reason', reason: 'is required' }]);
        await programs.review.retireProgram(request.actor!, id, body.reason, body.confirm === 'yes');
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code)) {
          throw error;
        }
        const learners = await programs.review.learnersToTell(id);
        return sendPage(
          reply,
          RetireProgramPage,
          {
            ctx: await pageContext(request),
            program,
            learners,
            reason: body.reason,
            errors: error.fields,
            message: error.publicMessage,
          },
          error.status,
        );
      }
      return reply.redirect(`/programs/${id}?done=retire`, 303);
    },
  );
}
