import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { AppError, forbidden, invalid, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Role } from '../platform/roles.ts';
import { allRoles } from '../platform/roles.ts';
import { accountProblems } from './account-input.ts';
import {
  ACCOUNTS_REFUSAL,
  type AccountChange,
  type AccountsAction,
  isOwnAccount,
  LAST_ADMIN_REFUSAL,
  leavesNoAdministrator,
  mayDo,
  OWN_ACCOUNT_REFUSAL,
} from './accounts.policy.ts';
import type { AccountsRepository, UserWithRoles } from './accounts.repository.ts';
import { type Invitations, STAFF_INVITATION } from './invitations.ts';

/** People listed on one page of the administrators' screen. */
export const PEOPLE_PAGE_SIZE = 25;

/** One person on the screen, with what the administrator looking at it may do to them. */
export interface PersonRow extends Omit<UserWithRoles, 'passwordHash'> {
  isYou: boolean;
  isLastAdministrator: boolean;
  canChangeRoles: boolean;
  canDeactivate: boolean;
  canReactivate: boolean;
  canResendInvitation: boolean;
}

/**
 * People and roles, for administrators: invitations, role changes, deactivation and reactivation. Every change is
 * audited in its own transaction; nobody changes their own account, and the last active administrator stays.
 */
export class PeopleService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: AccountsRepository,
    private readonly invitations: Invitations,
    private readonly institutionName: () => Promise<string>,
  ) {}

  /** One page of people matching the search, 25 to a page, each with the actions this administrator may take. */
  async listPeople(actor: Actor, query: { search?: string; page?: number }) {
    this.#assertMay(actor, 'list_users');
    const db = this.database.db;
    const total = await this.repository.countUsers(db, query.search);
    const pages = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
    const page = Math.min(Math.max(1, query.page ?? 1), pages);
    const [users, activeAdministrators] = await Promise.all([
      this.repository.listUsersPage(db, query.search, {
        limit: PEOPLE_PAGE_SIZE,
        offset: (page - 1) * PEOPLE_PAGE_SIZE,
      }),
      this.repository.countActiveAdministrators(db),
    ]);
    const people: PersonRow[] = users.map(({ passwordHash: _hidden, ...user }) => {
      const isYou = isOwnAccount(actor, user.id);
      const isLast = leavesNoAdministrator(user, { kind: 'deactivate' }, activeAdministrators);
      return {
        ...user,
        isYou,
        isLastAdministrator: isLast,
        canChangeRoles: !isYou && mayDo(actor, 'change_roles') && user.status !== 'disabled',
        canDeactivate: !isYou && !isLast && mayDo(actor, 'deactivate_user') && user.status !== 'disabled',
        canReactivate: !isYou && mayDo(actor, 'reactivate_user') && user.status === 'disabled',
        canResendInvitation: !isYou && mayDo(actor, 'resend_invitation') && user.status === 'invited',
      };
    });
    return { people, total, page, pages, pageSize: PEOPLE_PAGE_SIZE, canInvite: mayDo(actor, 'invite_user') };
  }

  /** Creates an invited account with one or more roles and e-mails a link to choose a password. */
  async inviteUser(actor: Actor, input: { email: string; name: string; roles: Role[] }): Promise<string> {
    this.#assertMay(actor, 'invite_user');
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const roles = knownRoles(input.roles);
    const problems = accountProblems({ name, email });
    if (roles.length === 0) problems.push({ field: 'roles', reason: 'must include at least one role' });
    if (problems.length > 0) throw invalid(problems);
    if (await this.repository.findUserBySignInAddress(this.database.db, email)) {
      throw invalid([{ field: 'email', reason: 'already has an account' }]);
    }
    const id = newId();
    const institution = await this.institutionName();
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.insertUser(trx, {
        id,
        email,
        name,
        passwordHash: null,
        status: 'invited',
        emailVerifiedAt: null,
      });
      await this.repository.replaceRoles(trx, id, roles);
      await this.invitations.issue(
        trx,
        { id, email, name },
        { terms: STAFF_INVITATION, inviter: actor.name, mailAs: { institution } },
      );
      await this.audit.record(trx, actor, {
        action: 'account.invited',
        entityType: 'user',
        entityId: id,
        after: { email, name, roles },
      });
    });
    return id;
  }

  /** Replaces another person's roles. */
  async setRoles(actor: Actor, userId: string, roles: Role[]): Promise<void> {
    this.#assertMay(actor, 'change_roles');
    const chosen = knownRoles(roles);
    await this.#change(actor, userId, { kind: 'roles', roles: chosen }, async (trx, user) => {
      if (user.status === 'disabled')
        throw invalidState('Reactivate this account before changing its roles.');
      await this.repository.replaceRoles(trx, userId, chosen);
      return { action: 'account.roles_changed', before: { roles: user.roles }, after: { roles: chosen } };
    });
  }

  /** Deactivates an account: its sessions end now, its links die, and it cannot sign in until reactivated. */
  async deactivate(actor: Actor, userId: string): Promise<void> {
    this.#assertMay(actor, 'deactivate_user');
    await this.#change(actor, userId, { kind: 'deactivate' }, async (trx, user) => {
      if (user.status === 'disabled') throw invalidState('This account is already deactivated.');
      await this.repository.setStatus(trx, userId, 'disabled');
      await this.repository.deleteSessionsOf(trx, userId);
      await this.repository.spendTokensOf(trx, userId, this.clock.now());
      return {
        action: 'account.deactivated',
        before: { status: user.status },
        after: { status: 'disabled' },
      };
    });
  }

  /**
   * Lets a deactivated person sign in again. Someone who never chose a password goes back to invited; their old
   * link died with the deactivation, so an administrator resends the invitation.
   */
  async reactivate(actor: Actor, userId: string): Promise<void> {
    this.#assertMay(actor, 'reactivate_user');
    await this.#change(actor, userId, null, async (trx, user) => {
      if (user.status !== 'disabled') throw invalidState('This account is not deactivated.');
      const status = user.passwordHash === null ? 'invited' : 'active';
      await this.repository.setStatus(trx, userId, status);
      return { action: 'account.reactivated', before: { status: 'disabled' }, after: { status } };
    });
  }

  /** Sends an invited person a new link; the earlier one stops working. */
  async resendInvitation(actor: Actor, userId: string): Promise<void> {
    this.#assertMay(actor, 'resend_invitation');
    const institution = await this.institutionName();
    await this.#change(actor, userId, null, async (trx, user) => {
      if (user.status !== 'invited') throw invalidState('Only a pending invitation can be sent again.');
      await this.invitations.issue(trx, user, {
        terms: STAFF_INVITATION,
        inviter: actor.name,
        mailAs: { institution },
      });
      return { action: 'account.invitation_resent', after: { email: user.email } };
    });
  }

  /**
   * The shape every change to someone else's account takes: never one's own, one transaction holding the
   * administrators' lock, the last active administrator kept, and one audit entry.
   */
  async #change(
    actor: Actor,
    userId: string,
    change: AccountChange | null,
    apply: (trx: Tx, user: UserWithRoles) => Promise<{ action: string; before?: unknown; after?: unknown }>,
  ): Promise<void> {
    if (isOwnAccount(actor, userId)) throw forbidden(OWN_ACCOUNT_REFUSAL);
    await this.database.db.transaction().execute(async (trx) => {
      await this.repository.lockAdministrators(trx);
      const user = await this.repository.findUserById(trx, userId);
      if (!user) throw notFound('That account');
      if (change) {
        const activeAdministrators = await this.repository.countActiveAdministrators(trx);
        if (leavesNoAdministrator(user, change, activeAdministrators)) throw invalidState(LAST_ADMIN_REFUSAL);
      }
      const entry = await apply(trx, user);
      await this.audit.record(trx, actor, { ...entry, entityType: 'user', entityId: userId });
    });
  }

  #assertMay(actor: Actor, action: AccountsAction): void {
    if (!mayDo(actor, action)) throw forbidden(ACCOUNTS_REFUSAL);
  }
}

const knownRoles = (roles: readonly Role[]): Role[] =>
  [...new Set(roles)].filter((r) => allRoles.includes(r));

/** Whether an error is one the people screen shows on the page rather than as an error page. */
export const isPeopleRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && ['FORBIDDEN', 'INVALID_STATE', 'NOT_FOUND'].includes(error.code);
