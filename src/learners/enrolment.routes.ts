import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';
import { type EnrolForm, EnrolPage, type EnrolPageProps } from './enrolment.views.tsx';
import { VisitorEnrolPage } from './enrolment-visitor.views.tsx';
import type { LearnersService } from './learners.service.ts';
import type { ReactivationsService } from './reactivations.service.ts';

interface Deps {
  learners: LearnersService;
  reactivations: ReactivationsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const PathSchema = Type.Union([
  Type.Literal('new'),
  Type.Literal('non_degree'),
  Type.Literal('current'),
  Type.Literal('returning'),
]);
const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
});
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

const doneNotices = {
  enrolled: 'You are enrolled. A confirmation e-mail is on its way.',
  requested: 'Your request is with the staff who reactivate records. They will reply by e-mail.',
} as const;

/** Statuses for refusals that are shown on the enrolment page itself, never as an error page. */
const shownOnPage: Partial<Record<AppError['code'], number>> = {
  VALIDATION_FAILED: 400,
  CONFLICT: 409,
  INVALID_STATE: 422,
};

/** Where a person who has not proven their address goes instead, coming back here once they have. */
const proveEmailFirst = (slug: string, path: string | undefined) => {
  const back = `/enrol/${slug}${path ? `?path=${path}` : ''}`;
  return `/signup/pending?next=${encodeURIComponent(back)}`;
};

/**
 * `/enrol/<slug>`: the catalog's "Enrol" buttons land here. Visitors see the ways in, each leading to signing up
 * or signing in and back; a person must have proven their address before enrolling.
 */
export function registerEnrolmentRoutes(
  app: HttpServer,
  { learners, reactivations, pageContext }: Deps,
): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    props: Omit<EnrolPageProps, 'ctx' | 'state'>,
    status?: number,
  ) => {
    const state = await learners.enrolmentState(request.actor!, slug);
    const code = status ?? (state.isOpen ? 200 : 422);
    return sendPage(reply, EnrolPage, { ctx: await pageContext(request), state, ...props }, code);
  };

  app.get(
    '/enrol/:slug',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: SlugParams,
        querystring: Type.Object({
          path: Type.Optional(Type.Union([PathSchema, Type.Literal('')])),
          done: Type.Optional(Type.Union([Type.Literal('enrolled'), Type.Literal('requested')])),
        }),
      },
    },
    async (request, reply) => {
      const { path, done } = request.query;
      const { slug } = request.params;
      if (!request.actor && path) {
        // A chosen path (a bookmark, a link from elsewhere) goes to sign-in, which offers sign-up, and back.
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      if (!request.actor) {
        const visit = await learners.programForVisitor(slug);
        const ctx = await pageContext(request);
        return sendPage(reply, VisitorEnrolPage, { ctx, ...visit }, visit.isOpen ? 200 : 422);
      }
      if (await learners.needsEmailProof(request.actor)) {
        return reply.redirect(proveEmailFirst(slug, path || undefined));
      }
      const notice = done ? { kind: 'ok' as const, text: doneNotices[done] } : undefined;
      return show(request, reply, slug, { path: path || undefined, notice });
    },
  );

  app.post(
    '/enrol/:slug',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: SlugParams,
        body: Type.Object({
          path: PathSchema,
          name: text(200),
          email: text(320),
          studentId: text(40),
          noAid: text(10),
          lastTerm: text(40),
          reason: text(4000),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const { slug } = request.params;
      const body = request.body;
      const path = body.path as EnrolmentPath;
      if (await learners.needsEmailProof(actor)) {
        return reply.redirect(proveEmailFirst(slug, path), 303);
      }
      const form: EnrolForm = {
        name: body.name,
        email: body.email,
        studentId: body.studentId,
        noAid: body.noAid === 'yes',
        lastTerm: body.lastTerm,
        reason: body.reason,
      };
      try {
        if (path === 'current') await learners.enrolCurrent(actor, slug);
        else if (path === 'non_degree') {
          await learners.enrolNonDegree(actor, slug, {
            name: form.name ?? '',
            email: form.email ?? '',
            studentId: form.studentId ?? '',
            noAidAgreed: form.noAid === true,
          });
        } else if (path === 'returning') {
          await reactivations.requestReactivation(actor, slug, {
            name: form.name ?? '',
            studentId: form.studentId ?? '',
            lastTerm: form.lastTerm ?? '',
            reason: form.reason ?? '',
          });
        } else {
          return show(request, reply, slug, { path }, 400);
        }
      } catch (error) {
        const status = error instanceof AppError ? shownOnPage[error.code] : undefined;
        if (!status || !(error instanceof AppError)) throw error;
        // Field problems speak for themselves in the form's summary; other refusals become the page's notice.
        const notice =
          error.code === 'VALIDATION_FAILED'
            ? undefined
            : { kind: status === 409 ? ('warn' as const) : ('bad' as const), text: error.publicMessage };
        return show(request, reply, slug, { path, form, errors: error.fields, notice }, status);
      }
      const done = path === 'returning' ? 'requested' : 'enrolled';
      return reply.redirect(`/enrol/${slug}?path=${path}&done=${done}`, 303);
    },
  );
}
