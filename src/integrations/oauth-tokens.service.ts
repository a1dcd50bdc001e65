import type { AuditService } from '../audit/audit.service.ts';
import type { ApiCaller } from '../platform/actor.ts';
import { type ApiScope, isApiScope } from '../platform/api-scopes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { ApiClientsRepository } from './api-clients.repository.ts';
import {
  type BasicCredentials,
  digestOf,
  matchesDigest,
  newAccessToken,
  readBasicCredentials,
  scopeTokens,
} from './client-credentials.ts';
import { OAuthError } from './oauth-errors.ts';

/** How long an access token works. Short, since a leaked one is a bearer's to use until then. */
export const ACCESS_TOKEN_SECONDS = 3600;

/** A token request as the route read it: the form's parameters and the Authorization header. */
export interface TokenRequest {
  /** The body's media type, lower-cased, without parameters. */
  mediaType: string;
  authorization: string | undefined;
  body: Readonly<Record<string, unknown>>;
  query: Readonly<Record<string, unknown>>;
}

/** The successful answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** Compared with when no client has the identifier sent, so an unknown client takes as long as a wrong secret. */
const NO_CLIENT_DIGEST = digestOf('no such client');
const CREDENTIAL_PARAMETERS = ['client_id', 'client_secret'];

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 §4.4) and the access tokens it hands out: opaque random strings
 * kept as digests, each tied to its client, so rotating the secret or revoking the client ends them at once.
 */
export class OAuthTokensService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository = new ApiClientsRepository(),
  ) {}

  /** Checks the request and the client's credentials, and hands out a token, or says why not. */
  async grant(request: TokenRequest): Promise<TokenResponse> {
    const params = readParameters(request);
    if (params.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
    if (params.grant_type !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is offered here.');
    }
    const credentials = clientCredentialsOf(request.authorization, params);
    const client = await this.repository.findByClientId(this.database.db, credentials.clientId);
    const secretMatches = matchesDigest(credentials.secret, client?.secret_hash ?? NO_CLIENT_DIGEST);
    if (!client || !secretMatches || client.revoked_at !== null) {
      throw new OAuthError('invalid_client', 'The client id or secret is wrong, or the client was revoked.');
    }
    const scopes = grantedScopes(params.scope, client.scopes);
    const token = newAccessToken();
    const issuedAt = this.clock.now();
    const expiresAt = new Date(issuedAt.getTime() + ACCESS_TOKEN_SECONDS * 1000);
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.deleteTokens(trx, client.id, issuedAt);
      await this.repository.insertToken(trx, {
        tokenHash: digestOf(token),
        clientId: client.id,
        scopes,
        issuedAt,
        expiresAt,
      });
      await this.repository.touchLastUsed(trx, client.id, issuedAt);
      await this.audit.record(
        trx,
        { system: `API client "${client.name}" (${client.client_id})` },
        {
          action: 'api_client.token_issued',
          entityType: 'api_client',
          entityId: client.id,
          after: { scopes, expiresAt: expiresAt.toISOString() },
        },
      );
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: scopes.join(' '),
    };
  }

  /** The client a live token belongs to, with the scopes the token carries; null for anything else. */
  async resolveAccessToken(token: string): Promise<ApiCaller | null> {
    const now = this.clock.now();
    const found = await this.repository.findLiveToken(this.database.db, digestOf(token), now);
    if (!found) return null;
    await this.repository.touchLastUsed(this.database.db, found.id, now);
    return { clientId: found.client_id, name: found.name, scopes: found.scopes.filter(isApiScope) };
  }
}

/** The form's parameters as single strings; an empty one counts as absent (RFC 6749 §3.1). */
function readParameters(request: TokenRequest): Record<string, string | undefined> {
  if (CREDENTIAL_PARAMETERS.some((name) => request.query[name] !== undefined)) {
    throw new OAuthError(
      'invalid_request',
      'Client credentials go in the Authorization header or the form body, never in the address.',
    );
  }
  if (request.mediaType !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.body)) {
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be sent once.`);
    params[name] = value === '' ? undefined : value;
  }
  return params;
}

/** The client's credentials, from exactly one of the two ways RFC 6749 §2.3.1 allows. */
function clientCredentialsOf(
  authorization: string | undefined,
  params: Record<string, string | undefined>,
): BasicCredentials {
  const basic = readBasicCredentials(authorization);
  if (basic === null)
    throw new OAuthError('invalid_client', 'The Basic Authorization header cannot be read.');
  if (basic) {
    if (params.client_secret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'Authenticate with the Authorization header or the body, not both.',
      );
    }
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      throw new OAuthError('invalid_request', 'client_id in the body differs from the Authorization header.');
    }
    return basic;
  }
  if (params.client_id === undefined || params.client_secret === undefined) {
    throw new OAuthError(
      'invalid_client',
      'Client authentication is required: HTTP Basic, or client_id and client_secret in the body.',
    );
  }
  return { clientId: params.client_id, secret: params.client_secret };
}

/** The scopes asked for, each one the client holds; all of them when none are named. */
function grantedScopes(asked: string | undefined, held: readonly ApiScope[]): ApiScope[] {
  if (asked === undefined) return [...held];
  const tokens = scopeTokens(asked);
  if (tokens === null)
    throw new OAuthError('invalid_scope', 'scope is a space-separated list of scope names.');
  if (tokens.length === 0) return [...held];
  const refused = tokens.filter((token) => !held.includes(token as ApiScope));
  if (refused.length > 0) {
    throw new OAuthError('invalid_scope', `This client does not hold the scope ${refused.join(', ')}.`);
  }
  return tokens as ApiScope[];
}
