import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { catalogRoles } from './catalog.policy.ts';
import type { CertificateForm } from './certificate-content.ts';
import type { CertificateEditorService } from './certificate-editor.service.ts';
import {
  CertificateEditorPage,
  CertificateListPage,
  NewCertificatePage,
} from './certificate-editor.views.tsx';

const reading = { access: catalogRoles.read_certificate_drafts };
const editing = { access: catalogRoles.edit_certificates };
const publishing = { access: catalogRoles.publish_certificates };

const SlugParams = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }),
});
// Lengths and shapes are the service's to check, so that each problem names its field on the form.
const Text = Type.Optional(Type.String({ maxLength: 10_000 }));
const FormBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  title: Text,
  slug: Text,
  description: Text,
  level: Text,
  creditsRequired: Text,
  isTranscripted: Text,
  badgesRequired: Text,
  outcome: Text,
  programIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })),
  requiredCourses: Text,
  electiveCourses: Text,
  note: Text,
});

const notices: Record<string, string> = {
  created: 'The certificate is saved as a draft. Publish it when it is ready for the public.',
  saved: 'The draft is saved. The public page still shows the published version.',
  published: 'Published: the public pathway page now shows this version.',
};

const formOf = (body: Record<string, unknown>): CertificateForm => {
  const { _csrf, ...form } = body;
  return form as CertificateForm;
};

/** A problem with what was typed: shown on the form again, never a bare error page. */
const isFormProblem = (error: unknown): error is AppError =>
  error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_STATE');

/** The staff screens that create, edit and publish certificates. */
export function registerCertificateEditorRoutes(
  app: HttpServer,
  deps: { editor: CertificateEditorService; pageContext: (r: FastifyRequest) => Promise<PageContext> },
): void {
  const { editor, pageContext } = deps;
  const showEditor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    failed?: { form?: CertificateForm; error: AppError },
  ) => {
    const view = await editor.view(request.actor!, slug);
    const errors = failed?.error.fields ?? [];
    const problem = failed && errors.length === 0 ? failed.error.publicMessage : undefined;
    return sendPage(
      reply,
      CertificateEditorPage,
      { ctx: await pageContext(request), view, form: failed?.form, errors, problem },
      failed?.error.status ?? 200,
    );
  };

  app.get('/certificates', { config: reading, schema: { hide: true } }, async (request, reply) => {
    const listing = await editor.list(request.actor!);
    return sendPage(reply, CertificateListPage, { ctx: await pageContext(request), listing });
  });

  app.get('/certificates/new', { config: editing, schema: { hide: true } }, async (request, reply) => {
    const { badges } = await editor.blank(request.actor!);
    return sendPage(reply, NewCertificatePage, { ctx: await pageContext(request), badges });
  });

  app.post(
    '/certificates',
    { config: editing, schema: { hide: true, body: FormBody } },
    async (request, reply) => {
      const form = formOf(request.body);
      try {
        const slug = await editor.create(request.actor!, form);
        return reply.redirect(`/certificates/${slug}?done=created`, 303);
      } catch (error) {
        if (!isFormProblem(error)) throw error;
        const { badges } = await editor.blank(request.actor!);
        const ctx = await pageContext(request);
        return sendPage(reply, NewCertificatePage, { ctx, badges, form, errors: error.fields }, error.status);
      }
    },
  );

  app.get(
    '/certificates/:slug',
    {
      config: reading,
      schema: {
        hide: true,
        params: SlugParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const view = await editor.view(request.actor!, request.params.slug);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, CertificateEditorPage, { ctx: await pageContext(request), view, notice });
    },
  );

  app.post(
    '/certificates/:slug',
    { config: editing, schema: { hide: true, params: SlugParams, body: FormBody } },
    async (request, reply) => {
      const form = formOf(request.body);
      try {
        const slug = await editor.saveDraft(request.actor!, request.params.slug, form);
        return reply.redirect(`/certificates/${slug}?done=saved`, 303);
      } catch (error) {
        if (!isFormProblem(error)) throw error;
        return showEditor(request, reply, request.params.slug, { form, error });
      }
    },
  );

  app.post(
    '/certificates/:slug/publish',
    {
      config: publishing,
      schema: { hide: true, params: SlugParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      try {
        await editor.publish(request.actor!, request.params.slug);
        return reply.redirect(`/certificates/${request.params.slug}?done=published`, 303);
      } catch (error) {
        if (!isFormProblem(error)) throw error;
        return showEditor(request, reply, request.params.slug, { error });
      }
    },
  );
}
