/**
 * The SAML side of single sign-on: the signed AuthnRequest that starts a sign-in, the checks on the provider's
 * answer that the library leaves to its caller, the SP metadata, and single logout in both directions.
 */
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { hashToken } from '../platform/ids.ts';
import { readIdpMetadata } from './idp-metadata.ts';
import { SamlError, SamlLogout, type SamlServiceProvider, serviceProviderUrls } from './saml-adapter.ts';
import { serviceProviderKeys } from './saml-keys.ts';
import type { AttemptRow, ProviderRow, SsoRepository } from './sso.repository.ts';
import { SsoFailure, type SsoFailureReason } from './sso-failures.ts';
import type { SsoSessionsRepository } from './sso-sessions.repository.ts';
import type { Requester, SsoReturn, SsoSignIns } from './sso-sign-ins.ts';

export class SamlSignIn {
  readonly #logout: SamlLogout;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly saml: SamlServiceProvider,
    private readonly signIns: SsoSignIns,
    private readonly repository: SsoRepository,
    private readonly sessions: SsoSessionsRepository,
    private readonly settings: { publicUrl: string; secret: string },
  ) {
    this.#logout = new SamlLogout(saml);
  }

  /** A SAML sign-in is bound by the AuthnRequest's id, which the answer must name in InResponseTo. */
  async challenge(provider: ProviderRow) {
    const { url, requestId } = await this.saml.authorizeUrl(
      provider.slug,
      this.#idpOf(provider),
      await this.#keys(),
    );
    return { url, state: requestId, nonce: null, codeVerifier: null };
  }

  /** The SAML metadata to give the provider registered under `slug`. */
  async metadata(slug: string): Promise<string> {
    const provider = await this.repository.findProvider(this.database.db, { slug });
    if (provider?.protocol !== 'saml') throw notFound('That SAML provider');
    return this.saml.metadata(provider.slug, await this.#keys());
  }

  /**
   * A provider's answer for the attempt this browser's cookie named. The order of the checks makes each refusal
   * name its own reason: the provider addressed, the signature and conditions (by the library), the recipient, a
   * replay of an assertion already taken, then the request the answer claims to answer.
   */
  async finish(
    addressed: ProviderRow | undefined,
    attempt: AttemptRow,
    samlResponse: string,
    request: Requester,
  ): Promise<SsoReturn> {
    const refuse = async (provider: ProviderRow | null, reason: SsoFailureReason, detail?: string) => {
      await this.signIns.auditFailure(provider, reason, request.ip, detail ? { detail } : {});
      return new SsoFailure(reason);
    };
    const provider = await this.repository.findProvider(this.database.db, { id: attempt.provider_id });
    if (provider?.protocol !== 'saml') throw await refuse(null, 'sign_in_expired_or_used');
    if (provider.id !== addressed?.id)
      throw await refuse(provider, 'wrong_recipient', 'posted to another provider');
    let answer: Awaited<ReturnType<SamlServiceProvider['validate']>>;
    try {
      answer = await this.saml.validate(
        provider.slug,
        this.#idpOf(provider),
        await this.#keys(),
        samlResponse,
      );
    } catch (error) {
      if (!(error instanceof SamlError)) throw error;
      throw await refuse(provider, error.reason, error.message);
    }
    const acs = serviceProviderUrls(this.settings.publicUrl, provider.slug).acs;
    if (answer.recipients.length === 0 || answer.recipients.some((recipient) => recipient !== acs)) {
      throw await refuse(provider, 'wrong_recipient', answer.recipients.join(' ').slice(0, 300));
    }
    const isFirstUse = await this.repository.rememberAssertion(
      this.database.db,
      provider.id,
      answer.assertionId,
      answer.expiresAt,
      this.clock.now(),
    );
    if (!isFirstUse) throw await refuse(provider, 'assertion_replayed', answer.assertionId);
    const named = answer.inResponseTo.filter((id): id is string => id !== null);
    if (named.length === 0) throw await refuse(provider, 'unsolicited_response');
    if (named.some((id) => id !== attempt.state)) throw await refuse(provider, 'wrong_in_response_to');
    return this.signIns.conclude(provider, attempt, answer.claims, request);
  }

  /**
   * Signing out here: where to send the browser so the provider ends its session too (a signed LogoutRequest), or
   * null when the session did not come from a SAML provider that offers single logout. Asked before the session
   * ends, since what the provider named it goes with it.
   */
  async logoutUrlFor(sessionToken: string): Promise<string | null> {
    const session = await this.sessions.findSession(this.database.db, hashToken(sessionToken));
    if (!session) return null;
    const provider = await this.repository.findProvider(this.database.db, { id: session.provider_id });
    if (provider?.protocol !== 'saml' || !provider.is_enabled) return null;
    const idp = this.#idpOf(provider);
    if (!idp.logoutUrl) return null;
    return this.#logout.requestUrl(provider.slug, idp, await this.#keys(), {
      nameID: session.name_id,
      nameIDFormat: session.name_id_format,
      sessionIndex: session.session_index,
    });
  }

  /**
   * A single-logout message from the provider, at this site's logout address. A LogoutRequest ends the sessions it
   * names (its NameID, narrowed to its SessionIndex when it gives one) and is answered with a signed LogoutResponse
   * (the address to send the browser to); a LogoutResponse, the provider's answer to ours, leads to the signed-out
   * page. An unsigned or forged message is refused, audited, and ends nothing.
   */
  async receiveLogout(
    slug: string,
    query: Record<string, string>,
    rawQuery: string,
    ip: string | null,
  ): Promise<{ redirect: string }> {
    const provider = await this.repository.findProvider(this.database.db, { slug });
    if (provider?.protocol !== 'saml') throw notFound('That SAML provider');
    const idp = this.#idpOf(provider);
    const keys = await this.#keys();
    let message: Awaited<ReturnType<SamlLogout['read']>>;
    try {
      message = await this.#logout.read(provider.slug, idp, keys, query, rawQuery);
    } catch (error) {
      if (!(error instanceof SamlError)) throw error;
      await this.audit.record(this.database.db, null, {
        action: 'sso.logout_refused',
        entityType: 'identity_provider',
        entityId: provider.id,
        after: { provider: provider.slug, reason: error.reason, detail: error.message },
        ip,
      });
      throw new SsoFailure(error.reason);
    }
    if (message.kind === 'response') return { redirect: '/login?signed_out=1' };
    const how = `single logout (${provider.slug})`;
    await this.database.db.transaction().execute(async (trx) => {
      const named = await this.sessions.findSessionsNamed(
        trx,
        provider.id,
        message.names.nameID,
        message.sessionIndexes,
      );
      for (const session of named) {
        await this.accounts.endSessionWithin(trx, session.session_id, session.user_id, how, ip);
      }
      await this.audit.record(trx, null, {
        action: 'sso.single_logout',
        entityType: 'identity_provider',
        entityId: provider.id,
        after: { provider: provider.slug, sessionsEnded: named.length },
        ip,
      });
    });
    const redirect = idp.logoutUrl
      ? await this.#logout.responseUrl(provider.slug, idp, keys, message.request, query.RelayState ?? '')
      : '/login?signed_out=1';
    return { redirect };
  }

  #idpOf(provider: ProviderRow) {
    const read = readIdpMetadata(provider.idp_metadata_xml ?? '');
    // Metadata is checked when an administrator saves it; a row that no longer reads is a stored fault.
    if ('problem' in read) throw new Error(`stored SAML metadata of ${provider.slug} ${read.problem}`);
    return read.metadata;
  }

  #keys() {
    return serviceProviderKeys(this.database.db, this.repository, this.settings, this.clock.now());
  }
}
