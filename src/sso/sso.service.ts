import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import type { Role } from '../platform/db/schema.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import { hashToken, newToken } from '../platform/ids.ts';
import { openSealedSecret } from '../platform/sealed-secret.ts';
import { type KnownAccount, matchAccount } from './account-match.ts';
import { type ExternalProfile, profileOf } from './claims-mapping.ts';
import { readIdpMetadata } from './idp-metadata.ts';
import { OidcError, type OidcRelyingParty } from './oidc-adapter.ts';
import { SamlError, type SamlServiceProvider, serviceProviderUrls } from './saml-adapter.ts';
import { serviceProviderKeys } from './saml-keys.ts';
import { isPasswordSignInClosed, mayDo, SSO_REFUSAL } from './sso.policy.ts';
import { type AttemptRow, type ProviderRow, SsoRepository } from './sso.repository.ts';
import { SsoFailure, type SsoFailureReason } from './sso-failures.ts';
import { CLIENT_SECRET_PURPOSE } from './sso-providers.service.ts';

/** A sign-in through a provider waits this long for the person to come back. */
const ATTEMPT_TTL_MS = 10 * 60 * 1000;

/** What the learners module offers single sign-on: linking by the student ID a provider asserts. */
export interface RecordLinks {
  linkByStudentIdWithin(
    trx: Tx,
    userId: string,
    studentId: string,
    by: string,
  ): Promise<'linked' | 'already_linked' | 'no_record' | 'record_has_another_account' | 'student_id_differs'>;
  hasRecordWithin(trx: Tx, userId: string): Promise<boolean>;
}

/** The outcome of a person's return from the provider. */
export type SsoReturn =
  | { kind: 'signed_in'; sessionToken: string; next: string | null }
  | {
      kind: 'tested';
      provider: { id: string; label: string };
      claims: Record<string, unknown>;
      profile: ExternalProfile | null;
    };

/**
 * Single sign-on with the university's identity providers: the providers' settings, the sign-in round trip, and
 * the account a returning person becomes. Accounts are created and sessions opened through the accounts service;
 * learner records are linked through the learners module's.
 */
