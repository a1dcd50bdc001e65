import { timingSafeEqual } from 'node:crypto';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { normaliseEmail } from '../platform/email-address.ts';
import { invalid, invalidState, notFound } from '../platform/errors.ts';
import { hashToken, newId, newToken } from '../platform/ids.ts';
import { accountProblems, emailProblem } from './account-input.ts';
import type { AccountsRepository } from './accounts.repository.ts';
import { SESSION_IDLE_MS } from './accounts.service.ts';
import { COMMAND_LINE_INVITATION, type Invitations } from './invitations.ts';
import { type PasswordHasher, passwordProblem } from './password.ts';
import type { SetupTokensRepository } from './setup-tokens.repository.ts';

/** How long the setup link printed at start works. */
export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;

/** What `stackable admin create` did, for the command to report. */
export interface AdministratorCreated {
  userId: string;
  outcome: 'created' | 'granted' | 'already_admin';
  /** The link to choose a password, when the person has none yet and no mail server is configured. */
  link: string | null;
  /** Whether the link went by mail: sent now, or queued for the server to retry. */
  mail: { status: 'sent' } | { status: 'queued'; problem: string } | null;
}

/**
 * The first administrator of a new installation, made from the command line or from the one-time setup page.
 * The page only opens with a token the server prints at start while nobody holds the administrator role, and
 * closes for good once someone does.
 */
