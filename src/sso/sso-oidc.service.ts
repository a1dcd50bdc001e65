/**
 * The OpenID Connect side of single sign-on: the challenge (state, nonce, PKCE) that starts a sign-in, and the
 * checks on the person's return before the answer is validated and concluded.
 */
import type { Database } from '../platform/db/database.ts';
import { openSealedSecret } from '../platform/sealed-secret.ts';
import { OidcError, type OidcRelyingParty } from './oidc-adapter.ts';
import type { AttemptRow, ProviderRow, SsoRepository } from './sso.repository.ts';
import { SsoFailure } from './sso-failures.ts';
import { CLIENT_SECRET_PURPOSE } from './sso-providers.service.ts';
import type { Requester, SsoReturn, SsoSignIns } from './sso-sign-ins.ts';

export class OidcSignIn {
  constructor(
    private readonly database: Database,
    private readonly oidc: OidcRelyingParty,
    private readonly signIns: SsoSignIns,
    private readonly repository: SsoRepository,
    private readonly settings: { publicUrl: string; secret: string },
  ) {}

  /** Where OpenID providers send people back: registered with each provider. */
  get redirectUri(): string {
    return `${this.settings.publicUrl}/sso/oidc/callback`;
  }

  /** The provider's address to send the person to, with what to keep; a provider that cannot be read is refused. */
  async challenge(provider: ProviderRow, ip: string | null) {
    try {
      return await this.oidc.challenge(this.#clientOf(provider), this.redirectUri);
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      await this.signIns.auditFailure(provider, error.reason, ip, { detail: error.message });
      throw new SsoFailure(error.reason);
    }
  }

  /** The person is back for the attempt this browser's cookie named: checks the state, validates, concludes. */
  async finish(attempt: AttemptRow, callbackUrl: URL, request: Requester): Promise<SsoReturn> {
    const provider = await this.repository.findProvider(this.database.db, { id: attempt.provider_id });
    if (!provider) throw new SsoFailure('sign_in_expired_or_used');
    if (callbackUrl.searchParams.get('state') !== attempt.state) {
      await this.signIns.auditFailure(provider, 'wrong_state', request.ip);
      throw new SsoFailure('wrong_state');
    }
    let claims: Record<string, unknown>;
    try {
      claims = await this.oidc.finish(this.#clientOf(provider), callbackUrl, {
        state: attempt.state,
        nonce: attempt.nonce ?? '',
        codeVerifier: attempt.code_verifier ?? '',
      });
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      await this.signIns.auditFailure(provider, error.reason, request.ip, {
        detail: error.message.slice(0, 300),
      });
      throw new SsoFailure(error.reason);
    }
    return this.signIns.conclude(provider, attempt, claims, request);
  }

  #clientOf(provider: ProviderRow) {
    return {
      discoveryUrl: provider.discovery_url ?? '',
      clientId: provider.client_id ?? '',
      clientSecret: provider.client_secret_sealed
        ? openSealedSecret(this.settings.secret, CLIENT_SECRET_PURPOSE, provider.client_secret_sealed)
        : null,
    };
  }
}
