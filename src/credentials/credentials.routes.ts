import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../platform/errors.ts';
import { actingParty } from '../platform/http/access.ts';
import type { HttpServer } from '../platform/http/server.ts';
import type { StatusChange } from './credential-status.ts';
import { credentialsRoles } from './credentials.policy.ts';
import type { CredentialsService } from './credentials.service.ts';
import { type RevocationCategory, revocationCategories } from './credentials.tables.ts';
import { STATUS_LIST_TTL_MS } from './status-list.ts';

interface Deps {
  credentials: CredentialsService;
  publicUrl: string;
}

const tags = ['Credentials'];

/** A VC-JWT as the VC-API hands it over: inside a data: URL, as the id of an enveloping object. */
const EnvelopedCredential = Type.Object(
  {
    '@context': Type.Array(Type.String(), { examples: [['https://www.w3.org/ns/credentials/v2']] }),
    id: Type.String({
      pattern: '^data:application/vc\\+jwt,',
      description: 'data:application/vc+jwt,<compact JWT>',
    }),
    type: Type.Literal('EnvelopedVerifiableCredential'),
  },
  { title: 'EnvelopedVerifiableCredential' },
);

const IssuedResponse = Type.Object({
  verifiableCredential: Type.Union([
    EnvelopedCredential,
    Type.Object({}, { additionalProperties: true, title: 'OpenBadgeCredential with a Data Integrity proof' }),
  ]),
});

/** Public documents other verifiers fetch from their own sites: readable cross-origin, cached briefly. */
export function publicResource(reply: FastifyReply, maxAgeSeconds: number): FastifyReply {
  return reply
    .header('cache-control', `public, max-age=${maxAgeSeconds}`)
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin');
}

const notModified = (request: FastifyRequest, etag: string): boolean =>
  (request.headers['if-none-match'] ?? '').split(/\s*,\s*/).includes(etag);

/** The service names the learner `learner`; this API's callers sent it as `recipient`. */
function inRequestTerms(error: unknown): unknown {
  if (!(error instanceof AppError) || error.fields.length === 0) return error;
  const fields = error.fields.map((f) => ({ ...f, field: f.field.replace(/^learner\./, 'recipient.') }));
  return new AppError(error.code, error.publicMessage, fields, { cause: error });
}

const changeFor: Record<'revoked' | 'suspended' | 'active', StatusChange> = {
  revoked: 'revoke',
  suspended: 'suspend',
  active: 'reinstate',
};

/**
 * Where the did:web document is served: a bare host's under /.well-known; a DID with a path at
 * <path>/did.json, which arrives as /did.json when a proxy strips the prefix, so both are answered.
 */
export function didDocumentPaths(publicUrl: string): string[] {
  const path = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return path ? ['/.well-known/did.json', '/did.json', `${path}/did.json`] : ['/.well-known/did.json'];
}

