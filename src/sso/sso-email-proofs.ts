/**
 * Proving an address a provider did not vouch for (Entra ID sends no `email_verified`; a provider's address may lie
 * outside its e-mail domains). The person back from the provider is told that a one-time link went to the address
 * of the existing account; the link, opened in the same browser and confirmed with a button, links their identity
 * at the provider to that account and proves the address. The link is kept only as its hash, goes only to the
 * address (never shown on a page, in the audit log or in the outbox copy staff read), works once and expires, and
 * works only in the browser that asked for it: someone who signs in at their provider with another person's
 * address cannot have that person link the stranger's identity by clicking a mail they did not expect.
 */
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { hashToken, newToken } from '../platform/ids.ts';
import { mailHtml } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';
import type { ExternalProfile } from './claims-mapping.ts';
import type { ProviderRow, SsoRepository } from './sso.repository.ts';
import { SsoFailure } from './sso-failures.ts';
import type { SsoSessionsRepository } from './sso-sessions.repository.ts';

/** How long a mailed link works. */
export const EMAIL_PROOF_TTL_MS = 30 * 60 * 1000;

/** The outbox, as this module uses it. */
export interface MailQueue {
  queueMail(db: Db, message: MailMessage & { kind: string }): Promise<string>;
}

/** The message with the one-time link. */
function emailProofMail(to: string, providerLabel: string, url: string): MailMessage {
  const lines = [
    `Someone (hopefully you) signed in with "${providerLabel}" and gave this address, which belongs to an ` +
      'account on our micro-credentials site.',
    'Open the link below in the same browser, within 30 minutes, to link that sign-in to your account. It works once.',
  ];
  const after =
    'If this was not you, ignore this message: nothing is linked and your account stays as it is.';
  return {
    to,
    subject: 'Confirm your address to link your university sign-in',
    text: `Hello,\n\n${lines.join('\n')}\n\nConfirm: ${url}\n\n${after}\n`,
    html: mailHtml({
      greeting: 'Hello,',
      paragraphs: lines,
      action: { label: 'Confirm and link', url },
      footnote: after,
    }),
    // Whoever holds the link (in the asking browser) links an identity to the account: only the recipient sees it.
    secrets: [url],
  };
}

export class SsoEmailProofs {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    private readonly mail: MailQueue,
    private readonly clock: Clock,
    private readonly repository: SsoRepository,
    private readonly proofs: SsoSessionsRepository,
    private readonly publicUrl: string,
  ) {}

  /** Mails a one-time link to the account's address; returns the browser's half of the binding. */
  async offer(
    provider: ProviderRow,
    profile: ExternalProfile,
    userId: string,
    next: string | null,
    ip: string | null,
  ): Promise<{ kind: 'email_proof_sent'; email: string; browserCookie: string }> {
    const token = newToken();
    const browserCookie = newToken();
    const now = this.clock.now();
    const url = `${this.publicUrl}/sso/link?token=${token}`;
    await this.database.db.transaction().execute(async (trx) => {
      const user = await this.accounts.findUserWithin(trx, { id: userId });
      if (!user) throw new SsoFailure('email_unverified_account_exists');
      await this.proofs.forgetOldEmailProofs(trx, new Date(now.getTime() - 24 * 60 * 60 * 1000));
      await this.proofs.insertEmailProof(trx, {
        token_hash: hashToken(token),
        browser_hash: hashToken(browserCookie),
        provider_id: provider.id,
        subject: profile.subject,
        user_id: user.id,
        email: user.email,
        next,
        expires_at: new Date(now.getTime() + EMAIL_PROOF_TTL_MS),
      });
      await this.mail.queueMail(trx, {
        ...emailProofMail(user.email, provider.button_label, url),
        kind: 'email_verification',
      });
      await this.audit.record(trx, null, {
        action: 'sso.email_proof_sent',
        entityType: 'user',
        entityId: user.id,
        after: { provider: provider.slug, subject: profile.subject },
        ip,
      });
    });
    return { kind: 'email_proof_sent', email: profile.email ?? '', browserCookie };
  }

  /** What the confirmation page shows for a live link opened in the browser that asked for it. */
  async pending(token: string, browserCookie: string | undefined) {
    const proof = await this.#live(this.database.db, token, browserCookie);
    const provider = await this.repository.findProvider(this.database.db, { id: proof.provider_id });
    return { email: proof.email, providerLabel: provider?.button_label ?? 'your university' };
  }

  /**
   * Links the identity to the account and proves its address; returns the provider to sign in with again (the
   * sign-in then finds the linked identity and applies the provider's student ID and roles as usual).
   */
  async confirm(
    token: string,
    browserCookie: string | undefined,
    ip: string | null,
  ): Promise<{ slug: string; next: string | null }> {
    return this.database.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const proof = await this.#live(trx, token, browserCookie);
      if (!(await this.proofs.useEmailProof(trx, proof.token_hash, now))) {
        throw new SsoFailure('email_proof_invalid');
      }
      const provider = await this.repository.findProvider(trx, { id: proof.provider_id });
      const user = await this.accounts.findUserWithin(trx, { id: proof.user_id });
      if (!provider || user?.status !== 'active') throw new SsoFailure('email_proof_invalid');
      const taken = await this.repository.findIdentity(trx, provider.id, proof.subject);
      const other = await this.repository.hasOtherIdentity(trx, provider.id, user.id, proof.subject);
      if ((taken && taken !== user.id) || other) throw new SsoFailure('email_linked_to_other_identity');
      if (!taken) await this.repository.linkIdentity(trx, provider.id, proof.subject, user.id, now);
      await this.accounts.proveEmailWithin(trx, user, ip);
      await this.audit.record(trx, user, {
        action: 'sso.linked_by_email_proof',
        entityType: 'identity_provider',
        entityId: provider.id,
        after: { provider: provider.slug, subject: proof.subject },
        ip,
      });
      return { slug: provider.slug, next: proof.next };
    });
  }

  async #live(db: Db, token: string, browserCookie: string | undefined) {
    const proof = await this.proofs.findLiveEmailProof(db, hashToken(token), this.clock.now());
    if (!proof) throw new SsoFailure('email_proof_invalid');
    if (!browserCookie || hashToken(browserCookie) !== proof.browser_hash) {
      throw new SsoFailure('email_proof_other_browser');
    }
    return proof;
  }
}
