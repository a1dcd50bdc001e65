import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { catalogRoles } from './catalog.policy.ts';
import type { AcademicStructureService } from './structure.service.ts';
import { ImportPreviewPage, ImportUploadPage } from './structure-import.views.tsx';
import {
  readStructureFile,
  StructureFileRefusal,
  type StructureKind,
  structureKinds,
} from './structure-import-file.ts';

interface Deps {
  structure: AcademicStructureService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

/** A whole university's courses fit well within this; the confirm form posts the file back, so it stays small. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const importing = { access: catalogRoles.import_structure };
const lineOf = (line: number) => ({ prefix: `line ${line}: `, line });

/**
 * CSV imports of departments, terms and courses: upload, a preview of every line's outcome, then a confirmation
 * that posts the same file back and applies it in one transaction. The scope alone accepts multipart uploads.
 */
export function registerStructureImportRoutes(app: HttpServer, deps: Deps): void {
  app.register(async (plain: FastifyInstance) => {
    await acceptMultipart(plain, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 2 } });
    const scoped = plain.withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpServer;
    for (const kind of structureKinds) registerKind(scoped, kind, deps);
  });
}

function registerKind(app: HttpServer, kind: StructureKind, { structure, pageContext }: Deps): void {
  const upload = async (request: FastifyRequest, reply: FastifyReply, problem?: string, status = 200) =>
    sendPage(reply, ImportUploadPage, { ctx: await pageContext(request), kind, problem }, status);

  /** The preview of a file, or the upload page again saying why the file could not be read. */
  const preview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    fileName: string,
    csv: string,
    status = 200,
  ) => {
    let rows: ReturnType<typeof readStructureFile>;
    try {
      rows = readStructureFile(kind, csv);
    } catch (error) {
      if (!(error instanceof StructureFileRefusal)) throw error;
      return upload(request, reply, `The file was not read: ${error.reason}.`, 400);
    }
    const batch = rows.map((r) => ({ position: r.line, values: r.values }));
    const result = await structure.preview(request.actor!, kind, batch);
    const ctx = await pageContext(request);
    return sendPage(reply, ImportPreviewPage, { ctx, kind, fileName, csv, preview: result }, status);
  };

  app.get(`/admin/${kind}/import`, { config: importing, schema: { hide: true } }, (request, reply) =>
    upload(request, reply),
  );

  app.post(
    `/admin/${kind}/import`,
    {
      config: importing,
      // The CSRF token travels in the form's action URL, since the multipart body is read only afterwards.
      schema: { hide: true, querystring: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('UNSUPPORTED_MEDIA', 'Send the file from the upload form (multipart/form-data).');
      }
      const part = await request.file();
      if (!part || part.filename === '') {
        part?.file.resume();
        return upload(request, reply, 'Choose a CSV file to import.', 400);
      }
      const bytes = await part.toBuffer().catch((error: unknown) => {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return null;
        throw error;
      });
      if (bytes === null)
        return upload(request, reply, 'The file was not read: it is larger than 2 MB.', 413);
      return preview(request, reply, part.filename.slice(0, 200), bytes.toString('utf8'));
    },
  );

  app.post(
    `/admin/${kind}/import/apply`,
    {
      config: importing,
      bodyLimit: MAX_FILE_BYTES * 2,
      schema: {
        hide: true,
        body: Type.Object({
          csv: Type.String({ maxLength: MAX_FILE_BYTES }),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { csv, fileName = 'upload.csv' } = request.body;
      let rows: ReturnType<typeof readStructureFile>;
      try {
        rows = readStructureFile(kind, csv);
      } catch (error) {
        if (!(error instanceof StructureFileRefusal)) throw error;
        return upload(request, reply, `The file was not read: ${error.reason}.`, 400);
      }
      const batch = rows.map((r) => ({ position: r.line, values: r.values }));
      try {
        await structure.applyBatch(request.actor!, kind, batch, lineOf);
      } catch (error) {
        // Something changed since the preview and a line is now refused: show the preview as it stands now.
        if (!(error instanceof AppError && error.code === 'UNPROCESSABLE')) throw error;
        return preview(request, reply, fileName, csv, error.status);
      }
      return reply.redirect(`/admin/${kind}?done=imported`, 303);
    },
  );
}
