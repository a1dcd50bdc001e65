import type { FastifyError, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/errors.ts';
import { bearerTokenOf } from '../platform/http/access.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { Oid4vciError } from './oid4vci-errors.ts';
import type { Oid4vciIssuer } from './oid4vci-issuer.ts';
import { authorizationServerMetadata, credentialIssuerMetadata } from './oid4vci-metadata.ts';
import type { WalletService } from './wallet.service.ts';

export interface WalletProtocolDeps {
  wallet: WalletService;
  oid4vci: Oid4vciIssuer;
  publicUrl: string;
  institutionName: () => Promise<string>;
}

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
const UNREADABLE = new Set([400, 413, 415]);
const Refusal = Type.Object({ error: Type.String(), error_description: Type.String() });

/** OID4VCI's way to answer a refusal, and a body it cannot read as `invalid_request`; other errors pass on. */
function oid4vciErrors(
  error: FastifyError | AppError | Oid4vciError,
  _request: unknown,
  reply: FastifyReply,
) {
  let refusal: Oid4vciError | null = null;
  if (error instanceof Oid4vciError) refusal = error;
  else if (!(error instanceof AppError) && (error.validation || UNREADABLE.has(error.statusCode ?? 0))) {
    refusal = new Oid4vciError('invalid_request', `The request cannot be read (${error.message}).`);
  }
  if (!refusal) throw error;
  if (refusal.status === 401) reply.header('www-authenticate', `Bearer error="${refusal.code}"`);
  return noStore(reply)
    .status(refusal.status)
    .type('application/json')
    .send({ error: refusal.code, error_description: refusal.description });
}

/**
 * What wallets call: the OID4VCI 1.0 issuer (metadata, token, nonce and credential endpoints) and the VC-API
 * exchange. They carry no session; the offer's secrets are the authority, and the wallet policy decides each step.
 */
export function registerWalletProtocolRoutes(app: HttpServer, deps: WalletProtocolDeps): void {
  const { wallet, oid4vci, publicUrl } = deps;

  app.get(
    '/.well-known/openid-credential-issuer',
    {
      config: { access: 'public' },
      schema: { tags: ['Wallets'], summary: 'OID4VCI 1.0 credential issuer metadata' },
    },
    async () => credentialIssuerMetadata(publicUrl, await deps.institutionName()),
  );

  app.get(
    '/.well-known/oauth-authorization-server',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Wallets'],
        summary: 'Authorization server metadata (RFC 8414) for the pre-authorized code grant',
      },
    },
    async () => authorizationServerMetadata(publicUrl),
  );

  app.post(
    '/oid4vci/token',
    {
      // The pre-authorized code in the form is the caller's own credential and the answer sets no cookie: the
      // same standing as the OAuth token endpoint in the CSRF rules.
      config: { access: 'public', clientCredentials: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['Wallets'],
        summary: 'OID4VCI token endpoint: spends a pre-authorized code once for a five-minute access token',
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object({
          grant_type: Type.Optional(Type.String({ maxLength: 200 })),
          'pre-authorized_code': Type.Optional(Type.String({ maxLength: 200 })),
          tx_code: Type.Optional(Type.String({ maxLength: 50 })),
        }),
        response: {
          200: Type.Object({
            access_token: Type.String(),
            token_type: Type.Literal('Bearer'),
            expires_in: Type.Integer(),
          }),
          400: Refusal,
        },
      },
      errorHandler: oid4vciErrors,
    },
    async (request, reply) => noStore(reply).send(await oid4vci.grantToken(request.body)),
  );

  app.post(
    '/oid4vci/nonce',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['Wallets'],
        summary: 'OID4VCI nonce endpoint: a c_nonce for the key proof, good for five minutes',
        response: { 200: Type.Object({ c_nonce: Type.String() }) },
      },
    },
    async (_request, reply) => noStore(reply).send(oid4vci.nonce()),
  );

  app.post(
    '/oid4vci/credential',
    {
      // The bearer token here is the wallet's, from /oid4vci/token, not an integration's.
      config: { access: 'public', ownAccessToken: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['Wallets'],
        summary:
          'OID4VCI credential endpoint: with the access token and one JWT key proof (typ openid4vci-proof+jwt, ' +
          'EdDSA, kid a did:key DID URL, aud the issuer, nonce from /oid4vci/nonce), answers the badge re-issued ' +
          'to that DID (format ldp_vc) as credentials[0].credential',
        body: Type.Unknown(),
        response: {
          200: Type.Object({ credentials: Type.Array(Type.Object({ credential: Type.Unknown() })) }),
          400: Refusal,
          401: Refusal,
        },
      },
      errorHandler: oid4vciErrors,
    },
    async (request, reply) =>
      noStore(reply).send(await oid4vci.issueCredential(bearerTokenOf(request), request.body)),
  );

  app.post(
    '/wallet/exchanges/:exchangeId',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      bodyLimit: 256 * 1024,
      schema: {
        tags: ['Wallets'],
        summary:
          'VC-API exchange: post {} to receive a request for DID Authentication (challenge and domain); post the ' +
          'signed presentation (eddsa-rdfc-2022, did:key, proofPurpose authentication) to receive the badge ' +
          're-issued to that DID in a presentation. One delivery per exchange.',
        params: Type.Object({
          exchangeId: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
        }),
        body: Type.Object({ verifiablePresentation: Type.Optional(Type.Unknown()) }),
      },
    },
    async (request, reply) => {
      const { exchangeId } = request.params;
      const { verifiablePresentation } = request.body;
      const answer =
        verifiablePresentation === undefined
          ? await wallet.presentationRequest(exchangeId)
          : await wallet.completeExchange(exchangeId, verifiablePresentation);
      return noStore(reply).send(answer);
    },
  );
}
