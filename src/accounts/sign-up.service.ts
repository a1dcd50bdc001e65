import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, type FieldProblem, invalid } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { hashToken, newId, newToken } from '../platform/ids.ts';
import type { AccountsEvents } from './accounts.events.ts';
import { AccountsRepository } from './accounts.repository.ts';
import { SESSION_IDLE_MS, toActor } from './accounts.service.ts';
import { recordEmailProven } from './email-proof.ts';
import { type PasswordHasher, passwordProblem } from './password.ts';
import { isSafeNext } from './safe-next.ts';
import { signUpAgainMail, verifyEmailMail } from './sign-up.mail.ts';
import { SignUpAttemptsRepository } from './sign-up-attempts.repository.ts';

/** How many sign-up and verification mails one address may receive, and in what window. */
export const SIGN_UP_LIMITS = { mailsPerAddress: 3, windowMs: 60 * 60 * 1000 } as const;
const VERIFY_TTL_MS = 24 * 60 * 60 * 1000;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why a verification link was not taken with the password given beside it. */
export const WRONG_SIGN_UP_PASSWORD = 'is not the one chosen when this account was created';

/** What the sign-up form sends. */
export interface SignUpForm {
  name: string;
  email: string;
  password: string;
  confirm: string;
  next?: string | undefined;
}

const isEmailTaken = (error: unknown): boolean => {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'users_email_key';
};

/** The refusal once an address has had its mails for the hour; the same words whether or not it has an account. */
const tooManyMails = () =>
  new AppError(
    'RATE_LIMITED',
    'Several e-mails have already gone to this address in the last hour. Check your inbox (and spam folder), or try again in an hour.',
  );

/**
 * Learners create their own accounts. The address is only what they typed until they open the link mailed to it;
 * the answer to the form never says whether the address already has an account (its owner is mailed instead).
 */
