import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import type { EventPublisher } from '../platform/events.ts';
import { hashToken, isUuid, newId, newToken } from '../platform/ids.ts';
import { AccountEmailsRepository } from './account-emails.repository.ts';
import type { AccountsEvents } from './accounts.events.ts';
import { addressConfirmationMail } from './accounts.mail.ts';
import { ADDRESS_LINK_TTL_MS, MAX_EXTRA_ADDRESSES, primaryProblem, removalProblem } from './address-book.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One of the account's addresses, with what its owner may do with it. */
export interface AccountAddress {
  /** Null for the primary address (it lives on the account itself). */
  id: string | null;
  email: string;
  isPrimary: boolean;
  isVerified: boolean;
  /** A confirmation link was sent and still works. */
  isWaiting: boolean;
  canRemove: boolean;
  canMakePrimary: boolean;
}

/** What a confirmation link leads to, for the page that asks the owner to confirm. */
export type AddressLink = { state: 'live'; email: string } | { state: 'invalid' };

const linkRefused = () =>
  new AppError(
    'INVALID_STATE',
    'This confirmation link has expired, was already used, or is for another account.',
  );

/**
 * The addresses a person holds besides their primary one (university, personal, work): added with a link mailed
 * to the new address alone, confirmed by opening it while signed in to the account, one made primary. Any confirmed
 * address signs in and resets the password (AccountsService), and badges sent to any of them are the account's.
 */
