/**
 * The account a person back from an identity provider becomes, whichever protocol brought them: the audit of every
 * refusal, the administrator's test sign-in, account matching and creation, the learner record by student ID,
 * roles from groups, and the session. When the provider does not vouch for an address that an existing account
 * has, the person is offered to prove the address by a one-time link instead (see `sso-email-proofs.ts`).
 */
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { hashToken } from '../platform/ids.ts';
import type { Role } from '../platform/roles.ts';
import { type KnownAccount, matchAccount } from './account-match.ts';
import { type ExternalProfile, profileOf } from './claims-mapping.ts';
import type { AttemptRow, ProviderRow, SsoRepository } from './sso.repository.ts';
import type { SsoEmailProofs } from './sso-email-proofs.ts';
import { SsoFailure, type SsoFailureReason } from './sso-failures.ts';
import type { SsoSessionsRepository } from './sso-sessions.repository.ts';

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
  | { kind: 'email_proof_sent'; email: string; browserCookie: string }
  | {
      kind: 'tested';
      provider: { id: string; label: string };
      claims: Record<string, unknown>;
      profile: ExternalProfile | null;
    };

/** Who is asking, as the routes know it. */
export interface Requester {
  actor: Actor | null;
  ip: string | null;
  userAgent: string | null;
}

export class SsoSignIns {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly records: RecordLinks,
    private readonly clock: Clock,
    private readonly repository: SsoRepository,
    private readonly sessions: SsoSessionsRepository,
    private readonly proofs: SsoEmailProofs,
  ) {}

  /** Records a refused sign-in with its reason (outside any transaction the refusal rolled back). */
  async auditFailure(
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

  /** A validated answer: the administrator's test result, or the person signed in (or asked to prove an address). */
  async conclude(
    provider: ProviderRow,
    attempt: AttemptRow,
    claims: Record<string, unknown>,
    request: Requester,
  ): Promise<SsoReturn> {
    const profile = profileOf(provider.protocol, claims, provider.mapping, provider.email_domains);
    if (attempt.purpose === 'test') {
      if (!request.actor || request.actor.id !== attempt.requested_by) {
        await this.auditFailure(provider, 'test_started_by_someone_else', request.ip);
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
      await this.auditFailure(provider, 'subject_missing', request.ip);
      throw new SsoFailure('subject_missing');
    }
    try {
      return await this.database.db
        .transaction()
        .execute((trx) => this.#signInWithin(trx, provider, profile, claims, attempt.next, request));
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      // The sign-in's own writes rolled back; the refusal is recorded on its own.
      await this.auditFailure(provider, error.reason, request.ip, {
        subject: profile.subject,
        email: profile.email,
        ...(error.detail ? { detail: error.detail } : {}),
      });
      if (error.reason === 'email_unverified_account_exists' && error.offerProofTo) {
        return this.proofs.offer(provider, profile, error.offerProofTo, attempt.next, request.ip);
      }
      throw error;
    }
  }

  async #signInWithin(
    trx: Tx,
    provider: ProviderRow,
    profile: ExternalProfile,
    claims: Record<string, unknown>,
    next: string | null,
    request: Requester,
  ): Promise<SsoReturn> {
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
        throw new SsoFailure(match.reason, undefined, match.mayProveEmail ? byEmail?.id : undefined);
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
    const sessionToken = await this.accounts.openSessionWithin(trx, actor, { ...request, via: how });
    await this.#rememberSamlSession(trx, provider, claims, sessionToken, actor.id);
    return { kind: 'signed_in', sessionToken, next };
  }

  /** A SAML provider's names for the session, which its LogoutRequest will use to end it. */
  async #rememberSamlSession(
    trx: Tx,
    provider: ProviderRow,
    claims: Record<string, unknown>,
    sessionToken: string,
    userId: string,
  ): Promise<void> {
    if (provider.protocol !== 'saml' || typeof claims.nameID !== 'string') return;
    await this.sessions.insertSession(trx, {
      session_id: hashToken(sessionToken),
      user_id: userId,
      provider_id: provider.id,
      name_id: claims.nameID,
      name_id_format: typeof claims.nameIDFormat === 'string' ? claims.nameIDFormat : null,
      session_index: typeof claims.sessionIndex === 'string' ? claims.sessionIndex : null,
    });
  }
}
