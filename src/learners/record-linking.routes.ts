import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import type { PageContext } from '../platform/http/page-context.ts';
import { sendPage } from '../platform/http/render.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { learnersRoles } from './learners.policy.ts';
import type { RecordLinkingService } from './record-linking.service.ts';
import { LinkConfirmPage } from './record-linking.views.tsx';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Csrf = { _csrf: Type.Optional(Type.String()) };

/** Draws the learner's page again with field problems (the unlink box), as the record routes do. */
export type ShowRecord = (
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  extra: { errors?: FieldProblem[] },
  status: number,
) => Promise<FastifyReply>;

/** Staff link and unlink the account a learner record belongs to, from the learner's page. */
export function registerRecordLinkingRoutes(
  app: HttpServer,
  deps: {
    recordLinking: RecordLinkingService;
    pageContext: (request: FastifyRequest) => Promise<PageContext>;
    showRecord: ShowRecord;
  },
): void {
  const { recordLinking, pageContext, showRecord } = deps;
  const confirmPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ids: { learnerId: string; userId: string },
    extra: { errors?: FieldProblem[]; problem?: string } = {},
    status = 200,
  ) => {
    const proposal = await recordLinking.linkProposal(request.actor!, ids.learnerId, ids.userId);
    const ctx = await pageContext(request);
    return sendPage(reply, LinkConfirmPage, { ctx, proposal, ...extra }, status);
  };

  app.get(
    '/learners/:id/account/confirm',
    {
      config: { access: learnersRoles.link_accounts },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) =>
      confirmPage(request, reply, { learnerId: request.params.id, userId: request.query.userId }),
  );

  app.post(
    '/learners/:id/account',
    {
      config: { access: learnersRoles.link_accounts },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({
          userId: Type.String({ format: 'uuid' }),
          confirmed: Type.Optional(Type.Literal('yes')),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const ids = { learnerId: request.params.id, userId: request.body.userId };
      try {
        await recordLinking.linkAccount(
          request.actor!,
          ids.learnerId,
          ids.userId,
          request.body.confirmed === 'yes',
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'VALIDATION_FAILED') {
          return confirmPage(request, reply, ids, { errors: error.fields }, 400);
        }
        if (error.code === 'CONFLICT') {
          return confirmPage(request, reply, ids, { problem: error.publicMessage }, 409);
        }
        throw error;
      }
      return reply.redirect(`/learners/${ids.learnerId}?linked=1`, 303);
    },
  );

  app.post(
    '/learners/:id/account/unlink',
    {
      config: { access: learnersRoles.link_accounts },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ confirmUnlink: Type.Optional(Type.Literal('yes')), ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await recordLinking.unlinkAccount(request.actor!, id, request.body.confirmUnlink === 'yes');
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
        return showRecord(request, reply, id, { errors: error.fields }, 400);
      }
      return reply.redirect(`/learners/${id}?unlinked=1`, 303);
    },
  );
}
