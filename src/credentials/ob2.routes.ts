import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../platform/errors.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { publicResource } from './credentials.routes.ts';
import type { CredentialsService } from './credentials.service.ts';

interface Deps {
  credentials: CredentialsService;
}

const tags = ['Open Badges 2.0'];

/**
 * OB 2.0 serves its documents as `application/ld+json`, or as `application/json` when that is all the request
 * accepts.
 */
function sendBadgeObject(request: FastifyRequest, reply: FastifyReply, document: object) {
  const accept = request.headers.accept ?? '';
  const plainJsonOnly = accept.includes('application/json') && !accept.includes('application/ld+json');
  return publicResource(reply, 60)
    .header('vary', 'accept')
    .type(plainJsonOnly ? 'application/json; charset=utf-8' : 'application/ld+json; charset=utf-8')
    .send(document);
}

const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Every badge of ours as a hosted Open Badges 2.0 assertion, with its BadgeClass and the issuer Profile. */
export function registerOb2Routes(app: HttpServer, { credentials }: Deps): void {
  app.get(
    '/ob2/issuer',
    { config: { access: 'public' }, schema: { tags, summary: 'The issuer Profile (Open Badges 2.0)' } },
    async (request, reply) => sendBadgeObject(request, reply, await credentials.ob2.issuerProfile()),
  );

  app.get(
    '/ob2/badges/:id',
    {
      config: { access: 'public' },
      schema: { tags, summary: "A program's BadgeClass (Open Badges 2.0)", params: Id },
    },
    async (request, reply) => {
      const badgeClass = await credentials.ob2.badgeClass(request.params.id);
      if (!badgeClass) throw notFound('That badge class');
      return sendBadgeObject(request, reply, badgeClass);
    },
  );

  app.get(
    '/ob2/assertions/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A public credential as a hosted Assertion (Open Badges 2.0); revoked ones say so',
        params: Id,
      },
    },
    async (request, reply) => {
      const assertion = await credentials.ob2.assertion(request.params.id);
      if (!assertion) throw notFound('That assertion');
      return sendBadgeObject(request, reply, assertion);
    },
  );
}
