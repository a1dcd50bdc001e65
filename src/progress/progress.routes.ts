import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendCsv } from '../platform/http/csv-download.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { BadgeRequestsService } from './badge-requests.service.ts';
import { BadgeRequestsPage, type DecisionDraft } from './badge-requests.views.tsx';
import { progressStates } from './enrolment-progress.ts';
import { progressRoles } from './progress.policy.ts';
import type { ProgramFilter, ProgressService } from './progress.service.ts';
import { LearnerProgressPage } from './progress.views.tsx';
import { programProgressCsv } from './progress-export.ts';
import {
  type EvidenceDraft,
  isProgressState,
  LearnerInProgramPage,
  learnersPerPage,
  ProgramProgressPage,
  ProgramsIndexPage,
} from './progress-program.views.tsx';

interface Deps {
  progress: ProgressService;
  badgeRequests: BadgeRequestsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const Csrf = { _csrf: Type.Optional(Type.String()) };
const slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 });
const SlugParams = Type.Object({ slug });
const LearnerParams = Type.Object({ slug, learnerId: Type.String({ format: 'uuid' }) });
const RequestParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ProgramQuery = Type.Object({ program: Type.Optional(slug) });
const Done = Type.Optional(Type.String({ maxLength: 20 }));
const FilterQuery = Type.Object({
  status: Type.Optional(
    Type.Union([...progressStates.map((state) => Type.Literal(state)), Type.Literal('')]),
  ),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});

const learnerNotices: Record<string, string> = {
  requested: 'Your badge request is on its way to your program lead.',
  withdrawn: 'Your badge request was withdrawn.',
};
const decisionNotices: Record<string, string> = {
  approved: 'Request approved. The learner has been told by e-mail.',
  returned: 'Request returned. The learner has been told by e-mail, with your comment.',
};
const evidenceNotices: Record<string, string> = {
  experience: 'Experience signed off. The progress below already counts it.',
  substitution: 'Substitution approved. The progress below already counts it.',
};

function toFilter(query: { status?: string; q?: string }): ProgramFilter {
  const q = query.q?.trim();
  return { status: isProgressState(query.status) ? query.status : undefined, q: q ? q : undefined };
}

/** True for a validation failure the page itself should show beside the form. */
const isValidation = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === 'VALIDATION_FAILED';