export class FirstAdminService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly repository: AccountsRepository,
    private readonly setupTokens: SetupTokensRepository,
    private readonly invitations: Invitations,
    private readonly settings: { institutionName: () => Promise<string>; canMail: boolean },
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * Makes an address an administrator: a new invited account, or the administrator role added to an existing
   * one. Someone without a password gets a fresh link (earlier ones die), mailed when a mail server is
   * configured and otherwise handed back for the operator to pass on. Running it twice makes no second account.
   */
  async createAdministrator(
    operator: AuditActor,
    input: { email: string; name?: string },
  ): Promise<AdministratorCreated> {
    const email = normaliseEmail(input.email);
    const problem = emailProblem(email);
    if (problem) throw invalid([{ field: 'email', reason: problem }]);
    const givenName = input.name?.trim();
    if (givenName !== undefined) {
      const problems = accountProblems({ name: givenName, email });
      if (problems.length > 0) throw invalid(problems);
    }
    const institution = this.settings.canMail ? await this.settings.institutionName() : '';
    const result = await this.database.db.transaction().execute(async (trx) => {
      const existing = await this.repository.findUserByEmail(trx, email);
      if (existing?.status === 'disabled') {
        throw invalidState(
          'That account is deactivated. Reactivate it from People and roles, or use another address.',
        );
      }
      const person = existing ?? {
        id: newId(),
        email,
        name: givenName ?? email.split('@')[0]!,
        status: 'invited' as const,
      };
      if (!existing) {
        await this.repository.insertUser(trx, {
          ...person,
          status: 'invited',
          passwordHash: null,
          emailVerifiedAt: null,
        });
      }
      const added = await this.repository.addRole(trx, person.id, 'admin');
      const outcome = !existing ? 'created' : added ? 'granted' : 'already_admin';
      const issued =
        person.status === 'invited'
          ? await this.invitations.issue(trx, person, {
              terms: COMMAND_LINE_INVITATION,
              inviter: 'The service operator',
              mailAs: this.settings.canMail ? { institution } : null,
            })
          : null;
      await this.setupTokens.spendAll(trx, this.clock.now());
      await this.audit.record(trx, operator, {
        action: 'account.administrator_created',
        entityType: 'user',
        entityId: person.id,
        after: { email, outcome, invitation: issued ? (issued.outboxId ? 'mailed' : 'printed') : 'none' },
      });
      return { userId: person.id, outcome, issued } as const;
    });
    const { issued } = result;
    if (!issued) return { userId: result.userId, outcome: result.outcome, link: null, mail: null };
    if (!issued.outboxId)
      return { userId: result.userId, outcome: result.outcome, link: issued.url, mail: null };
    return {
      userId: result.userId,
      outcome: result.outcome,
      link: null,
      mail: await this.#sendNow(issued.outboxId),
    };
  }

  /** Whether any administrator can sign in now. */
  async hasActiveAdministrator(): Promise<boolean> {
    return (await this.repository.countActiveAdministrators(this.database.db)) > 0;
  }

  /**
   * At start: a new setup token while nobody holds the administrator role, or null. Only its hash is stored,
   * in the database, so whichever app process answers the request accepts it.
   */
  async openSetup(): Promise<string | null> {
    const db = this.database.db;
    if (await this.repository.hasAnyAdministrator(db)) return null;
    const token = newToken();
    await db.transaction().execute(async (trx) => {
      await this.setupTokens.insert(trx, {
        tokenHash: hashToken(token),
        expiresAt: new Date(this.clock.now().getTime() + SETUP_TTL_MS),
      });
      await this.audit.record(
        trx,
        { system: 'start-up' },
        { action: 'account.setup_opened', entityType: 'setup' },
      );
    });
    return token;
  }

  /** Whether this token opens the setup page now. */
  async isSetupOpen(token: string): Promise<boolean> {
    const db = this.database.db;
    if (await this.repository.hasAnyAdministrator(db)) return false;
    return (await this.#matchingHash(db, token)) !== null;
  }

  /**
   * Creates the first administrator from the setup page and opens their session. The token is spent in the
   * same transaction, and a second attempt (or one after any administrator exists) finds the page closed.
   */
  async completeSetup(
    token: string,
    input: { name: string; email: string; password: string },
    client: { ip: string | null; userAgent: string | null },
  ): Promise<{ sessionToken: string; actor: Actor }> {
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const problems = accountProblems({ name, email });
    const weak = passwordProblem(input.password, email);
    if (weak) problems.push({ field: 'password', reason: weak });
    if (problems.length > 0) throw invalid(problems);
    const passwordHash = await this.passwords.hash(input.password);
    const sessionToken = newToken();
    const now = this.clock.now();
    return this.database.db.transaction().execute(async (trx) => {
      await this.repository.lockAdministrators(trx);
      const hash = (await this.repository.hasAnyAdministrator(trx))
        ? null
        : await this.#matchingHash(trx, token);
      if (!hash || !(await this.setupTokens.spend(trx, hash, now))) throw notFound();
      if (await this.repository.findUserByEmail(trx, email)) {
        throw invalid([{ field: 'email', reason: 'already has an account; use another address' }]);
      }
      const id = newId();
      // Whoever holds the setup token runs the server; the address they give is taken as theirs.
      await this.repository.insertUser(trx, {
        id,
        email,
        name,
        passwordHash,
        status: 'active',
        emailVerifiedAt: now,
      });
      await this.repository.addRole(trx, id, 'admin');
      await this.setupTokens.spendAll(trx, now);
      await this.repository.insertSession(trx, {
        id: hashToken(sessionToken),
        userId: id,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
      });
      await this.repository.recordLogin(trx, id, now);
      const actor: Actor = { id, name, email, roles: ['admin'] };
      await this.audit.record(trx, actor, {
        action: 'account.first_administrator',
        entityType: 'user',
        entityId: id,
        after: { email, name },
        ip: client.ip,
      });
      return { sessionToken, actor };
    });
  }

  /** The stored hash this token matches, compared in constant time against every live one. */
  async #matchingHash(db: Db, token: string): Promise<string | null> {
    const wanted = Buffer.from(hashToken(token), 'hex');
    let found: string | null = null;
    for (const stored of await this.setupTokens.liveHashes(db, this.clock.now())) {
      const candidate = Buffer.from(stored, 'hex');
      if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted)) found = stored;
    }
    return found;
  }

  /**
   * The operator is waiting at the terminal, so the invitation goes out now rather than when a server's worker
   * next looks. A failure leaves it queued: `deliver` has recorded why, and the running server retries it.
   */
  async #sendNow(outboxId: string): Promise<AdministratorCreated['mail']> {
    // A refusal is recorded and retried by the outbox; the operator is told now. A message the worker took
    // first is its to deliver.
    const outcome = await this.notifications.deliver(outboxId);
    return outcome.status === 'retrying' || outcome.status === 'failed'
      ? { status: 'queued', problem: outcome.problem }
      : { status: 'sent' };
  }
}
