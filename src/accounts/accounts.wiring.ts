import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { AccountEmailsService } from './account-emails.service.ts';
import type { AccountsEvents } from './accounts.events.ts';
import { AccountsRepository } from './accounts.repository.ts';
import { AccountsService, type PasswordSignInRule } from './accounts.service.ts';
import { FirstAdminService } from './first-admin.service.ts';
import { Invitations } from './invitations.ts';
import { type PasswordCost, PasswordHasher } from './password.ts';
import { PeopleService } from './people.service.ts';
import { SetupTokensRepository } from './setup-tokens.repository.ts';
import { SignUpService } from './sign-up.service.ts';

/** Builds the accounts module's services for the composition root; they share one repository. */
export function buildAccountServices(deps: {
  database: Database;
  audit: AuditService;
  notifications: NotificationsService;
  clock: Clock;
  jobs: JobQueue;
  events: EventPublisher<AccountsEvents>;
  settings: { publicUrl: string; institutionName: () => Promise<string>; canMail: boolean };
  /** The argon2id work for new password hashes (the standard cost unless a test app asks for less). */
  passwordCost?: PasswordCost;
  /** The sso module's rule for accounts whose password no longer opens the site. */
  isPasswordSignInClosed: PasswordSignInRule;
}) {
  const { database, audit, notifications, clock, jobs, events, settings } = deps;
  const repository = new AccountsRepository();
  const passwords = new PasswordHasher(deps.passwordCost);
  const invitations = new Invitations(repository, notifications, clock, settings.publicUrl);
  const accounts = new AccountsService(
    database,
    audit,
    notifications,
    clock,
    jobs,
    events,
    settings,
    passwords,
    deps.isPasswordSignInClosed,
    repository,
  );
  const people = new PeopleService(database, audit, clock, repository, invitations, settings.institutionName);
  const firstAdmin = new FirstAdminService(
    database,
    audit,
    notifications,
    clock,
    repository,
    new SetupTokensRepository(),
    invitations,
    settings,
    passwords,
  );
  const signUp = new SignUpService(database, audit, notifications, clock, events, settings, passwords);
  const emails = new AccountEmailsService(database, audit, notifications, clock, events, settings);
  return { accounts, people, firstAdmin, signUp, emails };
}