export class SsoService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly records: RecordLinks,
    private readonly clock: Clock,
    private readonly oidc: OidcRelyingParty,
    private readonly saml: SamlServiceProvider,
    private readonly settings: { publicUrl: string; secret: string },
    private readonly repository = new SsoRepository(),
  ) {}

  /** Where OpenID providers send people back: registered with each provider. */
  get redirectUri(): string {
    return `${this.settings.publicUrl}/sso/oidc/callback`;
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
      await this.#auditFailure(provider, 'provider_disabled', request.ip);
      throw new SsoFailure('provider_disabled');
    }
    let challenge: { url: string; state: string; nonce: string | null; codeVerifier: string | null };
    if (provider.protocol === 'saml') {
      // A SAML sign-in is bound by the AuthnRequest's id, which the answer must name in InResponseTo.
      const { url, requestId } = await this.saml.authorizeUrl(
        provider.slug,
        this.#idpOf(provider),
        await this.#keys(),
      );
      challenge = { url, state: requestId, nonce: null, codeVerifier: null };
    } else {
      try {
        challenge = await this.oidc.challenge(this.#clientOf(provider), this.redirectUri);
      } catch (error) {
        if (!(error instanceof OidcError)) throw error;
        await this.#auditFailure(provider, error.reason, request.ip, { detail: error.message });
        throw new SsoFailure(error.reason);
      }
    }
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
  async finishOidc(request: {
    cookie: string | undefined;
    callbackUrl: URL;
    actor: Actor | null;
    ip: string | null;
    userAgent: string | null;
  }): Promise<SsoReturn> {
    const { ip } = request;
    if (!request.cookie) {
      await this.#auditFailure(null, 'no_sign_in_in_progress', ip);
      throw new SsoFailure('no_sign_in_in_progress');
    }
    const attempt = await this.repository.claimAttempt(
      this.database.db,
      hashToken(request.cookie),
      this.clock.now(),
    );
    if (!attempt) {
      await this.#auditFailure(null, 'sign_in_expired_or_used', ip);
      throw new SsoFailure('sign_in_expired_or_used');
    }
    const provider = await this.repository.findProvider(this.database.db, { id: attempt.provider_id });
    if (!provider) throw new SsoFailure('sign_in_expired_or_used');
    if (request.callbackUrl.searchParams.get('state') !== attempt.state) {
      await this.#auditFailure(provider, 'wrong_state', ip);
      throw new SsoFailure('wrong_state');
    }
    let claims: Record<string, unknown>;
    try {
      claims = await this.oidc.finish(this.#clientOf(provider), request.callbackUrl, {
        state: attempt.state,
        nonce: attempt.nonce ?? '',
        codeVerifier: attempt.code_verifier ?? '',
      });
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      await this.#auditFailure(provider, error.reason, ip, { detail: error.message.slice(0, 300) });
      throw new SsoFailure(error.reason);
    }
    return this.#conclude(provider, attempt, claims, request);
  }

  /** The SAML metadata to give the provider registered under `slug`. */
  async serviceProviderMetadata(slug: string): Promise<string> {
    const provider = await this.repository.findProvider(this.database.db, { slug });
    if (provider?.protocol !== 'saml') throw notFound('That SAML provider');
    return this.saml.metadata(provider.slug, await this.#keys());
  }

  /**
   * A SAML provider's answer, posted by the person's browser to the provider's assertion consumer address. The
   * order of the checks makes each refusal name its own reason: the sign-in this browser started, the signature
   * and conditions (by the library), the recipient, a replay of an assertion already taken, then the request the
   * answer claims to answer. Every refusal is audited with its reason and thrown as an `SsoFailure`.
   */
  async finishSaml(request: {
    slug: string;
    cookie: string | undefined;
    samlResponse: string;
    actor: Actor | null;
    ip: string | null;
    userAgent: string | null;
  }): Promise<SsoReturn> {
    const { ip } = request;
    const refuse = async (provider: ProviderRow | null, reason: SsoFailureReason, detail?: string) => {
      await this.#auditFailure(provider, reason, ip, detail ? { detail } : {});
      return new SsoFailure(reason);
    };
    const addressed = await this.repository.findProvider(this.database.db, { slug: request.slug });
    if (!request.cookie) throw await refuse(addressed ?? null, 'no_sign_in_in_progress');
    const now = this.clock.now();
    const attempt = await this.repository.claimAttempt(this.database.db, hashToken(request.cookie), now);
    if (!attempt) throw await refuse(addressed ?? null, 'sign_in_expired_or_used');
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
        request.samlResponse,
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
      now,
    );
    if (!isFirstUse) throw await refuse(provider, 'assertion_replayed', answer.assertionId);
    const named = answer.inResponseTo.filter((id): id is string => id !== null);
    if (named.length === 0) throw await refuse(provider, 'unsolicited_response');
    if (named.some((id) => id !== attempt.state)) throw await refuse(provider, 'wrong_in_response_to');
    return this.#conclude(provider, attempt, answer.claims, request);
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

  async #conclude(
    provider: ProviderRow,
    attempt: AttemptRow,
    claims: Record<string, unknown>,
    request: { actor: Actor | null; ip: string | null; userAgent: string | null },
  ): Promise<SsoReturn> {
    const profile = profileOf(provider.protocol, claims, provider.mapping, provider.email_domains);
    if (attempt.purpose === 'test') {
      if (!request.actor || request.actor.id !== attempt.requested_by) {
        await this.#auditFailure(provider, 'test_started_by_someone_else', request.ip);
        throw new SsoFailure('test_started_by_someone_else');
      }
      await this.audit.record(this.database.db, request.actor, {
        action: 'sso.test_sign_in',
        entityType: 'identity_provider',
        entityId: provider.id,
        after: { provider: provider.slug, subject: profile?.subject ?? null, received: Object.keys(claims) },
        ip: request.ip,
      });
      return { kind: 'tested', provider: { id: provider.id, label: provider.button_label }, claims, profile };
    }
    if (!profile) {
      await this.#auditFailure(provider, 'subject_missing', request.ip);
      throw new SsoFailure('subject_missing');
    }
    try {
      const sessionToken = await this.database.db
        .transaction()
        .execute((trx) => this.#signInWithin(trx, provider, profile, request));
      return { kind: 'signed_in', sessionToken, next: attempt.next };
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      // The sign-in's own writes rolled back; the refusal is recorded on its own.
      await this.#auditFailure(provider, error.reason, request.ip, {
        subject: profile.subject,
        email: profile.email,
        ...(error.detail ? { detail: error.detail } : {}),
      });
      throw error;
    }
  }

  async #signInWithin(
    trx: Tx,
    provider: ProviderRow,
    profile: ExternalProfile,
    request: { ip: string | null; userAgent: string | null },
  ): Promise<string> {
    const now = this.clock.now();
    const how = `single sign-on (${provider.slug})`;
    const known = async (userId: string | undefined): Promise<KnownAccount | undefined> => {
      const user = userId ? await this.accounts.findUserWithin(trx, { id: userId }) : undefined;
      if (!user) return undefined;
      return {
        id: user.id,
        status: user.status,
        isEmailVerified: user.emailVerifiedAt !== null,
        hasOtherIdentityHere: await this.repository.hasOtherIdentity(
          trx,
          provider.id,
          user.id,
          profile.subject,
        ),
      };
    };
    const linked = await known(await this.repository.findIdentity(trx, provider.id, profile.subject));
    const byEmail = profile.email
      ? await known((await this.accounts.findUserWithin(trx, { email: profile.email }))?.id)
      : undefined;
    const match = matchAccount(profile, linked, byEmail);
    let userId: string;
    switch (match.kind) {
      case 'refuse':
        throw new SsoFailure(match.reason);
      case 'returning':
        userId = match.userId;
        await this.repository.touchIdentity(trx, provider.id, profile.subject, now);
        break;
      case 'link_by_email': {
        userId = match.userId;
        await this.repository.linkIdentity(trx, provider.id, profile.subject, userId, now);
        const user = (await this.accounts.findUserWithin(trx, { id: userId }))!;
        await this.accounts.proveEmailWithin(trx, user, request.ip);
        break;
      }
      case 'create': {
        const roles: Role[] = profile.grantedRoles.length > 0 ? profile.grantedRoles : ['learner'];
        const actor = await this.accounts.createExternalAccountWithin(trx, {
          email: profile.email!,
          name: profile.name,
          roles,
          isEmailVerified: profile.isEmailVerified,
          how,
          ip: request.ip,
        });
        userId = actor.id;
        await this.repository.linkIdentity(trx, provider.id, profile.subject, userId, now);
        break;
      }
    }
    let record: string | null = null;
    if (profile.studentId) {
      record = await this.records.linkByStudentIdWithin(trx, userId, profile.studentId, how);
      if (record === 'student_id_differs' || record === 'record_has_another_account') {
        throw new SsoFailure('student_id_conflict', record);
      }
    }
    if (await this.records.hasRecordWithin(trx, userId))
      await this.accounts.grantRole(trx, userId, 'learner');
    const user = (await this.accounts.findUserWithin(trx, { id: userId }))!;
    if (profile.managedRoles.length > 0) {
      await this.accounts.syncManagedRolesWithin(
        trx,
        user,
        profile.managedRoles,
        profile.grantedRoles,
        request.ip,
      );
    }
    const actor = (await this.accounts.findUserWithin(trx, { id: userId }))!;
    await this.audit.record(trx, actor, {
      action: 'sso.signed_in',
      entityType: 'identity_provider',
      entityId: provider.id,
      after: { provider: provider.slug, subject: profile.subject, account: match.kind, record },
      ip: request.ip,
    });
    return this.accounts.openSessionWithin(trx, actor, { ...request, via: how });
  }

  async #auditFailure(
    provider: ProviderRow | null,
    reason: SsoFailureReason,
    ip: string | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.record(this.database.db, null, {
      action: 'sso.sign_in_failed',
      entityType: 'identity_provider',
      entityId: provider?.id ?? null,
      after: { provider: provider?.slug ?? null, reason, ...extra },
      ip,
    });
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
