import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { catalogRoles } from './catalog.policy.ts';
import { CoursePage, CoursesPage, NewCoursePage } from './courses.views.tsx';
import type { AcademicStructureService } from './structure.service.ts';
import { DepartmentsPage, RecordEditPage, TermsPage } from './structure.views.tsx';
import type { FailedForm } from './structure-parts.tsx';

interface Deps {
  structure: AcademicStructureService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const viewing = { access: catalogRoles.view_structure };
const changing = { access: catalogRoles.change_structure };
const Csrf = { _csrf: Type.Optional(Type.String()) };
// Shapes and lengths are checked by the service, which names the field and the reason.
const Text = Type.Optional(Type.String({ maxLength: 2000 }));
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
const DepartmentBody = Type.Object({ code: Text, name: Text, head: Text, ...Csrf });
const TermBody = Type.Object({ code: Text, name: Text, startsOn: Text, endsOn: Text, ...Csrf });
const CourseBody = Type.Object({
  subject: Text,
  number: Text,
  title: Text,
  credits: Text,
  department: Text,
  level: Text,
  ...Csrf,
});

const notices: Record<string, string> = {
  created: 'It is added.',
  updated: 'The changes are saved.',
  unchanged: 'Nothing had changed, so nothing was saved.',
  imported: 'The file is imported.',
  confirmed: 'The course is confirmed.',
  deactivated: 'The course is deactivated.',
  reactivated: 'The course is in use again.',
};
const doneOf: Record<string, string> = { create: 'created', update: 'updated', unchanged: 'unchanged' };
const noticeOf = (done: string | undefined) => (done ? notices[done] : undefined);
const isFormProblem = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === 'VALIDATION_FAILED';

/** Form values without the CSRF token, as strings, to show again. */
function valuesOf(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (key !== '_csrf') values[key] = String(value ?? '');
  return values;
}

/** The registrar's screens for departments, terms and courses: lists, plain forms, and course actions. */
export function registerStructureRoutes(app: HttpServer, { structure, pageContext }: Deps): void {
  /** Saves one form; a refused one is drawn again by `again` with the problems beside its fields. */
  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    back: string,
    work: () => Promise<string>,
    again: (failed: FailedForm) => Promise<FastifyReply>,
  ) => {
    try {
      const outcome = await work();
      return reply.redirect(`${back}?done=${doneOf[outcome] ?? 'updated'}`, 303);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      reply.status(error.status);
      return again({ values: valuesOf(request.body as Record<string, unknown>), errors: error.fields });
    }
  };

  app.get(
    '/admin/departments',
    { config: viewing, schema: { hide: true, querystring: Done } },
    async (request, reply) =>
      sendPage(reply, DepartmentsPage, {
        ctx: await pageContext(request),
        list: await structure.departments(request.actor!),
        notice: noticeOf(request.query.done),
      }),
  );

  app.post(
    '/admin/departments',
    { config: changing, schema: { hide: true, body: DepartmentBody } },
    async (request, reply) =>
      save(
        request,
        reply,
        '/admin/departments',
        () => structure.saveOne(request.actor!, 'departments', request.body, 'create'),
        async (failed) =>
          sendPage(
            reply,
            DepartmentsPage,
            {
              ctx: await pageContext(request),
              list: await structure.departments(request.actor!),
              failed,
            },
            reply.statusCode,
          ),
      ),
  );

  app.get(
    '/admin/terms',
    { config: viewing, schema: { hide: true, querystring: Done } },
    async (request, reply) =>
      sendPage(reply, TermsPage, {
        ctx: await pageContext(request),
        list: await structure.terms(request.actor!),
        notice: noticeOf(request.query.done),
      }),
  );

  app.post(
    '/admin/terms',
    { config: changing, schema: { hide: true, body: TermBody } },
    async (request, reply) =>
      save(
        request,
        reply,
        '/admin/terms',
        () => structure.saveOne(request.actor!, 'terms', request.body, 'create'),
        async (failed) =>
          sendPage(
            reply,
            TermsPage,
            {
              ctx: await pageContext(request),
              list: await structure.terms(request.actor!),
              failed,
            },
            reply.statusCode,
          ),
      ),
  );

  for (const kind of ['departments', 'terms'] as const) {
    const Body = kind === 'departments' ? DepartmentBody : TermBody;
    const lookUp = async (actor: NonNullable<FastifyRequest['actor']>, code: string) => {
      const list =
        kind === 'departments'
          ? (await structure.departments(actor)).departments
          : (await structure.terms(actor)).terms;
      const found = list.find((r) => r.code === code);
      if (!found)
        throw new AppError(
          'NOT_FOUND',
          `That ${kind === 'departments' ? 'department' : 'term'} could not be found.`,
        );
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(found)) values[key] = value === null ? '' : String(value);
      if (kind === 'departments') values.head = values.headEmail ?? '';
      return values;
    };
    app.get(
      `/admin/${kind}/:code`,
      { config: changing, schema: { hide: true, params: CodeParams } },
      async (request, reply) =>
        sendPage(reply, RecordEditPage, {
          ctx: await pageContext(request),
          kind,
          values: await lookUp(request.actor!, (request.params as { code: string }).code),
        }),
    );
    app.post(
      `/admin/${kind}/:code`,
      { config: changing, schema: { hide: true, params: CodeParams, body: Body } },
      async (request, reply) => {
        const { code } = request.params as { code: string };
        const values = { ...(request.body as Record<string, unknown>), code };
        // Back to the list, where the saved record shows among the others.
        return save(
          request,
          reply,
          `/admin/${kind}`,
          async () => {
            await lookUp(request.actor!, code);
            return structure.saveOne(request.actor!, kind, values, 'update');
          },
          async (failed) =>
            sendPage(
              reply,
              RecordEditPage,
              { ctx: await pageContext(request), kind, values: failed.values, failed },
              reply.statusCode,
            ),
        );
      },
    );
  }

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
        notice: noticeOf(done),
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
        await coursePage(request, request.params.code, { notice: noticeOf(request.query.done) }),
      ),
  );

  app.post(
    '/admin/courses/:code',
    { config: changing, schema: { hide: true, params: CodeParams, body: CourseBody } },
    async (request, reply) => {
      const { course } = await structure.course(request.actor!, request.params.code);
      // The code is the course's key everywhere: its subject and number stay as they are.
      const values = { ...request.body, subject: course.subject, number: course.number };
      return save(
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
