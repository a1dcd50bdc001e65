import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { PeriodicReviewPage } from './pilot-reviews.views.tsx';
import { programsRoles } from './programs.policy.ts';
import type { ProgramRouteDeps } from './programs.routes.ts';

const Params = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cycle: Type.Integer({ minimum: 1, maximum: 1000 }),
});
const Answer = Type.Optional(Type.String({ maxLength: 20_000 }));

/** The periodic review form of an established program: the one owed now, and those submitted before it. */
export function registerPeriodicReviewRoutes(
  app: HttpServer,
  { periodicReviews, pageContext }: ProgramRouteDeps,
): void {
  app.get(
    '/programs/:id/periodic-reviews/:cycle',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const { id, cycle } = request.params;
      const page = await periodicReviews.reviewPage(request.actor!, id, cycle);
      const notice =
        request.query.done === 'submitted'
          ? 'The review is submitted. Thank you.'
          : request.query.done === 'saved'
            ? 'Your draft is saved; submit it when it is complete.'
            : undefined;
      return sendPage(reply, PeriodicReviewPage, { ctx: await pageContext(request), page, notice });
    },
  );

  app.post(
    '/programs/:id/periodic-reviews/:cycle',
    {
      config: { access: programsRoles.record_pilot_review },
      schema: {
        hide: true,
        params: Params,
        body: Type.Object({
          highlights: Answer,
          challenges: Answer,
          learner_feedback: Answer,
          changes_planned: Answer,
          intent: Type.Union([Type.Literal('save'), Type.Literal('submit')]),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { id, cycle } = request.params;
      const { intent, _csrf, ...answers } = request.body;
      try {
        await periodicReviews.saveReview(request.actor!, id, cycle, answers, intent === 'submit');
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code))
          throw error;
        const page = await periodicReviews.reviewPage(request.actor!, id, cycle);
        return sendPage(
          reply,
          PeriodicReviewPage,
          {
            ctx: await pageContext(request),
            page,
            answers,
            errors: error.fields,
            message: error.publicMessage,
          },
          error.status,
        );
      }
      return reply.redirect(
        `/programs/${id}/periodic-reviews/${cycle}?done=${intent === 'submit' ? 'submitted' : 'saved'}`,
        303,
      );
    },
  );
}
