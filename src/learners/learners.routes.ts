import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import { acceptMultipart } from '../platform/http/multipart.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { CompletionImportsService } from './completion-imports.service.ts';
import { registerEnrolmentRoutes } from './enrolment.routes.ts';
import { registerImportRoutes } from './imports.routes.ts';
import { registerLearnerRecordRoutes } from './learner-records.routes.ts';
import type { LearnerRecordsService } from './learner-records.service.ts';
import {
  canConfirmIdentity,
  isOwnRecord,
  learnersRoles,
  mayDo,
  OWN_IDENTITY_REFUSAL,
} from './learners.policy.ts';
import type { LearnersService } from './learners.service.ts';
import { LearnerRecordPage, LearnersPage } from './learners.views.tsx';
import type { ReactivationsService } from './reactivations.service.ts';
import { ReactivationsPage } from './reactivations.views.tsx';
import { registerRecordLinkingRoutes } from './record-linking.routes.ts';
import type { RecordLinkingService } from './record-linking.service.ts';
import { MAX_IMPORT_BYTES } from './spool-upload.ts';

export interface LearnerRouteDeps {
  learners: LearnersService;
  reactivations: ReactivationsService;
  imports: CompletionImportsService;
  recordLinking: RecordLinkingService;
  learnerRecords: LearnerRecordsService;
  pageContext: (request: FastifyRequest) => Promise<PageContext>;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The learners module's pages and API, in a scope of their own: multipart uploads and `text/csv` bodies are
 * accepted here and nowhere else.
 */
export function registerLearnerRoutes(app: HttpServer, deps: LearnerRouteDeps): void {
  app.register(async (plain: FastifyInstance) => {
    await acceptMultipart(plain, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });
    // Handed over unread: the import streams it (and enforces its own size limit).
    plain.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) =>
      done(null, payload),
    );
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpServer;
    registerEnrolmentRoutes(scope, deps);
    registerImportRoutes(scope, deps);
    registerRecordRoutes(scope, deps);
    registerLearnerRecordRoutes(scope, deps);
  });
}

function registerRecordRoutes(
  app: HttpServer,
  { learners, reactivations, imports, recordLinking, pageContext }: LearnerRouteDeps,
) {
  app.get(
    '/learners',
    {
      config: { access: learnersRoles.read_records },
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (request, reply) => {
      const found = await learners.searchLearners(request.actor!, request.query.q);
      return sendPage(reply, LearnersPage, {
        ctx: await pageContext(request),
        q: request.query.q,
        learners: found,
      });
    },
  );

  app.get(
    '/learners/reactivations',
    {
      config: { access: learnersRoles.decide_reactivations },
      schema: {
        hide: true,
        querystring: Type.Object({
          done: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('declined')])),
        }),
      },
    },
    async (request, reply) => {
      const { pending, decided } = await reactivations.queue(request.actor!);
      const done = request.query.done;
      const notice =
        done === 'approved'
          ? 'Approved: the student is enrolled and has been told by e-mail.'
          : done === 'declined'
            ? 'Declined: the student has been sent your comment.'
            : undefined;
      return sendPage(reply, ReactivationsPage, {
        ctx: await pageContext(request),
        pending,
        decided,
        notice,
      });
    },
  );

  app.post(
    '/learners/reactivations/:id',
    {
      config: { access: learnersRoles.decide_reactivations },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
          comment: Type.Optional(Type.String({ maxLength: 4000 })),
          identityVerified: Type.Optional(Type.Literal('yes')),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { decision, comment = '', identityVerified } = request.body;
      try {
        if (decision === 'approve') {
          const verified = identityVerified === 'yes';
          await reactivations.approve(request.actor!, request.params.id, comment, verified);
        } else await reactivations.decline(request.actor!, request.params.id, comment);
      } catch (error) {
        if (
          !(error instanceof AppError) ||
          !['VALIDATION_FAILED', 'INVALID_STATE', 'CONFLICT'].includes(error.code)
        ) {
          throw error;
        }
        const { pending, decided } = await reactivations.queue(request.actor!);
        const problem = { message: error.publicMessage, fields: error.fields };
        return sendPage(
          reply,
          ReactivationsPage,
          { ctx: await pageContext(request), pending, decided, problem },
          error.status,
        );
      }
      return reply.redirect(
        `/learners/reactivations?done=${decision === 'approve' ? 'approved' : 'declined'}`,
        303,
      );
    },
  );

  const showRecord = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { notice?: string; errors?: FieldProblem[]; accountSearch?: string } = {},
    status = 200,
  ) => {
    const actor = request.actor!;
    const record = await learners.learnerRecord(actor, id);
    const accountPanel = await recordLinking.accountPanel(actor, record.learner, extra.accountSearch);
    const isRecordsStaff = mayDo(actor, 'import_completions');
    const touching = isRecordsStaff ? await imports.importsTouching(record.learner.id) : null;
    const ctx = await pageContext(request);
    const canConfirm = canConfirmIdentity(actor, record.learner) && !record.learner.identityConfirmed;
    const ownRecordRefusal =
      mayDo(actor, 'confirm_identity') && isOwnRecord(actor, record.learner)
        ? OWN_IDENTITY_REFUSAL
        : undefined;
    const props = {
      ctx,
      record,
      imports: touching,
      canConfirmIdentity: canConfirm,
      ownRecordRefusal,
      accountPanel,
      ...extra,
    };
    return sendPage(reply, LearnerRecordPage, props, status);
  };

  app.get(
    '/learners/:id',
    {
      config: { access: learnersRoles.read_records },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({
          confirmed: Type.Optional(Type.Literal('1')),
          linked: Type.Optional(Type.Literal('1')),
          unlinked: Type.Optional(Type.Literal('1')),
          account: Type.Optional(Type.String({ maxLength: 320 })),
        }),
      },
    },
    async (request, reply) => {
      const { confirmed, linked, unlinked, account } = request.query;
      const notice = confirmed
        ? 'Identity confirmed. Completions held back for this student ID are taken when the file is imported again.'
        : linked
          ? 'Account linked.'
          : unlinked
            ? 'Account unlinked.'
            : undefined;
      return showRecord(request, reply, request.params.id, {
        notice,
        accountSearch: account?.trim() || undefined,
      });
    },
  );

  registerRecordLinkingRoutes(app, { recordLinking, pageContext, showRecord });

  app.post(
    '/learners/:id/identity',
    {
      config: { access: learnersRoles.confirm_identity },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          identityVerified: Type.Optional(Type.Literal('yes')),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await learners.confirmIdentity(request.actor!, id, request.body.identityVerified === 'yes');
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        return showRecord(request, reply, id, { errors: error.fields }, 400);
      }
      return reply.redirect(`/learners/${id}?confirmed=1`, 303);
    },
  );
}