export function registerProgressRoutes(
  app: HttpServer,
  { progress, badgeRequests, pageContext }: Deps,
): void {
  app.get(
    '/progress',
    {
      config: { access: progressRoles.follow_own_progress },
      schema: { hide: true, querystring: Type.Object({ done: Done }) },
    },
    async (request, reply) =>
      sendPage(reply, LearnerProgressPage, {
        ctx: await pageContext(request),
        data: await progress.learnerDashboard(request.actor!),
        notice: learnerNotices[request.query.done ?? ''],
      }),
  );

  app.post(
    '/progress/requests',
    {
      config: { access: progressRoles.follow_own_progress },
      schema: { hide: true, body: Type.Object({ program: slug, ...Csrf }) },
    },
    async (request, reply) => {
      await badgeRequests.requestBadge(request.actor!, request.body.program);
      return reply.redirect('/progress?done=requested', 303);
    },
  );

  app.post(
    '/progress/requests/:id/withdraw',
    {
      config: { access: progressRoles.follow_own_progress },
      schema: { hide: true, params: RequestParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await badgeRequests.withdraw(request.actor!, request.params.id);
      return reply.redirect('/progress?done=withdrawn', 303);
    },
  );

  const renderRequests = async (
    request: FastifyRequest,
    reply: FastifyReply,
    programSlug: string | undefined,
    extra: { notice?: string; draft?: DecisionDraft },
    status = 200,
  ) =>
    sendPage(
      reply,
      BadgeRequestsPage,
      {
        ctx: await pageContext(request),
        data: await badgeRequests.requestsToReview(request.actor!, programSlug),
        programSlug,
        ...extra,
      },
      status,
    );

  app.get(
    '/progress/requests',
    {
      config: { access: progressRoles.oversee_programs },
      schema: { hide: true, querystring: Type.Object({ program: Type.Optional(slug), done: Done }) },
    },
    async (request, reply) =>
      renderRequests(request, reply, request.query.program, {
        notice: decisionNotices[request.query.done ?? ''],
      }),
  );

  app.post(
    '/progress/requests/:id/decision',
    {
      config: { access: progressRoles.oversee_programs },
      schema: {
        hide: true,
        params: RequestParams,
        querystring: ProgramQuery,
        body: Type.Object({
          decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
          comment: Type.Optional(Type.String({ maxLength: 4000 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { decision, comment = '' } = request.body;
      const programSlug = request.query.program;
      try {
        await badgeRequests.decide(request.actor!, request.params.id, decision, comment);
      } catch (error) {
        if (!isValidation(error)) throw error;
        const draft = { requestId: request.params.id, errors: error.fields, comment };
        return renderRequests(request, reply, programSlug, { draft }, 400);
      }
      const done = decision === 'approve' ? 'approved' : 'returned';
      return reply.redirect(
        `/progress/requests?done=${done}${programSlug ? `&program=${programSlug}` : ''}`,
        303,
      );
    },
  );

  app.get(
    '/progress/programs',
    { config: { access: progressRoles.oversee_programs }, schema: { hide: true } },
    async (request, reply) =>
      sendPage(reply, ProgramsIndexPage, {
        ctx: await pageContext(request),
        programs: await progress.listOverseenPrograms(request.actor!),
      }),
  );

  app.get(
    '/progress/programs/:slug',
    {
      config: { access: progressRoles.oversee_programs },
      schema: { hide: true, params: SlugParams, querystring: FilterQuery },
    },
    async (request, reply) => {
      const filter = toFilter(request.query);
      const data = await progress.programView(request.actor!, request.params.slug, filter);
      const pages = Math.max(1, Math.ceil(data.matching.length / learnersPerPage));
      const page = Math.min(request.query.page ?? 1, pages);
      return sendPage(reply, ProgramProgressPage, { ctx: await pageContext(request), data, filter, page });
    },
  );

  app.get(
    '/progress/programs/:slug/export.csv',
    {
      config: { access: progressRoles.oversee_programs },
      schema: { hide: true, params: SlugParams, querystring: FilterQuery },
    },
    async (request, reply) => {
      const data = await progress.programView(request.actor!, request.params.slug, toFilter(request.query));
      const filename = `${data.program.slug}-progress-${data.asOf}.csv`;
      // A byte-order mark so spreadsheet programs read names with accents as UTF-8.
      return sendCsv(reply, filename, `\uFEFF${programProgressCsv(data.matching)}`);
    },
  );

  const renderLearner = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: { slug: string; learnerId: string },
    extra: { notice?: string; draft?: EvidenceDraft },
    status = 200,
  ) =>
    sendPage(
      reply,
      LearnerInProgramPage,
      {
        ctx: await pageContext(request),
        data: await progress.learnerInProgram(request.actor!, params.slug, params.learnerId),
        ...extra,
      },
      status,
    );

  app.get(
    '/progress/programs/:slug/learners/:learnerId',
    {
      config: { access: progressRoles.oversee_programs },
      schema: { hide: true, params: LearnerParams, querystring: Type.Object({ done: Done }) },
    },
    async (request, reply) =>
      renderLearner(request, reply, request.params, { notice: evidenceNotices[request.query.done ?? ''] }),
  );

  app.post(
    '/progress/programs/:slug/learners/:learnerId/experiences',
    {
      config: { access: progressRoles.oversee_programs },
      schema: {
        hide: true,
        params: LearnerParams,
        body: Type.Object({
          key: Type.String({ maxLength: 64 }),
          signedOffOn: Type.String({ maxLength: 20 }),
          note: Type.Optional(Type.String({ maxLength: 4000 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { key, signedOffOn, note = '' } = request.body;
      const { slug: programSlug, learnerId } = request.params;
      try {
        await progress.signOffExperience(request.actor!, programSlug, learnerId, { key, signedOffOn, note });
      } catch (error) {
        if (!isValidation(error)) throw error;
        const draft: EvidenceDraft = {
          form: 'experience',
          errors: error.fields,
          values: { key, signedOffOn, note },
        };
        return renderLearner(request, reply, request.params, { draft }, 400);
      }
      return reply.redirect(`/progress/programs/${programSlug}/learners/${learnerId}?done=experience`, 303);
    },
  );

  app.post(
    '/progress/programs/:slug/learners/:learnerId/substitutions',
    {
      config: { access: progressRoles.oversee_programs },
      schema: {
        hide: true,
        params: LearnerParams,
        body: Type.Object({
          requiredCourse: Type.String({ maxLength: 32 }),
          substituteCourse: Type.String({ maxLength: 32 }),
          reason: Type.String({ maxLength: 4000 }),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { requiredCourse, substituteCourse, reason } = request.body;
      const { slug: programSlug, learnerId } = request.params;
      try {
        await progress.approveSubstitution(request.actor!, programSlug, learnerId, {
          requiredCourse,
          substituteCourse,
          reason,
        });
      } catch (error) {
        if (!isValidation(error)) throw error;
        const draft: EvidenceDraft = {
          form: 'substitution',
          errors: error.fields,
          values: { requiredCourse, substituteCourse, reason },
        };
        return renderLearner(request, reply, request.params, { draft }, 400);
      }
      return reply.redirect(`/progress/programs/${programSlug}/learners/${learnerId}?done=substitution`, 303);
    },
  );
}
