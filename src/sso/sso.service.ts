import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { hashToken, newToken } from '../platform/ids.ts';
import type { Role } from '../platform/roles.ts';
import type { OidcRelyingParty } from './oidc-adapter.ts';
import type { SamlServiceProvider } from './saml-adapter.ts';
import { isPasswordSignInClosed, mayDo, SSO_REFUSAL } from './sso.policy.ts';
import { SsoRepository } from './sso.repository.ts';
import { type MailQueue, SsoEmailProofs } from './sso-email-proofs.ts';
import { SsoFailure } from './sso-failures.ts';
import { OidcSignIn } from './sso-oidc.service.ts';
import { SamlSignIn } from './sso-saml.service.ts';
import { SsoSessionsRepository } from './sso-sessions.repository.ts';
import { type RecordLinks, type Requester, type SsoReturn, SsoSignIns } from './sso-sign-ins.ts';

export type { RecordLinks, SsoReturn } from './sso-sign-ins.ts';

/** A sign-in through a provider waits this long for the person to come back. */
const ATTEMPT_TTL_MS = 10 * 60 * 1000;

/**
 * Single sign-on with the university's identity providers: the sign-in round trip (its protocol halves in
 * `sso-oidc.service.ts` and `sso-saml.service.ts`), the account a returning person becomes (`sso-sign-ins.ts`),
 * proving an address a provider did not vouch for (`sso-email-proofs.ts`), and SAML single logout. Accounts and
 * sessions go through the accounts service; learner records through the learners module's.
 */
export class SsoService {
  readonly #signIns: SsoSignIns;
  readonly #oidc: OidcSignIn;
  readonly #saml: SamlSignIn;
  /** Proving an address by a mailed link (the routes call it directly). */
  readonly emailProofs: SsoEmailProofs;

