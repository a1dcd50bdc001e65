import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { registerCourseRoutes } from './courses.routes.ts';
import { DepartmentsPage, RecordEditPage, TermsPage } from './structure.views.tsx';
import {
  CodeParams,
  changing,
  DepartmentBody,
  Done,
  noticeOf,
  type StructureDeps,
  saveForm,
  TermBody,
  viewing,
} from './structure-forms.ts';

/** The registrar's screens for departments, terms and courses: lists, plain forms, and course actions. */
export function registerStructureRoutes(app: HttpServer, { structure, pageContext }: StructureDeps): void {
  app.get(
    '/admin/departments',
    { config: viewing, schema: { hide: true, querystring: Done } },
    async (request, reply) =>
      sendPage(reply, DepartmentsPage, {
        ctx: await pageContext(request),
        list: await structure.departments(request.actor!),
        notice: noticeOf(request.query.done, 'departments'),
      }),
  );

  app.post(
    '/admin/departments',
    { config: changing, schema: { hide: true, body: DepartmentBody } },
    async (request, reply) =>
      saveForm(
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
        notice: noticeOf(request.query.done, 'terms'),
      }),
  );

  app.post(
    '/admin/terms',
    { config: changing, schema: { hide: true, body: TermBody } },
    async (request, reply) =>
      saveForm(
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
        return saveForm(
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

  registerCourseRoutes(app, { structure, pageContext });
}
