import type { AccountEmailsService } from '../accounts/account-emails.service.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { passwordProblem } from '../accounts/password.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { LearnersService } from '../learners/learners.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, type FieldProblem, invalid, invalidState } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { hashToken, newId } from '../platform/ids.ts';
import type { BackpackEvents } from './backpack.events.ts';
import { claimMail } from './backpack.mail.ts';
import type { BackpackRepository } from './backpack.repository.ts';
import type { BackpackItemRow } from './backpack.tables.ts';
import { CLAIM_TOKEN_TTL_MS, isSignedClaimToken, newClaimToken } from './claim-token.ts';
import type { MailTemplatesService } from './mail-templates.service.ts';

/** A claim link can be sent again for the same badge only after this long, whoever asks. */
const RESEND_PAUSE_MS = 5 * 60 * 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a claim link leads to, as the claim page needs to know it. */
export type ClaimLink =
  | { state: 'invalid' }
  | { state: 'used' }
  | { state: 'expired'; learnerEmail: string }
  | { state: 'claimed' }
  | { state: 'revoked'; programTitle: string }
  | {
      state: 'live';
      credentialId: string;
      learnerEmail: string;
      learnerName: string | null;
      programTitle: string;
      /** Whether an account already uses the address the badge was sent to (then: sign in, not sign up). */
      hasAccount: boolean;
    };

export type ClaimLinkState = ClaimLink['state'];

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === constraint;
}

/** The refusal for a link that cannot be used, carrying its state for the page that explains it. */
export class ClaimRefused extends AppError {
  constructor(readonly link: Exclude<ClaimLink, { state: 'live' }>) {
    const messages: Record<ClaimLink['state'], string> = {
      invalid: 'This claim link is not valid. Check that the whole address was copied.',
      used: 'This claim link was already used. Sign in to see the badge in your backpack.',
      expired: 'This claim link has expired. Ask for a new one below.',
      claimed: 'This badge is already in a backpack. Sign in to see it.',
      revoked: 'This badge was revoked, so it can no longer be claimed.',
      live: '',
    };
    super(link.state === 'invalid' ? 'NOT_FOUND' : 'INVALID_STATE', messages[link.state]);
  }
}

/**
 * Someone signed in under another address opened or posted a live link. The badge stays where it is and the link
 * keeps working for the person it was sent to; the page tells the visitor to sign out.
 */
export class ClaimForSomeoneElse extends AppError {
  constructor(
    readonly link: Extract<ClaimLink, { state: 'live' }>,
    readonly signedInAs: string,
  ) {
    super('FORBIDDEN', 'This badge was sent to someone else. Sign out and open the link again.');
  }
}

/**
 * Claiming: single-use, signed, expiring links mailed to the learner, which put a badge into the backpack of an
 * existing account (after sign-in) or of a new learner account made on the spot.
 */
