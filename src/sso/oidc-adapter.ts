/**
 * The OpenID Connect relying party, over `openid-client`: discovery, the authorization code flow with PKCE,
 * `state` and `nonce`, and the ID token's validation (signature against the provider's published keys, issuer,
 * audience, expiry, nonce). This file knows the protocol and nothing about accounts.
 */
import * as oidc from 'openid-client';
import type { Clock } from '../platform/clock.ts';
import type { Fetcher } from '../verification/fetch-text.ts';
import { FetchRefused } from '../verification/fetch-text.ts';

/** How a provider's answer failed, as the audit log records it. */
export type OidcFailure =
  | 'wrong_state'
  | 'wrong_nonce'
  | 'id_token_expired'
  | 'id_token_signature_invalid'
  | 'id_token_invalid'
  | 'provider_refused'
  | 'provider_unreachable'
  | 'provider_address_refused';

/** A failure of the protocol, with the reason and the library's words for the log. */
export class OidcError extends Error {
  constructor(
    readonly reason: OidcFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'OidcError';
  }
}

/** What the relying party needs to know about one provider. */
export interface OidcClientSettings {
  discoveryUrl: string;
  clientId: string;
  clientSecret: string | null;
}

/** What is kept between sending the person to the provider and their return. */
export interface OidcChallenge {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** How long a provider's discovery document is kept before it is read again. */
const DISCOVERY_TTL_MS = 10 * 60 * 1000;

/**
 * One relying party for every configured provider. Every request to a provider (discovery, keys, token, UserInfo)
 * goes through `fetchImpl`: in the app the SSRF-guarded fetch, since a discovery address is typed by an
 * administrator and the document it returns names further addresses (tests hand in one that also tampers with
 * answers in transit). Times are judged by `clock`, the app's.
 */
export class OidcRelyingParty {
  readonly #discovered = new Map<string, { at: number; metadata: oidc.ServerMetadata }>();

  constructor(
    private readonly clock: Clock,
    private readonly fetchImpl: Fetcher,
  ) {}

  /** Forgets a provider's discovery document (its settings changed). */
  forget(discoveryUrl: string): void {
    this.#discovered.delete(discoveryUrl);
  }

  async #configuration(settings: OidcClientSettings): Promise<oidc.Configuration> {
    const url = new URL(settings.discoveryUrl);
    const cached = this.#discovered.get(settings.discoveryUrl);
    let metadata = cached && Date.now() - cached.at < DISCOVERY_TTL_MS ? cached.metadata : undefined;
    if (!metadata) {
      try {
        const found = await oidc.discovery(url, settings.clientId, undefined, undefined, {
          [oidc.customFetch]: this.#fetch,
          timeout: 10,
        });
        metadata = found.serverMetadata();
      } catch (error) {
        const refused = refusalOf(error);
        if (refused) throw new OidcError('provider_address_refused', refused, { cause: error });
        throw new OidcError('provider_unreachable', `discovery failed: ${String(error)}`, { cause: error });
      }
      this.#discovered.set(settings.discoveryUrl, { at: Date.now(), metadata });
    }
    const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    const configuration = new oidc.Configuration(
      metadata,
      settings.clientId,
      // Judge the ID token's times by the app's clock, which tests move.
      { [oidc.clockSkew]: Math.round((this.clock.now().getTime() - Date.now()) / 1000) },
      auth,
    );
    configuration[oidc.customFetch] = this.#fetch;
    // Check the ID token's signature too, not only TLS to the token endpoint: a token altered anywhere on the
    // way (a proxy, a misconfigured gateway) is refused.
    oidc.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  readonly #fetch = ((url: string, options: RequestInit) => this.fetchImpl(url, options)) as oidc.CustomFetch;

  /** The provider's address to send the person to, with a fresh state, nonce and PKCE verifier to keep. */
  async challenge(settings: OidcClientSettings, redirectUri: string): Promise<OidcChallenge> {
    const configuration = await this.#configuration(settings);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /**
   * Exchanges the code the person came back with for tokens and returns the validated ID token's claims (with
   * the UserInfo endpoint's, where the provider keeps e-mail or groups there). Throws `OidcError` with a reason.
   */
  async finish(
    settings: OidcClientSettings,
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Record<string, unknown>> {
    const configuration = await this.#configuration(settings);
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      accessToken = tokens.access_token;
    } catch (error) {
      throw classify(error);
    }
    const userinfo = configuration.serverMetadata().userinfo_endpoint;
    if (userinfo && typeof claims.sub === 'string') {
      try {
        const more = await oidc.fetchUserInfo(configuration, accessToken, claims.sub);
        // The ID token's claims win: they are signed, and `sub` was compared above.
        claims = { ...more, ...claims };
      } catch {
        // UserInfo is a courtesy: the ID token alone is enough to sign in with.
      }
    }
    return claims;
  }
}

/** The SSRF guard's words when it refused an address somewhere in the error's causes, else null. */
function refusalOf(error: unknown): string | null {
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    if (at instanceof FetchRefused) return at.problem;
  }
  return null;
}

/** Names what went wrong from the library's error. */
function classify(error: unknown): OidcError {
  const refused = refusalOf(error);
  if (refused) return new OidcError('provider_address_refused', refused, { cause: error });
  // openid-client words the failure generally and keeps the specific one (which claim, which check) as the cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const message = [error, cause]
    .map((e) => (e instanceof Error ? e.message : ''))
    .filter(Boolean)
    .join(': ');
  const code = (error as { code?: unknown } | null)?.code;
  const of = (reason: OidcFailure) => new OidcError(reason, message, { cause: error });
  if (error instanceof oidc.AuthorizationResponseError) return of('provider_refused');
  if (/"state"/.test(message)) return of('wrong_state');
  if (/"nonce"/.test(message)) return of('wrong_nonce');
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return of('id_token_expired');
  if (/signature verification failed/i.test(message)) return of('id_token_signature_invalid');
  // The provider refused the code or the client's credentials (a wrong client secret, say).
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError) {
    return of('provider_refused');
  }
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|timed? ?out/i.test(message)) {
    return of('provider_unreachable');
  }
  return of('id_token_invalid');
}
