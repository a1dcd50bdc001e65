import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { MAX_UPLOAD_BYTES } from '../verification/read-uploaded-badge.ts';
import type { ImportedBadgesService } from './imported-badges.service.ts';
import { ImportBadgePage, ImportedBadgePage } from './imported-badges.views.tsx';

interface Deps {
  importedBadges: ImportedBadgesService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Csrf = { _csrf: Type.Optional(Type.String()) };

const notices: Record<string, string> = {
  added: 'The badge is in your backpack.',
  checked: 'The badge was checked again.',
};

/** A refusal the learner can act on is shown on the form; anything else goes to the error page. */
const refusalOf = (error: unknown): string | null =>
  error instanceof AppError && (error.code === 'UNPROCESSABLE' || error.code === 'CONFLICT')
    ? error.publicMessage
    : null;

/** Bringing badges from other issuers into the backpack (the learner's own; every route is signed in). */
export function registerImportedBadgeRoutes(app: HttpServer, { importedBadges, pageContext }: Deps): void {
  app.get(
    '/backpack/import',
    { config: { access: 'signed-in' }, schema: { hide: true } },
    async (request, reply) => sendPage(reply, ImportBadgePage, { ctx: await pageContext(request) }),
  );

  app.post(
    '/backpack/import/link',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, body: Type.Object({ url: Type.String({ maxLength: 2000 }), ...Csrf }) },
    },
    async (request, reply) => {
      try {
        const id = await importedBadges.importLink(request.actor!, request.body.url);
        return reply.redirect(`/backpack/imported/${id}?done=added`, 303);
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        const ctx = await pageContext(request);
        return sendPage(reply, ImportBadgePage, { ctx, refusal, url: request.body.url }, 422);
      }
    },
  );

  // Uploads are accepted in this scope only, with the verifier's own limits (its form's fields: the token, the text).
  app.register(async (scope) => {
    await acceptMultipart(scope, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 6 },
    });
    scope.post(
      '/backpack/import',
      {
        // The form's token is in its body (the form is read whole, within the upload limits), never in the address.
        config: { access: 'signed-in', csrfTokenInBody: true },
        schema: {
          hide: true,
          body: Type.Object({
            file: Type.Optional(Type.Unknown()),
            text: Type.Optional(Type.String()),
            ...Csrf,
          }),
        },
      },
      async (request, reply) => {
        const { file, text } = request.body as { file?: unknown; text?: string };
        const bytes =
          Buffer.isBuffer(file) && file.length > 0
            ? file
            : typeof file === 'string' && file.trim() !== ''
              ? Buffer.from(file, 'utf8')
              : text?.trim()
                ? Buffer.from(text.trim(), 'utf8')
                : null;
        const ctx = await pageContext(request);
        if (!bytes) {
          const refusal = 'Choose a badge file, or paste a badge, to add it.';
          return sendPage(reply, ImportBadgePage, { ctx, refusal }, 400);
        }
        try {
          const id = await importedBadges.importFile(request.actor!, bytes);
          return reply.redirect(`/backpack/imported/${id}?done=added`, 303);
        } catch (error) {
          const refusal = refusalOf(error);
          if (!refusal) throw error;
          return sendPage(reply, ImportBadgePage, { ctx, refusal }, 422);
        }
      },
    );
  });

  app.get(
    '/backpack/imported/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) => {
      const badge = await importedBadges.find(request.actor!, request.params.id);
      const notice = request.query.done ? notices[request.query.done] : undefined;
      return sendPage(reply, ImportedBadgePage, { ctx: await pageContext(request), badge, notice });
    },
  );

  app.get(
    '/backpack/imported/:id/download',
    { config: { access: 'signed-in' }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const download = await importedBadges.download(request.actor!, request.params.id);
      return reply
        .type(download.type)
        .header('content-disposition', `attachment; filename="${download.filename}"`)
        .send(download.body);
    },
  );

  app.post(
    '/backpack/imported/:id/check',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await importedBadges.checkAgain(request.actor!, request.params.id);
      return reply.redirect(`/backpack/imported/${request.params.id}?done=checked`, 303);
    },
  );

  app.post(
    '/backpack/imported/:id/remove',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: IdParams, body: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      await importedBadges.remove(request.actor!, request.params.id);
      return reply.redirect('/backpack?saved=removed', 303);
    },
  );
}