export class AccountEmailsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly events: EventPublisher<AccountsEvents>,
    private readonly settings: { publicUrl: string; institutionName: () => Promise<string> },
    private readonly repository = new AccountEmailsRepository(),
  ) {}

  /** The person's addresses, primary first. */
  async list(actor: Actor): Promise<AccountAddress[]> {
    return this.#addresses(this.database.db, actor.id);
  }

  /**
   * The addresses whose badges belong to the account: its primary address and the extra ones it has proven.
   * Other modules (the backpack) ask this rather than reading the accounts tables.
   */
  async addressesOf(db: Db, userId: string): Promise<string[]> {
    const addresses = await this.#addresses(db, userId);
    return addresses.filter((a) => a.isPrimary || a.isVerified).map((a) => a.email);
  }

  /**
   * The addresses the account has proven (its primary only once proven). Without a claim link, which came to the
   * mailbox and so proves it, this is what makes a badge waiting under an address the account's: a self sign-up
   * that merely typed someone's address must not see, claim or copy the badges waiting for them.
   */
  async provenAddressesOf(db: Db, userId: string): Promise<string[]> {
    const addresses = await this.#addresses(db, userId);
    return addresses.filter((a) => a.isVerified).map((a) => a.email);
  }

  /**
   * Adds an address and mails it a confirmation link. An address another account already holds is answered and
   * listed the same way, with no mail, so neither form nor list tells who uses which address; it is recorded for
   * the office.
   */
  async add(actor: Actor, input: string, ip: string | null): Promise<void> {
    const email = normaliseEmail(input);
    if (email.length > 320 || !EMAIL.test(email)) {
      throw invalid([{ field: 'email', reason: 'must be an e-mail address' }]);
    }
    const token = newToken();
    const now = this.clock.now();
    const institution = await this.settings.institutionName();
    await this.database.db.transaction().execute(async (trx) => {
      const user = await this.repository.lockUser(trx, actor.id);
      if (!user) throw notFound('Your account');
      if (normaliseEmail(user.email) === email) {
        throw invalid([{ field: 'email', reason: 'is already your primary address' }]);
      }
      const mine = await this.repository.findOwnedAddress(trx, actor.id, email);
      if (mine?.verified_at) throw invalid([{ field: 'email', reason: 'is already on your account' }]);
      const takenBy =
        (await this.repository.primaryOwnerOf(trx, email)) ??
        (await this.repository.verifiedOwnerOf(trx, email));
      const expiresAt = new Date(now.getTime() + ADDRESS_LINK_TTL_MS);
      // An address another account holds waits on the list like any other, under a link nobody is sent: were it
      // left off, the list (and the limit below) would tell the asker that the address has an account here.
      if (mine) {
        await this.repository.replaceToken(trx, mine.id, hashToken(token), expiresAt);
      } else {
        if ((await this.repository.listOf(trx, actor.id)).length >= MAX_EXTRA_ADDRESSES) {
          throw invalid([
            {
              field: 'email',
              reason: `cannot be added: an account holds at most ${MAX_EXTRA_ADDRESSES} extra addresses`,
            },
          ]);
        }
        await this.repository.insert(trx, {
          id: newId(),
          userId: actor.id,
          email,
          tokenHash: hashToken(token),
          expiresAt,
        });
      }
      if (takenBy && takenBy !== actor.id) {
        await this.audit.record(trx, actor, {
          action: 'account.address_add_refused',
          entityType: 'user',
          entityId: actor.id,
          after: { email, reason: 'held by another account' },
          ip,
        });
        return;
      }
      const url = `${this.settings.publicUrl}/account/emails/confirm?token=${token}`;
      await this.notifications.queueMail(trx, {
        ...addressConfirmationMail(email, actor.name, url, institution),
        kind: 'email_verification',
      });
      await this.audit.record(trx, actor, {
        action: 'account.address_added',
        entityType: 'user',
        entityId: actor.id,
        after: { email },
        ip,
      });
    });
  }

  /** Reads a confirmation link without spending it (mail scanners open links too). */
  async inspect(actor: Actor, token: string): Promise<AddressLink> {
    if (token.length > 200) return { state: 'invalid' };
    const row = await this.repository.findByToken(this.database.db, hashToken(token));
    if (!row || row.user_id !== actor.id || !row.token_expires_at) return { state: 'invalid' };
    if (row.token_expires_at.getTime() <= this.clock.now().getTime()) return { state: 'invalid' };
    return { state: 'live', email: row.email };
  }

  /**
   * Confirms the address behind a link: only for the account that added it, once, before it expires, and only
   * while no other account holds the address proven. Other accounts' unconfirmed claims on it are dropped.
   */
  async confirm(actor: Actor, token: string, ip: string | null): Promise<string> {
    const now = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      await this.repository.lockUser(trx, actor.id);
      const spent = await this.repository.spendToken(trx, hashToken(token), actor.id, now);
      if (!spent) throw linkRefused();
      const primaryOf = await this.repository.primaryOwnerOf(trx, spent.email);
      if (primaryOf && primaryOf !== actor.id) throw linkRefused();
      await this.repository.dropUnprovenClaims(trx, spent.email, spent.id);
      await this.audit.record(trx, actor, {
        action: 'account.address_confirmed',
        entityType: 'user',
        entityId: actor.id,
        after: { email: spent.email },
        ip,
      });
      // The learners module links a learner record kept under this address, as for a proven primary address.
      await this.events.publish(trx, 'account.email_verified', {
        userId: actor.id,
        email: spent.email,
        how: 'address confirmation',
        ip,
      });
      return spent.email;
    });
  }

  /** Removes an extra address, unless it is the last proven one (see address-book.ts). */
  async remove(actor: Actor, id: string, ip: string | null): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.lockUser(trx, actor.id);
      const addresses = await this.#addresses(trx, actor.id);
      const target = addresses.find((a) => a.id !== null && a.id === id);
      if (!target) throw notFound('That address');
      const problem = removalProblem(addresses, target);
      if (problem) throw invalid([{ field: 'address', reason: problem }], `${target.email} ${problem}.`);
      await this.repository.delete(trx, id);
      // A reset link mailed to the address would still open the account to whoever reads that mailbox now (an
      // employer's or a former university's). All go, as one mailed while it was primary does not name it.
      await this.repository.spendResetLinksOf(trx, actor.id, this.clock.now());
      await this.audit.record(trx, actor, {
        action: 'account.address_removed',
        entityType: 'user',
        entityId: actor.id,
        before: { email: target.email },
        ip,
      });
    });
  }

  /** Makes a confirmed extra address primary; the former primary stays on the account as an extra one. */
  async makePrimary(actor: Actor, id: string, ip: string | null): Promise<void> {
    if (!isUuid(id)) throw notFound('That address');
    await this.database.db.transaction().execute(async (trx) => {
      const user = await this.repository.lockUser(trx, actor.id);
      const row = await this.repository.findOf(trx, actor.id, id);
      if (!user || !row) throw notFound('That address');
      const problem = primaryProblem({ isPrimary: false, isVerified: row.verified_at !== null });
      if (problem) throw invalid([{ field: 'address', reason: problem }], `${row.email} ${problem}.`);
      await this.repository.delete(trx, row.id);
      await this.repository.setPrimary(trx, actor.id, row.email, row.verified_at!);
      await this.repository.insertFormerPrimary(trx, {
        id: newId(),
        userId: actor.id,
        email: user.email,
        verifiedAt: user.email_verified_at,
      });
      await this.audit.record(trx, actor, {
        action: 'account.primary_address_changed',
        entityType: 'user',
        entityId: actor.id,
        before: { email: user.email },
        after: { email: row.email },
        ip,
      });
    });
  }

  async #addresses(db: Db, userId: string): Promise<AccountAddress[]> {
    const user = await this.repository.primaryOf(db, userId);
    if (!user) return [];
    const now = this.clock.now().getTime();
    const facts = [
      {
        id: null,
        email: user.email,
        isPrimary: true,
        isVerified: user.email_verified_at !== null,
        isWaiting: false,
      },
      ...(await this.repository.listOf(db, userId)).map((row) => ({
        id: row.id,
        email: row.email,
        isPrimary: false,
        isVerified: row.verified_at !== null,
        isWaiting: row.token_expires_at !== null && row.token_expires_at.getTime() > now,
      })),
    ];
    return facts.map((a) => ({
      ...a,
      canRemove: removalProblem(facts, a) === null,
      canMakePrimary: primaryProblem(a) === null,
    }));
  }
}
