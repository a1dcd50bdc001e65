import { z } from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db, Tx } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { hashToken, newId, newToken } from '../platform/ids.ts';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.ts';
import type { Role } from '../platform/roles.ts';
import type { AccountsEvents } from './accounts.events.ts';
import { passwordResetMail } from './accounts.mail.ts';
import { leavesNoAdministrator } from './accounts.policy.ts';
import { AccountsRepository, type UserWithRoles } from './accounts.repository.ts';
import { recordEmailProven } from './email-proof.ts';
import { type PasswordHasher, passwordProblem } from './password.ts';
import { SignInFailuresRepository } from './sign-in-failures.repository.ts';
import {
  ADDRESS_LIMITS,
  delayAfterFailures,
  forgetFailuresBefore,
  signInAccountKey,
  signInAddressKey,
  tooManyFailures,
  tooManyFromAddress,
} from './sign-in-limits.ts';

/**
 * The job that answers a password-reset request. The request itself only queues this, the same single insert
 * for every address, so neither the answer nor its timing can tell whether the address has an account.
 */
export const passwordResetJob: JobDefinition<{ email: string; ip: string | null }> = {
  name: 'password-reset-request',
  payload: z.object({ email: z.string().max(320), ip: z.string().max(100).nullable() }),
  retryLimit: 3,
};

/** Sessions last 12 hours from the last request; activity slides the window (refreshed at most every 5 minutes). */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const SESSION_REFRESH_MS = 5 * 60 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;

export const toActor = (u: UserWithRoles): Actor => ({
  id: u.id,
  name: u.name,
  email: u.email,
  roles: u.roles,
});

/** Whether this account may no longer sign in with a password (the sso module's rule). */
export type PasswordSignInRule = (user: { id: string; roles: readonly Role[] }) => Promise<boolean>;