export class SignUpService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly events: EventPublisher<AccountsEvents>,
    private readonly settings: { publicUrl: string; institutionName: () => Promise<string> },
    private readonly passwords: PasswordHasher,
    private readonly repository = new AccountsRepository(),
    private readonly attempts = new SignUpAttemptsRepository(),
  ) {}

  /**
   * Checks the form, then either creates an unverified learner account and mails its link, or (the address has
   * an account) mails the owner. Both take the same work, the password's hash included, so neither the page nor
   * its timing tells them apart.
   */
  async signUp(form: SignUpForm, ip: string | null): Promise<void> {
    const email = normaliseEmail(form.email);
    const name = form.name.trim();
    const problems: FieldProblem[] = [];
    if (name.length < 2 || name.length > 200)
      problems.push({ field: 'name', reason: 'must be between 2 and 200 characters' });
    if (email.length > 320 || !EMAIL_PATTERN.test(email))
      problems.push({ field: 'email', reason: 'must be an e-mail address' });
    const weak = passwordProblem(form.password, email);
    if (weak) problems.push({ field: 'password', reason: weak });
    else if (form.password !== form.confirm)
      problems.push({ field: 'confirm', reason: 'does not match the password' });
    if (problems.length > 0) throw invalid(problems, 'Your account could not be created yet.');

    const passwordHash = await this.passwords.hash(form.password);
    const next = isSafeNext(form.next) ? form.next : undefined;
    const institution = await this.settings.institutionName();
    const attempt = (trx: Tx) => this.#countMail(trx, email);
    try {
      await this.database.db.transaction().execute(async (trx) => {
        await attempt(trx);
        // An address confirmed on another account (issue 19) is that account's as much as its primary one: the
        // owner is told at the address typed, and no second account gets it.
        const existing = await this.repository.findUserBySignInAddress(trx, email);
        if (existing) return this.#mailOwner(trx, { ...toActor(existing), email }, institution, ip);
        const id = newId();
        await this.repository.insertUser(trx, {
          id,
          email,
          name,
          passwordHash,
          status: 'active',
          emailVerifiedAt: null,
        });
        await this.repository.replaceRoles(trx, id, ['learner']);
        const actor: Actor = { id, name, email, roles: ['learner'] };
        await this.audit.record(trx, actor, {
          action: 'account.signed_up',
          entityType: 'user',
          entityId: id,
          after: { email, name, roles: ['learner'] },
          ip,
        });
        await this.#mailLink(trx, actor, institution, next);
      });
    } catch (error) {
      // Two sign-ups for one address at once: the second finds the first's account, as if it came later.
      if (!isEmailTaken(error)) throw error;
      await this.database.db.transaction().execute(async (trx) => {
        await attempt(trx);
        const existing = await this.repository.findUserBySignInAddress(trx, email);
        if (existing) await this.#mailOwner(trx, { ...toActor(existing), email }, institution, ip);
      });
    }
  }

  /** Whether a verification link can still be used (looking never spends it: mail scanners open links too). */
  async isLinkLive(token: string): Promise<boolean> {
    return (await this.linkOwner(token)) !== undefined;
  }

  /** The account a live verification link belongs to, or undefined when the link is spent, expired or unknown. */
  async linkOwner(token: string): Promise<string | undefined> {
    const live = await this.repository.findLiveToken(
      this.database.db,
      hashToken(token),
      'verify',
      this.clock.now(),
    );
    return live?.userId;
  }

  /**
   * Spends a verification link: the address is proven (the learners module then links the record with it), and
   * the person is signed in, since holding the link and the password shows they read that mailbox and made the
   * account. Returns the session token.
   */
  async verify(
    token: string,
    meta: { ip: string | null; userAgent: string | null },
    proof: { signedInAs: string | null; password?: string | undefined } = { signedInAs: null },
  ) {
    const now = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      const userId = await this.repository.claimToken(trx, hashToken(token), 'verify', now);
      const user = userId ? await this.repository.findUserById(trx, userId) : undefined;
      if (user?.status !== 'active') {
        throw new AppError('INVALID_STATE', 'This link has expired or was already used. Ask for a new one.');
      }
      // The link proves the mailbox, not who chose the password: anyone may sign up with someone else's address, and
      // the owner pressing the button in a mail they did not expect must not hand that stranger a proven account
      // (with the records and badges the address brings). So the link also needs the account's password, unless it
      // is opened where that account is already signed in. A wrong one spends nothing (the transaction is undone).
      if (proof.signedInAs !== user.id) {
        const matches = await this.passwords.verify(user.passwordHash, proof.password ?? '');
        if (!matches) throw invalid([{ field: 'password', reason: WRONG_SIGN_UP_PASSWORD }]);
      }
      const actor = toActor(user);
      const deps = { repository: this.repository, audit: this.audit, events: this.events };
      await recordEmailProven(trx, deps, actor, now, { how: 'sign-up link', ip: meta.ip });
      const sessionToken = newToken();
      await this.repository.insertSession(trx, {
        id: hashToken(sessionToken),
        userId: user.id,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await this.repository.recordLogin(trx, user.id, now);
      await this.audit.record(trx, actor, {
        action: 'account.login',
        entityType: 'user',
        entityId: user.id,
        after: { by: 'e-mail verification link' },
        ip: meta.ip,
      });
      return { sessionToken, actor };
    });
  }

  /** Whether the signed-in person still has to prove their address. */
  async needsVerification(actor: Actor): Promise<boolean> {
    const user = await this.repository.findUserById(this.database.db, actor.id);
    return user?.emailVerifiedAt === null;
  }

  /**
   * Mails the signed-in person a fresh verification link (earlier ones stop working). Counts against the address's
   * mails for the hour like a sign-up does. False when the address is already proven and nothing was sent.
   */
  async resend(actor: Actor, next: string | undefined, ip: string | null): Promise<boolean> {
    const institution = await this.settings.institutionName();
    return this.database.db.transaction().execute(async (trx) => {
      const user = await this.repository.findUserById(trx, actor.id);
      if (!user || user.emailVerifiedAt !== null) return false;
      await this.#countMail(trx, user.email);
      await this.repository.expireTokensOf(trx, user.id, 'verify', this.clock.now());
      await this.#mailLink(trx, toActor(user), institution, isSafeNext(next) ? next : undefined);
      await this.audit.record(trx, actor, {
        action: 'account.verification_resent',
        entityType: 'user',
        entityId: user.id,
        ip,
      });
      return true;
    });
  }

  async #countMail(trx: Tx, email: string): Promise<void> {
    const now = this.clock.now();
    const key = hashToken(`sign-up:${email}`);
    const count = await this.attempts.count(trx, key, now, new Date(now.getTime() - SIGN_UP_LIMITS.windowMs));
    if (count > SIGN_UP_LIMITS.mailsPerAddress) throw tooManyMails();
  }

  async #mailLink(trx: Tx, actor: Actor, institution: string, next: string | undefined): Promise<void> {
    const token = newToken();
    await this.repository.insertToken(trx, {
      tokenHash: hashToken(token),
      userId: actor.id,
      purpose: 'verify',
      expiresAt: new Date(this.clock.now().getTime() + VERIFY_TTL_MS),
    });
    const then = next ? `&next=${encodeURIComponent(next)}` : '';
    const url = `${this.settings.publicUrl}/signup/verify?token=${token}${then}`;
    await this.notifications.queueMail(trx, {
      ...verifyEmailMail(actor.email, actor.name, url, institution),
      kind: 'email_verification',
    });
  }

  async #mailOwner(trx: Tx, owner: Actor, institution: string, ip: string | null): Promise<void> {
    const base = this.settings.publicUrl;
    await this.notifications.queueMail(trx, {
      ...signUpAgainMail(
        owner.email,
        owner.name,
        { signIn: `${base}/login`, reset: `${base}/password/forgot` },
        institution,
      ),
      kind: 'sign_up_existing',
    });
    await this.audit.record(trx, null, {
      action: 'account.sign_up_for_existing',
      entityType: 'user',
      entityId: owner.id,
      ip,
    });
  }
}