export class ClaimsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly accounts: AccountsService,
    private readonly learners: LearnersService,
    private readonly credentials: CredentialsService,
    private readonly institution: InstitutionService,
    private readonly templates: MailTemplatesService,
    private readonly clock: Clock,
    private readonly settings: { publicUrl: string; secret: string },
    private readonly repository: BackpackRepository,
    /** Which addresses' badges an account may claim: its primary and its confirmed extra ones. */
    private readonly addresses: Pick<AccountEmailsService, 'addressesOf'>,
    private readonly events: EventPublisher<BackpackEvents>,
  ) {}

  /**
   * Makes a new claim link for a badge and queues the claim mail with it, inside the caller's transaction.
   * Only the link's hash is stored.
   */
  async sendClaimMail(trx: Db, item: BackpackItemRow, institutionName: string): Promise<string> {
    const token = newClaimToken(this.settings.secret);
    const now = this.clock.now();
    await this.repository.insertToken(trx, {
      tokenHash: hashToken(token),
      credentialId: item.credential_id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CLAIM_TOKEN_TTL_MS),
    });
    const { template } = await this.templates.claimTemplate(trx);
    const message = claimMail(item.learner_email, template, {
      learnerName: item.learner_name ?? 'there',
      programTitle: item.program_title,
      claimUrl: `${this.settings.publicUrl}/claim?token=${token}`,
      institutionName,
    });
    return this.notifications.queueMail(trx, { ...message, kind: 'badge_claim' });
  }

  /** The same for many badges at once (a tracking list's chunk): one insert each for tokens, mail and jobs. */
  async sendClaimMails(
    trx: Db,
    items: readonly BackpackItemRow[],
    institutionName: string,
  ): Promise<string[]> {
    if (items.length === 0) return [];
    const now = this.clock.now();
    const links = items.map((item) => ({ item, token: newClaimToken(this.settings.secret) }));
    await this.repository.insertTokens(
      trx,
      links.map(({ item, token }) => ({
        tokenHash: hashToken(token),
        credentialId: item.credential_id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CLAIM_TOKEN_TTL_MS),
      })),
    );
    const { template } = await this.templates.claimTemplate(trx);
    return this.notifications.queueMails(
      trx,
      links.map(({ item, token }) => ({
        ...claimMail(item.learner_email, template, {
          learnerName: item.learner_name ?? 'there',
          programTitle: item.program_title,
          claimUrl: `${this.settings.publicUrl}/claim?token=${token}`,
          institutionName,
        }),
        kind: 'badge_claim',
      })),
    );
  }

  /** Reads a claim link without using it (mail scanners open links too, so looking never spends one). */
  async inspect(token: string): Promise<ClaimLink> {
    if (!isSignedClaimToken(this.settings.secret, token)) return { state: 'invalid' };
    const db = this.database.db;
    const row = await this.repository.findToken(db, hashToken(token));
    if (!row) return { state: 'invalid' };
    if (row.used_at) return { state: 'used' };
    const item = await this.repository.findItem(db, row.credential_id);
    if (!item) return { state: 'invalid' };
    if (item.claimed_at) return { state: 'claimed' };
    const credential = await this.credentials.find(item.credential_id);
    if (!credential) return { state: 'invalid' };
    if (credential.status === 'revoked') return { state: 'revoked', programTitle: item.program_title };
    if (row.expires_at.getTime() <= this.clock.now().getTime()) {
      return { state: 'expired', learnerEmail: item.learner_email };
    }
    return {
      state: 'live',
      credentialId: item.credential_id,
      learnerEmail: item.learner_email,
      learnerName: item.learner_name,
      programTitle: item.program_title,
      hasAccount: (await this.#accountFor(item.learner_email)) !== undefined,
    };
  }

  /**
   * Puts the link's badge into the signed-in person's backpack; the link is spent. Only the account whose e-mail is
   * the address the badge went to may claim it: holding the link proves nothing about who is signed in (links get
   * forwarded, and a shared computer may have someone else's session open). A self sign-up whose address is not
   * proven yet may still claim (the link came to that mailbox), but its learner record is linked only once the
   * address is proven: `LearnersService.linkRecordToAccount` checks.
   */
  async claimForActor(actor: Actor, token: string, ip: string | null): Promise<string> {
    const link = await this.#live(token);
    const mine = await this.addresses.addressesOf(this.database.db, actor.id);
    if (!mine.some((address) => sameAddress(address, link.learnerEmail))) {
      // Kept for the credentials office: a forwarded link is innocent, repeated tries by one account are not.
      await this.audit.record(this.database.db, actor, {
        action: 'backpack.claim_refused',
        entityType: 'credential',
        entityId: link.credentialId,
        after: { signedInAs: actor.email, sentTo: link.learnerEmail, reason: 'another account' },
        ip,
      });
      throw new ClaimForSomeoneElse(link, actor.email);
    }
    const now = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      const credentialId = await this.#spend(trx, token, now);
      await this.#claim(trx, actor, credentialId, now, ip);
      await this.learners.linkRecordToAccount(trx, actor.id, actor.email);
      return credentialId;
    });
  }

  /**
   * Makes a learner account for the address the badge was sent to (holding the link shows the person reads
   * that mailbox), links their learner record, claims the badge and signs them in.
   */
  async claimWithNewAccount(
    token: string,
    input: { name: string; password: string; confirm: string },
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ credentialId: string; sessionToken: string }> {
    const link = await this.#live(token);
    if (link.hasAccount) {
      throw invalidState('An account already uses this e-mail address. Sign in to claim the badge.');
    }
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    if (name.length < 2 || name.length > 200) {
      problems.push({ field: 'name', reason: 'must be between 2 and 200 characters' });
    }
    const weak = passwordProblem(input.password, link.learnerEmail);
    if (weak) problems.push({ field: 'password', reason: weak });
    else if (input.password !== input.confirm)
      problems.push({ field: 'confirm', reason: 'does not match the password' });
    if (problems.length > 0) throw invalid(problems, 'Your account could not be set up yet.');

    const now = this.clock.now();
    const userId = newId();
    const credentialId = await this.database.db.transaction().execute(async (trx) => {
      const spent = await this.#spend(trx, token, now);
      try {
        await this.accounts.createUser(trx, {
          id: userId,
          email: link.learnerEmail,
          name,
          password: input.password,
          roles: ['learner'],
        });
      } catch (error) {
        if (!isUniqueViolation(error, 'users_email_key')) throw error;
        throw invalidState('An account already uses this e-mail address. Sign in to claim the badge.');
      }
      const actor: Actor = { id: userId, name, email: link.learnerEmail, roles: ['learner'] };
      const learnerId = await this.learners.linkRecordToAccount(trx, userId, link.learnerEmail);
      await this.audit.record(trx, actor, {
        action: 'account.created_by_claim',
        entityType: 'user',
        entityId: userId,
        after: { email: link.learnerEmail, name, roles: ['learner'], learnerId: learnerId ?? null },
        ip: meta.ip,
      });
      await this.#claim(trx, actor, spent, now, meta.ip);
      return spent;
    });
    const { token: sessionToken } = await this.accounts.login({
      email: link.learnerEmail,
      password: input.password,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { credentialId, sessionToken };
  }

  /**
   * Mails a fresh claim link for every unclaimed badge under an address. The caller learns nothing either way:
   * an unknown address and a known one get the same (empty) answer.
   */
  async resend(email: string, ip: string | null): Promise<void> {
    const address = normaliseEmail(email);
    if (address.length > 320 || !EMAIL.test(address)) {
      throw invalid([{ field: 'email', reason: 'must be an e-mail address' }]);
    }
    const waiting: BackpackItemRow[] = [];
    for (const item of await this.repository.unclaimedFor(this.database.db, address)) {
      const credential = await this.credentials.find(item.credential_id);
      if (credential && credential.status !== 'revoked') waiting.push(item);
    }
    if (waiting.length === 0) return;
    const institutionName = (await this.institution.get()).name;
    const now = this.clock.now();
    await this.database.db.transaction().execute(async (trx) => {
      for (const item of waiting) {
        const last = await this.repository.latestTokenAt(trx, item.credential_id);
        // A pause per badge, so nobody can fill a learner's inbox by asking from many places.
        if (last && now.getTime() - last.getTime() < RESEND_PAUSE_MS) continue;
        await this.repository.expireTokensOf(trx, item.credential_id, now);
        await this.sendClaimMail(trx, item, institutionName);
        await this.audit.record(trx, null, {
          action: 'backpack.claim_link_resent',
          entityType: 'credential',
          entityId: item.credential_id,
          ip,
        });
      }
    });
  }

  /** The live link behind a token, or the refusal that explains why it cannot be used. */
  async #live(token: string) {
    const link = await this.inspect(token);
    if (link.state !== 'live') throw new ClaimRefused(link);
    return link;
  }

  /** Spends the token inside the transaction; whoever spends it first wins, everyone else is refused. */
  async #spend(trx: Db, token: string, now: Date): Promise<string> {
    const credentialId = await this.repository.spendToken(trx, hashToken(token), now);
    if (!credentialId) throw new ClaimRefused({ state: 'used' });
    return credentialId;
  }

  async #claim(trx: Db, actor: Actor, credentialId: string, now: Date, ip: string | null): Promise<void> {
    const item = await this.repository.lockItem(trx, credentialId);
    if (!item || !(await this.repository.markClaimed(trx, credentialId, actor.id, now))) {
      throw new ClaimRefused({ state: 'claimed' });
    }
    await this.events.publish(trx, 'badge.acceptance_changed', {
      credentialId,
      acceptance: 'accepted',
      claimed: true,
    });
    await this.repository.expireTokensOf(trx, credentialId, now);
    await this.audit.record(trx, actor, {
      action: 'backpack.claimed',
      entityType: 'credential',
      entityId: credentialId,
      after: { userId: actor.id, sentTo: item.learner_email },
      ip,
    });
  }

  async #accountFor(email: string) {
    // Any account that signs in with the address (its primary or a confirmed extra one) is the badge's account.
    return this.accounts.findBySignInAddress(email);
  }
}