/** Who is signed in, how they sign in and out, and who may do what. */
export class AccountsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly events: EventPublisher<AccountsEvents>,
    private readonly settings: { publicUrl: string; institutionName: () => Promise<string> },
    private readonly passwords: PasswordHasher,
    /**
     * Asked before a password is accepted: true when this account may no longer sign in with one (single sign-on
     * is required for staff). The rule is the sso module's, handed over by the composition root.
     */
    private readonly isPasswordSignInClosed: PasswordSignInRule,
    private readonly repository = new AccountsRepository(),
    private readonly failures = new SignInFailuresRepository(),
  ) {}

  /**
   * Gives a person a role if they lack it, inside the caller's transaction; true when it was added. Enrolling
   * makes someone a learner, and that must commit or fail with the enrolment.
   */
  grantRole(trx: Tx, userId: string, role: Role): Promise<boolean> {
    return this.repository.addRole(trx, userId, role);
  }

  /**
   * Checks e-mail and password; on success opens a session and returns its token (kept only in the cookie).
   * After repeated failures for one address the account must wait before the password is even checked
   * (see sign-in-limits.ts); unknown addresses wait the same way, so the wait reveals nothing.
   */
  async login(input: { email: string; password: string; ip: string | null; userAgent: string | null }) {
    const email = normaliseEmail(input.email);
    const accountKey = signInAccountKey(email);
    const addressKey = input.ip === null ? null : signInAddressKey(input.ip);
    const now = this.clock.now();
    const record = await this.failures.find(this.database.db, accountKey);
    if (record?.lockedUntil && record.lockedUntil > now) throw tooManyFailures(record.lockedUntil, now);
    const fromAddress = addressKey ? await this.failures.find(this.database.db, addressKey) : undefined;
    if (fromAddress?.lockedUntil && fromAddress.lockedUntil > now) {
      throw tooManyFromAddress(fromAddress.lockedUntil, now);
    }

    // Any proven address of the account signs in: a learner who left the university keeps a personal one.
    const user = await this.repository.findUserBySignInAddress(this.database.db, email);
    const matches = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !matches || user.status !== 'active') {
      await this.database.db.transaction().execute(async (trx) => {
        const count = await this.failures.recordFailure(trx, accountKey, now, forgetFailuresBefore(now));
        const delay = delayAfterFailures(count);
        if (delay > 0) await this.failures.lockUntil(trx, accountKey, new Date(now.getTime() + delay));
        if (addressKey) {
          const forget = new Date(now.getTime() - ADDRESS_LIMITS.windowMs);
          const fromHere = await this.failures.recordFailure(trx, addressKey, now, forget);
          const wait = delayAfterFailures(fromHere, ADDRESS_LIMITS);
          if (wait > 0) await this.failures.lockUntil(trx, addressKey, new Date(now.getTime() + wait));
        }
        await this.audit.record(trx, null, {
          action: 'account.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          after: { email, reason: user?.status === 'disabled' ? 'disabled' : 'mismatch', failures: count },
          ip: input.ip,
        });
      });
      throw new AppError(
        'UNAUTHENTICATED',
        'That e-mail address and password do not match an active account.',
      );
    }
    // With single sign-on required for staff, a staff member's password opens nothing (the break-glass
    // administrator excepted). The answer is the one a wrong password gets, so it reveals neither that the password
    // was right nor that the account is staff's; the sign-in page itself points staff to the provider's button.
    if (await this.isPasswordSignInClosed(user)) {
      await this.audit.record(this.database.db, null, {
        action: 'account.login_failed',
        entityType: 'user',
        entityId: user.id,
        after: { email, reason: 'password_sign_in_off_for_staff' },
        ip: input.ip,
      });
      throw new AppError(
        'UNAUTHENTICATED',
        'That e-mail address and password do not match an active account.',
      );
    }
    let token = '';
    await this.database.db.transaction().execute(async (trx) => {
      await this.failures.clear(trx, accountKey);
      token = await this.openSessionWithin(trx, toActor(user), input);
    });
    return { token, actor: toActor(user) };
  }

  /**
   * Opens a session for a person whose identity something else has established (a password above, or the
   * university's identity provider), inside the caller's transaction; returns the token for the cookie only.
   */
  async openSessionWithin(
    trx: Tx,
    actor: Actor,
    input: { ip: string | null; userAgent: string | null; via?: string },
  ): Promise<string> {
    const now = this.clock.now();
    const token = newToken();
    await this.repository.insertSession(trx, {
      id: hashToken(token),
      userId: actor.id,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await this.repository.recordLogin(trx, actor.id, now);
    await this.audit.record(trx, actor, {
      action: 'account.login',
      entityType: 'user',
      entityId: actor.id,
      ...(input.via ? { after: { via: input.via } } : {}),
      ip: input.ip,
    });
    return token;
  }

  /** The person behind a session cookie, or null when the session is unknown or expired. */
  async resolveSession(token: string): Promise<Actor | null> {
    const db = this.database.db;
    const now = this.clock.now();
    const holder = await this.repository.findLiveSessionHolder(db, hashToken(token), now);
    if (holder?.status !== 'active') return null;
    const { sessionId, sessionLastSeenAt, ...user } = holder;
    if (now.getTime() - sessionLastSeenAt.getTime() > SESSION_REFRESH_MS) {
      await this.repository.extendSession(db, sessionId, now, new Date(now.getTime() + SESSION_IDLE_MS));
    }
    return toActor(user);
  }

  async logout(actor: Actor | null, token: string, ip: string | null): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.deleteSession(trx, hashToken(token));
      if (actor) {
        await this.audit.record(trx, actor, {
          action: 'account.logout',
          entityType: 'user',
          entityId: actor.id,
          ip,
        });
      }
    });
  }

  /**
   * Ends one session by its id (the hash of its cookie's token), inside the caller's transaction: the university's
   * identity provider said the person signed out there. Audited as a sign-out, with how.
   */
  async endSessionWithin(trx: Tx, sessionId: string, userId: string, via: string, ip: string | null) {
    await this.repository.deleteSession(trx, sessionId);
    const user = await this.repository.findUserById(trx, userId);
    if (user) {
      await this.audit.record(trx, toActor(user), {
        action: 'account.logout',
        entityType: 'user',
        entityId: user.id,
        after: { via },
        ip,
      });
    }
  }

  /**
   * Takes a password-reset request: queues the job that will answer it and nothing else, whatever the address,
   * so the form answers the same, in the same time, for accounts and for strangers.
   */
  async requestPasswordReset(email: string, ip: string | null): Promise<void> {
    await this.jobs.send(passwordResetJob, { email: normaliseEmail(email), ip });
  }

  /** The reset job: mails a reset link when the address belongs to an active account, and does nothing otherwise. */
  async sendPasswordReset(email: string, ip: string | null): Promise<void> {
    const address = normaliseEmail(email);
    const user = await this.repository.findUserBySignInAddress(this.database.db, address);
    if (user?.status !== 'active') return;
    // The link goes to the address asked about, which may be one of the account's other proven addresses.
    const sentTo = address === normaliseEmail(user.email) ? undefined : address;
    const token = newToken();
    const institution = await this.settings.institutionName();
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.insertToken(trx, {
        tokenHash: hashToken(token),
        userId: user.id,
        purpose: 'reset',
        expiresAt: new Date(this.clock.now().getTime() + RESET_TTL_MS),
        ...(sentTo ? { sentTo } : {}),
      });
      const url = `${this.settings.publicUrl}/password/reset?token=${token}`;
      await this.notifications.queueMail(trx, {
        ...passwordResetMail(sentTo ?? user.email, user.name, url, institution),
        kind: 'password_reset',
      });
      await this.audit.record(trx, null, {
        action: 'account.reset_requested',
        entityType: 'user',
        entityId: user.id,
        ip,
      });
    });
  }

  /**
   * What the page behind a reset or invitation link shows: whether the link can still be used (the form, or a clear
   * "expired" page) and, for a live invitation, the address the account is for. That address is the invitee's own:
   * the link was mailed to it and they will sign in with it. A reset names none (its link may have gone to another
   * of the account's addresses), nor does a dead link.
   */
  async passwordLinkState(
    token: string,
    purpose: 'reset' | 'invite',
  ): Promise<{ live: boolean; accountEmail: string | null }> {
    const db = this.database.db;
    const found = await this.repository.findLiveToken(db, hashToken(token), purpose, this.clock.now());
    if (!found) return { live: false, accountEmail: null };
    if (purpose !== 'invite') return { live: true, accountEmail: null };
    const user = await this.repository.findUserById(db, found.userId);
    return { live: true, accountEmail: user?.email ?? null };
  }

  /** Sets a new password from a reset or invitation link; all such links are spent and other sessions end. */
  async completeTokenPassword(
    token: string,
    purpose: 'reset' | 'invite',
    password: string,
    ip: string | null,
  ) {
    const now = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      const claimed = await this.repository.claimTokenSentTo(trx, hashToken(token), purpose, now);
      const userId = claimed?.user_id;
      if (!userId) {
        throw new AppError('INVALID_STATE', 'This link has expired or was already used. Ask for a new one.');
      }
      const user = (await this.repository.findUserById(trx, userId))!;
      // A link issued before the account was deactivated must not bring it back.
      if (user.status === 'disabled') {
        throw new AppError('INVALID_STATE', 'This link has expired or was already used. Ask for a new one.');
      }
      const problem = passwordProblem(password, user.email);
      if (problem) throw invalid([{ field: 'password', reason: problem }]);
      await this.repository.setPassword(trx, userId, await this.passwords.hash(password));
      await this.repository.deleteSessionsOf(trx, userId);
      // Older reset and invitation links (one forwarded, or read by someone who had the mailbox for a while) would
      // set the password again over the one just chosen; the newest link used ends them all.
      await this.repository.spendTokensOf(trx, userId, now, 'reset');
      await this.repository.spendTokensOf(trx, userId, now, 'invite');
      // The link came to the address, so opening it proves the address, as a sign-up link does; a link mailed to
      // another of the account's addresses proves that one (already proven), not the primary.
      if (!claimed.sent_to) {
        const isNewlyProven = await recordEmailProven(
          trx,
          { repository: this.repository, audit: this.audit, events: this.events },
          toActor(user),
          now,
          { how: purpose === 'reset' ? 'password reset' : 'invitation', ip },
        );
        if (isNewlyProven) await this.#dropTypedAddresses(trx, toActor(user), ip);
      }
      await this.audit.record(trx, toActor(user), {
        action: purpose === 'reset' ? 'account.password_reset' : 'account.invitation_accepted',
        entityType: 'user',
        entityId: userId,
        ip,
      });
      return toActor(user);
    });
  }

  /** The account with this id or address, read through the caller's handle (an open transaction included). */
  findUserWithin(db: Db, by: { id: string } | { email: string }): Promise<UserWithRoles | undefined> {
    return 'id' in by
      ? this.repository.findUserById(db, by.id)
      : this.repository.findUserByEmail(db, normaliseEmail(by.email));
  }

  /**
   * Creates an active account, without a password, for someone the university's identity provider vouches for
   * (single sign-on, just in time). An address the provider says it verified counts as proven, which links the
   * learner record carrying it (the `account.email_verified` subscribers); any other stays unproven.
   */
  async createExternalAccountWithin(
    trx: Tx,
    input: {
      email: string;
      name: string;
      roles: Role[];
      isEmailVerified: boolean;
      how: string;
      ip: string | null;
    },
  ): Promise<Actor> {
    const id = newId();
    const email = normaliseEmail(input.email);
    await this.repository.insertUser(trx, {
      id,
      email,
      name: input.name,
      passwordHash: null,
      status: 'active',
      emailVerifiedAt: null,
    });
    await this.repository.replaceRoles(trx, id, input.roles);
    const actor: Actor = { id, name: input.name.trim(), email, roles: input.roles };
    await this.audit.record(trx, actor, {
      action: 'account.created',
      entityType: 'user',
      entityId: id,
      after: { email, name: actor.name, roles: input.roles, how: input.how },
      ip: input.ip,
    });
    if (input.isEmailVerified) await this.proveEmailWithin(trx, actor, input.ip);
    return actor;
  }

  /**
   * Records that the university's identity provider vouches for the account's address. If the address was not
   * proven before, whoever typed it (a stranger could have signed up with it) loses what they set: the password is
   * removed and their sessions end, so the account belongs to the address's proven owner alone.
   */
  async proveEmailWithin(trx: Tx, actor: Actor, ip: string | null): Promise<void> {
    const now = this.clock.now();
    const user = await this.repository.findUserById(trx, actor.id);
    if (!user || user.emailVerifiedAt) return;
    if (user.passwordHash) {
      await this.repository.clearPassword(trx, actor.id);
      await this.repository.deleteSessionsOf(trx, actor.id);
      await this.#dropTypedAddresses(trx, actor, ip);
    }
    await recordEmailProven(
      trx,
      { repository: this.repository, audit: this.audit, events: this.events },
      actor,
      now,
      { how: 'single sign-on', ip },
    );
  }

  /**
   * Removes the extra addresses added while the account's own address was unproven, when its owner first proves it:
   * whoever typed that address in may have been a stranger, and an address of theirs left on the account would
   * take a reset link and so the account (with the owner's record and badges) back.
   */
  async #dropTypedAddresses(trx: Tx, actor: Actor, ip: string | null): Promise<void> {
    for (const email of await this.repository.deleteExtraAddressesOf(trx, actor.id)) {
      await this.audit.record(trx, actor, {
        action: 'account.address_removed',
        entityType: 'user',
        entityId: actor.id,
        before: { email },
        after: { reason: 'added before the account’s own address was proven' },
        ip,
      });
    }
  }

  /**
   * Makes the roles an identity provider manages match what it says, inside the caller's transaction: of the
   * `managed` roles the person gets exactly those in `granted`; roles the provider does not manage stay as granted
   * in Stackable. The last active administrator keeps the role, so a group change cannot lock the site out.
   */
  async syncManagedRolesWithin(
    trx: Tx,
    actor: Actor,
    managed: readonly Role[],
    granted: readonly Role[],
    ip: string | null,
  ): Promise<Role[]> {
    const user = await this.repository.findUserById(trx, actor.id);
    if (!user) return [];
    const kept = user.roles.filter((role) => !managed.includes(role));
    let roles: Role[] = [...new Set([...kept, ...granted.filter((role) => managed.includes(role))])].sort();
    if (roles.join(',') === [...user.roles].sort().join(',')) return roles;
    await this.repository.lockAdministrators(trx);
    const administrators = await this.repository.countActiveAdministrators(trx);
    if (leavesNoAdministrator(user, { kind: 'roles', roles }, administrators)) {
      roles = [...roles, 'admin' as const].sort();
    }
    await this.repository.replaceRoles(trx, actor.id, roles);
    await this.audit.record(trx, actor, {
      action: 'account.roles_changed',
      entityType: 'user',
      entityId: actor.id,
      before: { roles: user.roles },
      after: { roles, by: 'identity provider groups' },
      ip,
    });
    return roles;
  }

  listUsers(search?: string) {
    return this.repository.listUsers(this.database.db, search);
  }

  /** The account that signs in with this address (primary or a confirmed extra one), if any. */
  findBySignInAddress(email: string) {
    return this.repository.findUserBySignInAddress(this.database.db, email);
  }

  findUser(id: string) {
    return this.repository.findUserById(this.database.db, id);
  }

  /**
   * Whether the person has proven their account's address. Until then the address is only what they typed, so it
   * must not open a learner record, an enrolment or a request made in that address's name.
   */
  async isEmailVerified(db: Db, userId: string): Promise<boolean> {
    return (await this.repository.findUserById(db, userId))?.emailVerifiedAt != null;
  }

  /** Accounts whose address contains the words typed, for staff who link a learner record (at most 20). */
  async findAccountsByEmail(fragment: string) {
    const text = fragment.trim();
    if (text.length < 3) return [];
    const users = await this.repository.findUsersByEmail(this.database.db, text, 20);
    return users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      status: u.status,
      isEmailVerified: u.emailVerifiedAt !== null,
    }));
  }

  /** The account with this proven address, if there is one (a new learner record with it is theirs). */
  async verifiedAccountByEmail(db: Db, email: string): Promise<Actor | undefined> {
    const user = await this.repository.findUserByEmail(db, email);
    return user?.emailVerifiedAt && user.status === 'active' ? toActor(user) : undefined;
  }

  /**
   * Creates an active account directly (demo seeding, the CLI, a badge claim). Its address counts as proven: an
   * operator vouches for it, or the claim link was opened from that mailbox.
   */
  async createUser(
    db: Db,
    input: { id?: string; email: string; name: string; password: string; roles: Role[] },
  ) {
    const id = input.id ?? newId();
    await this.repository.insertUser(db, {
      id,
      email: normaliseEmail(input.email),
      name: input.name,
      passwordHash: await this.passwords.hash(input.password),
      status: 'active',
      emailVerifiedAt: this.clock.now(),
    });
    await this.repository.replaceRoles(db, id, input.roles);
    return id;
  }
}