/** The issuer's DID document, credential downloads, status lists, badge artwork and the issue API. */
export function registerCredentialRoutes(app: HttpServer, { credentials, publicUrl }: Deps): void {
  for (const url of didDocumentPaths(publicUrl)) {
    app.get(
      url,
      { config: { access: 'public' }, schema: { tags, summary: "The issuer's DID document (did:web)" } },
      async (_request, reply) =>
        publicResource(reply, 300)
          .type('application/did+json')
          .send(await credentials.identity.didDocument()),
    );
  }

  app.get(
    '/credentials/status/:listId',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A signed Bitstring Status List credential',
        params: Type.Object({ listId: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const served = /^[0-9a-f-]{36}$/.test(request.params.listId)
        ? await credentials.statusLists.signed(request.params.listId)
        : null;
      if (!served) throw notFound('That status list');
      publicResource(reply, STATUS_LIST_TTL_MS / 1000).header('etag', served.etag);
      if (notModified(request, served.etag)) return reply.status(304).send();
      return reply.type('application/vc+ld+json').send(served.credential);
    },
  );

  for (const format of ['svg', 'png'] as const) {
    app.get(
      `/catalog/:slug/badge.${format}`,
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: `A micro-credential's badge artwork (${format.toUpperCase()})`,
          params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        },
      },
      async (request, reply) => {
        const artwork = await credentials.programArtwork(request.params.slug);
        if (!artwork) throw notFound('That badge');
        const etag = format === 'svg' ? artwork.etag : `${artwork.etag.slice(0, -1)}-png"`;
        publicResource(reply, 3600).header('etag', etag);
        if (notModified(request, etag)) return reply.status(304).send();
        return format === 'svg'
          ? reply.type('image/svg+xml; charset=utf-8').send(artwork.svg)
          : reply.type('image/png').send(Buffer.from(await artwork.png()));
      },
    );
  }

  app.get(
    '/credentials/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A public credential: JSON-LD, or a VC-JWT when the address ends in .jwt',
        params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
      },
    },
    async (request, reply) => {
      const match = /^([0-9a-fA-F-]{36})(\.json|\.jwt)?$/.exec(request.params.id);
      const row = match?.[1] ? await credentials.findPublic(match[1]) : null;
      if (!row) throw notFound('That credential');
      publicResource(reply, 60);
      if (match?.[2] === '.jwt') {
        // Issued while the institution made no VC-JWT copies.
        if (row.jwt === null) throw notFound('A VC-JWT copy of that credential');
        return reply.type('application/vc+jwt').send(row.jwt);
      }
      return reply.type('application/vc+ld+json').send(row.json);
    },
  );

  for (const format of ['png', 'svg'] as const) {
    app.get(
      `/credentials/:id/baked.${format}`,
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: `A public credential baked into its badge image (${format.toUpperCase()})`,
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        const baked = await credentials.baked(request.params.id, format);
        if (baked === null) throw notFound('That credential');
        publicResource(reply, 60).header(
          'content-disposition',
          `attachment; filename="badge-${request.params.id}.${format}"`,
        );
        return format === 'png'
          ? reply.type('image/png').send(Buffer.from(baked as Uint8Array))
          : reply.type('image/svg+xml; charset=utf-8').send(baked);
      },
    );
  }

  app.post(
    '/credentials/issue',
    {
      config: { access: credentialsRoles.issue_through_api, scope: 'credentials:issue' },
      schema: {
        tags,
        summary: 'Issue a credential (VC-API { credential, options }, or { program, recipient, format })',
        description:
          'With `credential`: an unsigned OpenBadgeCredential whose `credentialSubject.achievement.id` is the ' +
          'catalog address of one of our listed micro-credentials. The achievement is always the catalog’s: any ' +
          'name, description, criteria or other achievement field sent with it is replaced by the catalog record ' +
          '(the response shows what was signed). `issuer` must be our issuer id (a string, or an object whose `id` ' +
          'it is; the profile is completed here). The one status entry (revocation) and the schema ' +
          'reference are set here; `proof` and `credentialStatus` must be left out. `validUntil`, if given, must ' +
          'be later than `validFrom` and not already past. Refusals answer 400 with one `{ field, reason }` ' +
          'entry per problem in `errors`. Nobody issues to themselves: a recipient who is the person asking (the ' +
          'address of their account, any address they have proven, a learner record of theirs) answers 403, ' +
          'naming the field; an API client acts for no person.',
        body: Type.Object({
          credential: Type.Optional(Type.Unknown()),
          options: Type.Optional(Type.Unknown()),
          program: Type.Optional(Type.String({ maxLength: 200 })),
          recipient: Type.Optional(
            Type.Object({
              email: Type.String({ maxLength: 320 }),
              name: Type.Optional(Type.String({ maxLength: 200 })),
              did: Type.Optional(Type.String({ maxLength: 500 })),
            }),
          ),
          format: Type.Optional(
            Type.Union([Type.Literal('json'), Type.Literal('jwt')], {
              description:
                'jwt: the VC-JWT copy, enveloped (needs VC-JWTs turned on in the institution profile)',
            }),
          ),
        }),
        response: { 201: IssuedResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const actor = actingParty(request);
      const issued =
        body.credential !== undefined
          ? await credentials.issueRequestedCredential(actor, body.credential)
          : await credentials
              .issueThroughApi(actor, {
                slug: body.program,
                // Only what the schema lists: the service's other learner fields (a learner record's id) are
                // for the module's own callers, and an extra property in a body must not reach them.
                learner: recipientOf(body.recipient),
                format: body.format,
              })
              .catch((error: unknown) => {
                throw inRequestTerms(error);
              });
      return reply
        .status(201)
        .header('location', `/credentials/${issued.id}`)
        .send({ verifiableCredential: issued.verifiableCredential });
    },
  );

  app.post(
    '/credentials/:id/status',
    {
      config: { access: credentialsRoles.change_status, scope: 'credentials:status' },
      schema: {
        tags,
        summary: 'Revoke, suspend or reinstate a credential, with a reason',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          status: Type.Union([Type.Literal('revoked'), Type.Literal('suspended'), Type.Literal('active')]),
          reason: Type.String({ maxLength: 500 }),
          category: Type.Optional(
            Type.Union(
              revocationCategories.map((c) => Type.Literal(c)),
              { description: 'For a revocation: the kind of reason shown on the public badge page' },
            ),
          ),
        }),
      },
    },
    async (request) => {
      const { status, reason, category } = request.body;
      return credentials.changeStatus(actingParty(request), request.params.id, changeFor[status], reason, {
        category: category as RevocationCategory | undefined,
      });
    },
  );
}

/** The recipient of `{ program, recipient }` as the issue API documents it, and nothing else sent with it. */
function recipientOf(recipient: { email: string; name?: string; did?: string } | undefined) {
  if (!recipient) return { email: '' };
  const { email, name, did } = recipient;
  return { email, ...(name !== undefined ? { name } : {}), ...(did !== undefined ? { did } : {}) };
}
