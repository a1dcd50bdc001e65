import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { catalogRoles } from './catalog.policy.ts';
import { CoursePage, CoursesPage, NewCoursePage } from './courses.views.tsx';
import {
  CodeParams,
  CourseBody,
  Csrf,
  changing,
  Done,
  isFormProblem,
  noticeOf,
  type StructureDeps,
  saveForm,
  valuesOf,
  viewing,
} from './structure-forms.ts';
import type { FailedForm } from './structure-parts.tsx';

/** The registrar's course screens: the list with search and pages, the forms, deactivation and confirmation. */
export function registerCourseRoutes(app: HttpServer, { structure, pageContext }: StructureDeps): void {
  const CourseQuery = Type.Object({
    q: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(
      Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('')]),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    done: Type.Optional(Type.String({ maxLength: 40 })),
  });

  app.get(
    '/admin/courses',
    { config: viewing, schema: { hide: true, querystring: CourseQuery } },
    async (request, reply) => {
      const { q, status, page = 1, done } = request.query;
      const query = { q: q?.trim() || undefined, status: status || undefined, page };
      return sendPage(reply, CoursesPage, {
        ctx: await pageContext(request),
        list: await structure.courses(request.actor!, query),
        query,
        notice: noticeOf(done, 'courses'),
      });
    },
  );

  app.get('/admin/courses/new', { config: changing, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, NewCoursePage, {
      ctx: await pageContext(request),
      departments: await structure.departmentChoices(request.actor!),
    }),
  );

  app.post(
    '/admin/courses',
    { config: changing, schema: { hide: true, body: CourseBody } },
    async (request, reply) => {
      try {
        await structure.saveOne(request.actor!, 'courses', request.body, 'create');
      } catch (error) {
        if (!isFormProblem(error)) throw error;
        return sendPage(
          reply,
          NewCoursePage,
          {
            ctx: await pageContext(request),
            departments: await structure.departmentChoices(request.actor!),
            failed: { values: valuesOf(request.body), errors: error.fields },
          },
          error.status,
        );
      }
      return reply.redirect('/admin/courses?done=created', 303);
    },
  );

  const coursePage = async (
    request: FastifyRequest,
    code: string,
    extra: { notice?: string; failed?: FailedForm },
  ) => ({
    ctx: await pageContext(request),
    detail: await structure.course(request.actor!, code),
    departments: await structure.departmentChoices(request.actor!),
    ...extra,
  });

  app.get(
    '/admin/courses/:code',
    { config: viewing, schema: { hide: true, params: CodeParams, querystring: Done } },
    async (request, reply) =>
      sendPage(
        reply,
        CoursePage,
        await coursePage(request, request.params.code, { notice: noticeOf(request.query.done, 'courses') }),
      ),
  );

  app.post(
    '/admin/courses/:code',
    { config: changing, schema: { hide: true, params: CodeParams, body: CourseBody } },
    async (request, reply) => {
      const { course } = await structure.course(request.actor!, request.params.code);
      // The code is the course's key everywhere: its subject and number stay as they are.
      const values = { ...request.body, subject: course.subject, number: course.number };
      return saveForm(
        request,
        reply,
        `/admin/courses/${encodeURIComponent(course.code)}`,
        () => structure.saveOne(request.actor!, 'courses', values, 'update'),
        async (failed) =>
          sendPage(reply, CoursePage, await coursePage(request, course.code, { failed }), reply.statusCode),
      );
    },
  );

  app.post(
    '/admin/courses/:code/active',
    {
      config: changing,
      schema: {
        hide: true,
        params: CodeParams,
        body: Type.Object({ active: Type.Union([Type.Literal('yes'), Type.Literal('no')]), ...Csrf }),
      },
    },
    async (request, reply) => {
      const isActive = request.body.active === 'yes';
      await structure.setCourseActive(request.actor!, request.params.code, isActive);
      const where = `/admin/courses/${encodeURIComponent(request.params.code)}`;
      return reply.redirect(`${where}?done=${isActive ? 'reactivated' : 'deactivated'}`, 303);
    },
  );

  app.post(
    '/admin/courses/:code/confirm',
    {
      config: { access: catalogRoles.confirm_course },
      schema: { hide: true, params: CodeParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await structure.confirmCourse(request.actor!, request.params.code);
      return reply.redirect(`/admin/courses/${encodeURIComponent(request.params.code)}?done=confirmed`, 303);
    },
  );
}
