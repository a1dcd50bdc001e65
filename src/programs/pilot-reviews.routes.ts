import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { OverduePage, PilotReviewPage } from './pilot-reviews.views.tsx';
import { programsRoles } from './programs.policy.ts';
import type { ProgramRouteDeps } from './programs.routes.ts';

const Params = Type.Object({
  id: Type.String({ format: 'uuid' }),
  year: Type.Integer({ minimum: 1, maximum: 3 }),
});
const Answer = Type.Optional(Type.String({ maxLength: 20_000 }));

/** The pilot review form of each year, and the credentials office's overdue dashboard. */
export function registerPilotReviewRoutes(
  app: HttpServer,
  { pilotReviews, programs, pageContext }: ProgramRouteDeps,
): void {
  app.get(
    '/programs/overdue',
    { config: { access: programsRoles.oversee_reviews }, schema: { hide: true } },
    async (request, reply) => {
      const data = await pilotReviews.dueDashboard(request.actor!);
      const stalled = await programs.pages.stalledReviews(request.actor!);
      return sendPage(reply, OverduePage, { ctx: await pageContext(request), ...data, stalled });
    },
  );

  app.get(
    '/programs/:id/reviews/:year',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const { id, year } = request.params;
      const page = await pilotReviews.reviewPage(request.actor!, id, year);
      const notice =
        request.query.done === 'submitted'
          ? 'The review is submitted. Thank you.'
          : request.query.done === 'saved'
            ? 'Your draft is saved; submit it when it is complete.'
            : undefined;
      return sendPage(reply, PilotReviewPage, { ctx: await pageContext(request), page, notice });
    },
  );

  app.post(
    '/programs/:id/reviews/:year',
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
      const { id, year } = request.params;
      const { intent, _csrf, ...answers } = request.body;
      try {
        await pilotReviews.saveReview(request.actor!, id, year, answers, intent === 'submit');
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code))
          throw error;
        const page = await pilotReviews.reviewPage(request.actor!, id, year);
        return sendPage(
          reply,
          PilotReviewPage,
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
        `/programs/${id}/reviews/${year}?done=${intent === 'submit' ? 'submitted' : 'saved'}`,
        303,
      );
    },
  );
}