  constructor(
    private readonly database: Database,
    audit: AuditService,
    accounts: AccountsService,
    records: RecordLinks,
    private readonly clock: Clock,
    oidc: OidcRelyingParty,
    saml: SamlServiceProvider,
    settings: { publicUrl: string; secret: string },
    mail: MailQueue,
    private readonly repository = new SsoRepository(),
  ) {
    const sessions = new SsoSessionsRepository();
    this.emailProofs = new SsoEmailProofs(
      database,
      audit,
      accounts,
      mail,
      clock,
      repository,
      sessions,
      settings.publicUrl,
    );
    this.#signIns = new SsoSignIns(
      database,
      audit,
      accounts,
      records,
      clock,
      repository,
      sessions,
      this.emailProofs,
    );
    this.#oidc = new OidcSignIn(database, oidc, this.#signIns, repository, settings);
    this.#saml = new SamlSignIn(
      database,
      audit,
      accounts,
      clock,
      saml,
      this.#signIns,
      repository,
      sessions,
      settings,
    );
  }

  /** Where OpenID providers send people back: registered with each provider. */
  get redirectUri(): string {
    return this.#oidc.redirectUri;
  }

  /** The buttons on the sign-in page: every enabled provider. */
  async signInChoices(): Promise<{ slug: string; label: string }[]> {
    const providers = await this.repository.listProviders(this.database.db);
    return providers.filter((p) => p.is_enabled).map((p) => ({ slug: p.slug, label: p.button_label }));
  }

  /** Whether a password may still open this account (the accounts module asks before accepting one). */
  async isPasswordSignInClosed(user: { id: string; roles: readonly Role[] }): Promise<boolean> {
    return isPasswordSignInClosed(await this.repository.settings(this.database.db), user);
  }

  /**
   * Starts a sign-in (or an administrator's test sign-in) with a provider: keeps the state, nonce and PKCE
   * verifier under a random value that only this browser's cookie holds, and returns where to send the person.
   */
  async begin(
    slug: string,
    request: { purpose: 'sign_in' | 'test'; actor: Actor | null; next: string | null; ip: string | null },
  ): Promise<{ cookie: string; url: string }> {
    if (request.purpose === 'test' && !mayDo(request.actor, 'test_sign_in')) throw forbidden(SSO_REFUSAL);
    const provider = await this.repository.findProvider(this.database.db, { slug });
    if (!provider) throw notFound('That sign-in option');
    if (request.purpose === 'sign_in' && !provider.is_enabled) {
      await this.#signIns.auditFailure(provider, 'provider_disabled', request.ip);
      throw new SsoFailure('provider_disabled');
    }
    const challenge =
      provider.protocol === 'saml'
        ? await this.#saml.challenge(provider)
        : await this.#oidc.challenge(provider, request.ip);
    const cookie = newToken();
    const now = this.clock.now();
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.forgetOldAttempts(trx, new Date(now.getTime() - 24 * 60 * 60 * 1000));
      await this.repository.insertAttempt(trx, {
        id: hashToken(cookie),
        provider_id: provider.id,
        purpose: request.purpose,
        requested_by: request.purpose === 'test' ? request.actor!.id : null,
        state: challenge.state,
        nonce: challenge.nonce,
        code_verifier: challenge.codeVerifier,
        next: request.next,
        expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS),
      });
    });
    return { cookie, url: challenge.url };
  }

  /**
   * The person is back from an OpenID provider: checks that the answer belongs to the sign-in this browser
   * started, validates it, and signs the person in (or shows an administrator what a test sign-in received).
   * Every refusal is audited with its reason and thrown as an `SsoFailure`.
   */
  async finishOidc(
    request: Requester & { cookie: string | undefined; callbackUrl: URL },
  ): Promise<SsoReturn> {
    const attempt = await this.#claimAttempt(null, request.cookie, request.ip);
    return this.#oidc.finish(attempt, request.callbackUrl, request);
  }

  /** The SAML metadata to give the provider registered under `slug`. */
  serviceProviderMetadata(slug: string): Promise<string> {
    return this.#saml.metadata(slug);
  }

  /**
   * A SAML provider's answer, posted by the person's browser to the provider's assertion consumer address. Every
   * refusal is audited with its reason and thrown as an `SsoFailure`.
   */
  async finishSaml(
    request: Requester & { slug: string; cookie: string | undefined; samlResponse: string },
  ): Promise<SsoReturn> {
    const addressed = await this.repository.findProvider(this.database.db, { slug: request.slug });
    const attempt = await this.#claimAttempt(addressed ?? null, request.cookie, request.ip);
    return this.#saml.finish(addressed, attempt, request.samlResponse, request);
  }

  /** Signing out: the provider's address to end its session too, or null (see `SamlSignIn.logoutUrlFor`). */
  singleLogoutUrl(sessionToken: string): Promise<string | null> {
    return this.#saml.logoutUrlFor(sessionToken);
  }

  /** A SAML provider's LogoutRequest or LogoutResponse (see `SamlSignIn.receiveLogout`). */
  receiveSamlLogout(slug: string, query: Record<string, string>, rawQuery: string, ip: string | null) {
    return this.#saml.receiveLogout(slug, query, rawQuery, ip);
  }

  /** The attempt this browser's cookie names, claimed once; an absent, used or expired one is refused. */
  async #claimAttempt(
    addressed: Parameters<SsoSignIns['auditFailure']>[0],
    cookie: string | undefined,
    ip: string | null,
  ) {
    if (!cookie) {
      await this.#signIns.auditFailure(addressed, 'no_sign_in_in_progress', ip);
      throw new SsoFailure('no_sign_in_in_progress');
    }
    const attempt = await this.repository.claimAttempt(this.database.db, hashToken(cookie), this.clock.now());
    if (!attempt) {
      await this.#signIns.auditFailure(addressed, 'sign_in_expired_or_used', ip);
      throw new SsoFailure('sign_in_expired_or_used');
    }
    return attempt;
  }
}
