import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { type FullProposalAnswers, maxDocumentBytes } from './full-proposal.ts';
import { FullProposalPage } from './full-proposal.views.tsx';
import type { DocumentUpload } from './full-proposals.service.ts';
import type { ProgramRouteDeps } from './program-route-deps.ts';
import { programsRoles } from './programs.policy.ts';

const Id = Type.String({ format: 'uuid' });
const Csrf = { _csrf: Type.Optional(Type.String()) };
const Answer = Type.Optional(Type.String({ maxLength: 40_000 }));

const notices: Record<string, string> = {
  saved: 'Your draft is saved; submit it when it is complete.',
  uploaded: 'The document is uploaded.',
  removed: 'The document is removed.',
};

const isUserProblem = (error: unknown): error is AppError =>
  error instanceof AppError && ['VALIDATION_FAILED', 'INVALID_STATE'].includes(error.code);

/** Reads the upload form's one file; one past the limit comes back marked truncated, for a message, not a 413. */
async function readDocumentUpload(request: FastifyRequest): Promise<DocumentUpload | undefined> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA', 'This form must be sent as multipart/form-data.');
  }
  const parts = request.parts({
    limits: { fileSize: maxDocumentBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0]);
  let upload: DocumentUpload | undefined;
  for await (const part of parts) {
    if (part.type !== 'file') continue;
    const content = await part.toBuffer();
    if (part.fieldname === 'document') {
      upload ??= { filename: part.filename ?? '', content, truncated: part.file.truncated };
    }
  }
  return upload;
}

/**
 * The post-pilot full proposal at /programs/<id>/full-proposal: the page, the lead's saves and submission, the
 * documents' upload, removal and download. Who may do what is the service's question (the programs policy).
 */
export function registerFullProposalRoutes(
  app: HttpServer,
  { programs, pageContext }: ProgramRouteDeps,
): void {
  const { fullProposals, review } = programs;

  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { problem?: AppError; answers?: Partial<FullProposalAnswers>; notice?: string | undefined } = {},
  ) => {
    const view = await fullProposals.view(request.actor!, id);
    return sendPage(
      reply,
      FullProposalPage,
      {
        ctx: await pageContext(request),
        view,
        ...(extra.answers ? { answers: extra.answers } : {}),
        errors: extra.problem?.fields ?? [],
        message: extra.problem?.publicMessage,
        notice: extra.notice,
      },
      extra.problem?.status ?? 200,
    );
  };

  app.get(
    '/programs/:id/full-proposal',
    {
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }),
      },
    },
    async (request, reply) =>
      showPage(request, reply, request.params.id, { notice: notices[request.query.done ?? ''] }),
  );

  app.post(
    '/programs/:id/full-proposal',
    {
      config: { access: programsRoles.prepare_full_proposal },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          pilot_outcome: Answer,
          enrolment_evidence: Answer,
          proposed_changes: Answer,
          resources: Answer,
          assessment_plan: Answer,
          intent: Type.Union([Type.Literal('save'), Type.Literal('submit')]),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { intent, _csrf, ...answers } = request.body;
      try {
        // Saved first, so a refused submission keeps what was typed; the submission then checks it all.
        await fullProposals.saveDraft(request.actor!, id, answers);
        if (intent === 'submit') {
          await review.submitFullProposal(request.actor!, id);
          return reply.redirect(`/programs/${id}?done=submit_full_proposal`, 303);
        }
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showPage(request, reply, id, { problem: error, answers });
      }
      return reply.redirect(`/programs/${id}/full-proposal?done=saved`, 303);
    },
  );

  app.post(
    '/programs/:id/full-proposal/documents',
    {
      config: { access: programsRoles.prepare_full_proposal },
      schema: { hide: true, params: Type.Object({ id: Id }), querystring: Type.Object({ ...Csrf }) },
    },
    async (request, reply) => {
      const { id } = request.params;
      const upload = await readDocumentUpload(request);
      try {
        await fullProposals.uploadDocument(request.actor!, id, upload);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showPage(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}/full-proposal?done=uploaded`, 303);
    },
  );

  app.post(
    '/programs/:id/full-proposal/documents/:documentId/remove',
    {
      config: { access: programsRoles.prepare_full_proposal },
      schema: {
        hide: true,
        params: Type.Object({ id: Id, documentId: Id }),
        body: Type.Object({ ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id, documentId } = request.params;
      try {
        await fullProposals.removeDocument(request.actor!, id, documentId);
      } catch (error) {
        if (!isUserProblem(error)) throw error;
        return showPage(request, reply, id, { problem: error });
      }
      return reply.redirect(`/programs/${id}/full-proposal?done=removed`, 303);
    },
  );

  app.get(
    '/programs/:id/full-proposal/documents/:documentId',
    {
      config: { access: 'signed-in' },
      schema: { hide: true, params: Type.Object({ id: Id, documentId: Id }) },
    },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const document = await fullProposals.downloadDocument(request.actor!, id, documentId);
      const ascii = document.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      // Always a download, never shown in the page's origin: a PDF may carry script of its own.
      return reply
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.filename)}`,
        )
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .type(document.content_type)
        .send(Buffer.from(document.content));
    },
  );
}
