import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { csvLine } from '../platform/csv.ts';
import { AppError } from '../platform/errors.ts';
import { actingParty } from '../platform/http/access.ts';
import { batchFileName, sendCsv } from '../platform/http/csv-download.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { CompletionImportsService, ImportResult } from './completion-imports.service.ts';
import { ImportReportPage, ImportsPage } from './imports.views.tsx';
import { learnersRoles } from './learners.policy.ts';
import { MAX_IMPORT_BYTES, refuseFile } from './spool-upload.ts';

interface Deps {
  imports: CompletionImportsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SHOWN_ROWS = 500;
const API_REJECTED_ROWS = 100;

/** Refusals of a whole file: shown on the upload page (people) or as a problem document (API). */
const isFileRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'PAYLOAD_TOO_LARGE');

const ReportSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fileName: Type.String(),
  sha256: Type.String(),
  importedAt: Type.String({ format: 'date-time' }),
  counts: Type.Object({
    rows: Type.Integer(),
    accepted: Type.Integer({ description: 'New completions written' }),
    updated: Type.Integer({ description: 'Stored completions corrected (grade, credits or date)' }),
    unchanged: Type.Integer({ description: 'Rows identical to what is stored' }),
    rejected: Type.Integer({ description: 'Rows not imported; see rejectedRows and the CSV report' }),
    pendingTermEnd: Type.Integer({
      description:
        'Rows taken (among accepted, updated and unchanged) for a term that has not ended: graded, pending term end; they count from the term’s last day',
    }),
  }),
  earlierImportId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'An earlier import of a file with the same content',
  }),
  rejectedRows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String(),
      studentId: Type.String(),
      course: Type.String(),
      term: Type.String(),
    }),
    { description: `The first ${API_REJECTED_ROWS} rejected rows` },
  ),
  reportUrl: Type.String(),
  reportCsvUrl: Type.String(),
});

/** Upload page, report pages and CSV, and the API: all call `CompletionImportsService.importCompletions`. */
export function registerImportRoutes(app: HttpServer, { imports, pageContext }: Deps): void {
  const uploadPage = async (request: FastifyRequest, problem?: string) =>
    ({
      ctx: await pageContext(request),
      imports: await imports.listImports(),
      ...(await imports.termsOnPage()),
      problem,
    }) as const;

  app.get(
    '/learners/imports',
    { config: { access: learnersRoles.import_completions }, schema: { hide: true } },
    async (request, reply) => sendPage(reply, ImportsPage, await uploadPage(request)),
  );

  app.post(
    '/learners/imports',
    {
      config: { access: learnersRoles.import_completions },
      // The CSRF token travels in the form's action URL, since the multipart body is read only afterwards.
      schema: { hide: true, querystring: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('UNSUPPORTED_MEDIA', 'Send the file from the upload form (multipart/form-data).');
      }
      const part = await request.file({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });
      if (!part || part.filename === '') {
        part?.file.resume();
        return sendPage(reply, ImportsPage, await uploadPage(request, 'Choose a CSV file to import.'), 400);
      }
      part.file.on('limit', () =>
        part.file.destroy(refuseFile('it is larger than 50 MB', 'PAYLOAD_TOO_LARGE')),
      );
      let result: ImportResult;
      try {
        result = await imports.importCompletions(request.actor!, part.file, part.filename, 'web');
      } catch (error) {
        if (!isFileRefusal(error)) throw error;
        return sendPage(reply, ImportsPage, await uploadPage(request, error.publicMessage), error.status);
      }
      return reply.redirect(`/learners/imports/${result.id}`, 303);
    },
  );

  app.get(
    '/learners/imports/:id',
    { config: { access: learnersRoles.import_completions }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const { id } = request.params;
      const result = await imports.findImport(id);
      const [rejected, updated, pending] = await Promise.all([
        imports.reportRows(id, { outcome: 'rejected', limit: SHOWN_ROWS }),
        imports.reportRows(id, { outcome: 'updated', limit: SHOWN_ROWS }),
        imports.reportRows(id, { pending: true, limit: SHOWN_ROWS }),
      ]);
      return sendPage(reply, ImportReportPage, {
        ctx: await pageContext(request),
        result,
        rejected,
        updated,
        pending,
        shownLimit: SHOWN_ROWS,
      });
    },
  );

  app.get(
    '/learners/imports/:id/report.csv',
    { config: { access: learnersRoles.import_completions }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const result = await imports.findImport(request.params.id);
      const rows = imports.allReportRows(result.id);
      async function* lines() {
        yield csvLine(['line', 'outcome', 'reason', 'student_id', 'course_code', 'term', 'counts_from']);
        for await (const r of rows)
          yield csvLine([r.rowNumber, r.outcome, r.reason, r.studentId, r.course, r.term, r.countsFrom]);
      }
      return sendCsv(
        reply,
        batchFileName('completions-import', result.createdAt, result.id),
        Readable.from(lines()),
      );
    },
  );

  app.post(
    '/api/imports/completions',
    {
      config: { access: learnersRoles.import_completions, scope: 'completions:write' },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['Learners'],
        summary: 'Import course completions from the student information system',
        description:
          'The body is the CSV file itself (Content-Type: text/csv; UTF-8; header row with student_id, course_code, ' +
          'term, grade, credits and optionally completed_on, email, source). Rows are validated one by one; ' +
          're-sending the same file changes nothing. A file that cannot be read is refused whole with 400.',
        consumes: ['text/csv'],
        querystring: Type.Object({
          fileName: Type.Optional(
            Type.String({ maxLength: 200, description: 'Name to show in the import list' }),
          ),
        }),
        response: { 201: ReportSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      if (!(body instanceof Readable)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA',
          'Send the file as the request body with Content-Type: text/csv.',
        );
      }
      const result = await imports.importCompletions(
        actingParty(request),
        body,
        request.query.fileName ?? 'api-upload.csv',
        'api',
      );
      const rejected = await imports.reportRows(result.id, { outcome: 'rejected', limit: API_REJECTED_ROWS });
      return reply.status(201).send({
        id: result.id,
        fileName: result.fileName,
        sha256: result.sha256,
        importedAt: result.createdAt.toISOString(),
        counts: {
          rows: result.rowsTotal,
          accepted: result.accepted,
          updated: result.updated,
          unchanged: result.unchanged,
          rejected: result.rejected,
          pendingTermEnd: result.pendingTermEnd,
        },
        earlierImportId: result.earlierImport?.id ?? null,
        rejectedRows: rejected.map((r) => ({
          line: r.rowNumber,
          reason: r.reason ?? '',
          studentId: r.studentId,
          course: r.course,
          term: r.term,
        })),
        reportUrl: `/learners/imports/${result.id}`,
        reportCsvUrl: `/learners/imports/${result.id}/report.csv`,
      });
    },
  );
}
