import type { AccountEmailsService } from '../accounts/account-emails.service.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CredentialsService } from '../credentials/credentials.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { LearnersService } from '../learners/learners.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { VerificationService } from '../verification/verification.service.ts';
import type { BackpackEvents } from './backpack.events.ts';
import { BackpackRepository } from './backpack.repository.ts';
import { BackpackService } from './backpack.service.ts';
import { ClaimsService } from './claims.service.ts';
import { type AddressesOf, ImportedBadgesService } from './imported-badges.service.ts';
import { MailTemplatesService } from './mail-templates.service.ts';
import { ProfileService } from './profile.service.ts';

/** Builds the backpack module's services (badges, claims, profiles) for the composition root. */
export function buildBackpackService(deps: {
  database: Database;
  audit: AuditService;
  notifications: NotificationsService;
  accounts: AccountsService;
  /** Which addresses' badges belong to an account: with a claim link, its primary and its confirmed extra ones; without, only those it has proven. */
  addresses: Pick<AccountEmailsService, 'addressesOf' | 'provenAddressesOf'>;
  learners: LearnersService;
  credentials: CredentialsService;
  verification: VerificationService;
  institution: InstitutionService;
  clock: Clock;
  /** Where claims, acceptances and declines are announced. */
  events: EventPublisher<BackpackEvents>;
  settings: { publicUrl: string; secret: string };
}): { backpack: BackpackService; profiles: ProfileService } {
  const {
    database,
    audit,
    notifications,
    accounts,
    addresses,
    learners,
    credentials,
    verification,
    institution,
    clock,
    settings,
  } = deps;
  const repository = new BackpackRepository();
  const templates = new MailTemplatesService(database, audit, clock, settings, repository);
  const claims = new ClaimsService(
    database,
    audit,
    notifications,
    accounts,
    learners,
    credentials,
    institution,
    templates,
    clock,
    settings,
    repository,
    addresses,
    deps.events,
  );
  const backpack = new BackpackService(
    database,
    audit,
    notifications,
    credentials,
    verification,
    institution,
    claims,
    templates,
    clock,
    settings,
    repository,
    addresses,
    deps.events,
  );
  const profiles = new ProfileService(database, audit, credentials, accounts, clock, settings);
  return { backpack, profiles };
}

/**
 * The badges learners bring from other issuers, checked by the verifier against each address the account has
 * proven (the accounts module answers which those are).
 */
export const buildImportedBadgesService = (deps: {
  database: Database;
  audit: AuditService;
  verification: VerificationService;
  clock: Clock;
  addressesOf: AddressesOf;
}) => new ImportedBadgesService(deps.database, deps.audit, deps.verification, deps.clock, deps.addressesOf);
