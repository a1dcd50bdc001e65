import type { FastifyError, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { mediaTypeOf } from '../platform/http/csrf.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { OAuthError } from './oauth-errors.ts';
import { ACCESS_TOKEN_SECONDS, type OAuthTokensService } from './oauth-tokens.service.ts';

const Parameter = (description: string) => Type.Optional(Type.String({ maxLength: 1000, description }));

const TokenBody = Type.Object({
  grant_type: Parameter('Always client_credentials'),
  scope: Parameter('Space-separated scopes, each held by the client; all of them when left out'),
  client_id: Parameter('With client_secret_post: the client id (or with Basic, the same id again)'),
  client_secret: Parameter('With client_secret_post: the client secret'),
});

const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: `Seconds the token works: ${ACCESS_TOKEN_SECONDS}` }),
  scope: Type.String({ description: 'The scopes granted, space-separated' }),
});

const TokenRefusal = Type.Object({
  error: Type.Union(
    [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
    ].map((code) => Type.Literal(code)),
  ),
  error_description: Type.String(),
});

/** Fastify's statuses for a body it could not parse, one too large, and a content type it does not read. */
const UNREADABLE = new Set([400, 413, 415]);

/** Token answers and refusals are never kept by caches (RFC 6749 §5.1). */
const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

function sendRefusal(reply: FastifyReply, error: OAuthError): FastifyReply {
  if (error.status === 401) reply.header('www-authenticate', 'Basic realm="Stackable", charset="UTF-8"');
  return noStore(reply)
    .status(error.status)
    .type('application/json')
    .send({ error: error.code, error_description: error.description });
}

/** The OAuth 2.0 token endpoint for integrations (client-credentials grant only). */
export function registerOAuthTokenRoutes(app: HttpServer, deps: { oauthTokens: OAuthTokensService }): void {
  app.post(
    '/oauth/token',
    {
      config: {
        access: 'public',
        clientCredentials: true,
        // Per address: guessing secrets is slow, and a real integration asks once an hour.
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['OAuth'],
        summary: 'Obtain an access token (OAuth 2.0 client credentials, RFC 6749 §4.4)',
        description:
          'Authenticate the client with HTTP Basic (client_secret_basic) or with client_id and client_secret in ' +
          'the form body (client_secret_post), never both. The token is sent as `Authorization: Bearer …` to ' +
          'the routes that name its scope. Errors follow RFC 6749 §5.2.',
        consumes: ['application/x-www-form-urlencoded'],
        security: [{ clientSecretBasic: [] }, {}],
        body: TokenBody,
        response: { 200: TokenAnswer, 400: TokenRefusal, 401: TokenRefusal },
      },
      // A body that cannot be read (wrong type, a repeated parameter) is answered in the standard's terms; every
      // other refusal (CSRF, rate limit, an outage) keeps the app's usual answer.
      errorHandler: (error: FastifyError | AppError, _request, reply) => {
        if (error instanceof OAuthError) return sendRefusal(reply, error);
        const isUnreadable =
          !(error instanceof AppError) &&
          (error.validation !== undefined || UNREADABLE.has(error.statusCode ?? 0));
        if (!isUnreadable) throw error;
        const detail = error.validation ? ` (${error.message})` : '';
        return sendRefusal(reply, new OAuthError('invalid_request', `The request cannot be read${detail}.`));
      },
    },
    async (request, reply) => {
      const answer = await deps.oauthTokens.grant({
        mediaType: mediaTypeOf(request.headers['content-type']),
        authorization: request.headers.authorization,
        body: (request.body ?? {}) as Record<string, unknown>,
        query: (request.query ?? {}) as Record<string, unknown>,
      });
      return noStore(reply).status(200).send(answer);
    },
  );
}
