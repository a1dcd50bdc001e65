import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { programsRoles } from './programs.policy.ts';
import type { ProgramServices } from './programs.wiring.ts';

const Id = Type.String({ format: 'uuid' });
const Csrf = { _csrf: Type.Optional(Type.String()) };

/** Shows the program page again with the problem beside the form that caused it. */
type ShowProgram = (
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  extra: { problem: AppError },
) => Promise<unknown>;

const isUserProblem = (error: unknown): error is AppError =>
  error instanceof AppError &&
  (error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_STATE' || error.code === 'FORBIDDEN');

/**
 * Consultation on a proposal: the lead names and removes consultees; a consultee (or the lead on their
 * behalf) records the response. Each posts from the program page and comes back to it.
 */
export function registerConsultationRoutes(app: HttpServer, programs: ProgramServices, show: ShowProgram) {
  const run = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    done: string,
    work: () => Promise<void>,
  ) => {
    try {
      await work();
    } catch (error) {
      if (!isUserProblem(error)) throw error;
      return show(request, reply, id, { problem: error });
    }
    return reply.redirect(`/programs/${id}?done=${done}#consultation`, 303);
  };

  app.post(
    '/programs/:id/consultees',
    {
      config: { access: programsRoles.manage_consultees },
      schema: {
        hide: true,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          consultee_email: Type.String({ maxLength: 320 }),
          consultee_name: Type.Optional(Type.String({ maxLength: 500 })),
          consultee_topic: Type.Optional(Type.String({ maxLength: 2000 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      return run(request, reply, id, 'consultee_added', () =>
        programs.consultations.addConsultee(request.actor!, id, {
          email: body.consultee_email,
          name: body.consultee_name ?? '',
          topic: body.consultee_topic ?? '',
        }),
      );
    },
  );

  app.post(
    '/programs/:id/consultees/:consultationId/remove',
    {
      config: { access: programsRoles.manage_consultees },
      schema: {
        hide: true,
        params: Type.Object({ id: Id, consultationId: Id }),
        body: Type.Object({ ...Csrf }),
      },
    },
    async (request, reply) => {
      const { id, consultationId } = request.params;
      return run(request, reply, id, 'consultee_removed', () =>
        programs.consultations.removeConsultee(request.actor!, id, consultationId),
      );
    },
  );

  app.post(
    '/programs/:id/consultees/:consultationId/response',
    {
      // Any signed-in person reaches the service, which lets only the consultee or the lead record it.
      config: { access: 'signed-in' },
      schema: {
        hide: true,
        params: Type.Object({ id: Id, consultationId: Id }),
        body: Type.Object({
          response: Type.Union([Type.Literal('support'), Type.Literal('concerns'), Type.Literal('comment')]),
          response_text: Type.Optional(Type.String({ maxLength: 20_000 })),
          ...Csrf,
        }),
      },
    },
    async (request, reply) => {
      const { id, consultationId } = request.params;
      return run(request, reply, id, 'consultation_recorded', () =>
        programs.consultations.recordResponse(request.actor!, id, consultationId, {
          response: request.body.response,
          text: request.body.response_text ?? '',
        }),
      );
    },
  );
}
