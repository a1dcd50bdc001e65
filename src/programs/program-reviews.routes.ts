import { Type } from 'typebox';
import { AppError, notFound } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { OverduePage } from './due-reviews.views.tsx';
import { PrintableReviewPage, ReviewFormPage } from './program-reviews.views.tsx';
import type { ProgramRouteDeps } from './program-route-deps.ts';
import { programsRoles } from './programs.policy.ts';
import { periodicReview, pilotReview, type ReviewKind } from './review-kinds.ts';

const Answer = Type.Optional(Type.String({ maxLength: 20_000 }));
const notices: Record<string, string> = {
  submitted: 'The review is submitted. Thank you.',
  saved: 'Your draft is saved; submit it when it is complete.',
};

/**
 * Program reviews of both kinds, at /programs/<id>/reviews/<year> (pilots) and /programs/<id>/periodic-reviews/
 * <cycle> (established programs), each with a printable version once submitted; and the credentials office's
 * overdue dashboard.
 */
export function registerReviewRoutes(app: HttpServer, deps: ProgramRouteDeps): void {
  const { pilotReviews, programs, pageContext } = deps;
  app.get(
    '/programs/overdue',
    { config: { access: programsRoles.oversee_reviews }, schema: { hide: true } },
    async (request, reply) => {
      const data = await pilotReviews.dueDashboard(request.actor!);
      const stalled = await programs.pages.stalledReviews(request.actor!);
      return sendPage(reply, OverduePage, { ctx: await pageContext(request), ...data, stalled });
    },
  );
  registerKind(app, deps, pilotReview, 3);
  registerKind(app, deps, periodicReview, 1000);
}

function registerKind(
  app: HttpServer,
  { reviews, pageContext }: ProgramRouteDeps,
  kind: ReviewKind,
  highest: number,
): void {
  const Params = Type.Object({
    id: Type.String({ format: 'uuid' }),
    number: Type.Integer({ minimum: 1, maximum: highest }),
  });
  const address = `/programs/:id/${kind.segment}/:number`;

  app.get(
    address,
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Params,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const { id, number } = request.params;
      const page = await reviews.reviewPage(request.actor!, kind.name, id, number);
      const notice = notices[request.query.done ?? ''];
      return sendPage(reply, ReviewFormPage, { ctx: await pageContext(request), page, notice });
    },
  );

  app.get(
    `${address}/print`,
    { config: { access: 'signed-in' }, schema: { hide: true, params: Params } },
    async (request, reply) => {
      const { id, number } = request.params;
      const page = await reviews.reviewPage(request.actor!, kind.name, id, number);
      // Only a submitted review is a record worth printing: a draft's figures still move.
      if (!page.submittedAt) throw notFound(`A submitted ${kind.noun}`);
      return sendPage(reply, PrintableReviewPage, { ctx: await pageContext(request), page });
    },
  );

  app.post(
    address,
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
      const { id, number } = request.params;
      const { intent, _csrf, ...answers } = request.body;
      try {
        await reviews.saveReview(request.actor!, kind.name, id, number, answers, intent === 'submit');
      } catch (error) {
        if (!(error instanceof AppError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code))
          throw error;
        const page = await reviews.reviewPage(request.actor!, kind.name, id, number);
        return sendPage(
          reply,
          ReviewFormPage,
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
      const done = intent === 'submit' ? 'submitted' : 'saved';
      return reply.redirect(`/programs/${id}/${kind.segment}/${number}?done=${done}`, 303);
    },
  );
}
