import type { AuditService } from '../audit/audit.service.ts';
import type { BillingService } from '../billing/billing.service.ts';
import type { CredentialsService, IssuingOfficeLookup } from '../credentials/credentials.service.ts';
import type { RegisteredTerms } from '../learners/academic-term.ts';
import type { LearnerRecordsService } from '../learners/learner-records.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { Logger } from '../platform/logger.ts';
import type { BadgeRequestsService } from '../progress/badge-requests.service.ts';
import type { ProgressService } from '../progress/progress.service.ts';
import { AwardIssuer } from './award-issuer.ts';
import { ExpiryRemindersService, expiryRemindersJob } from './expiry-reminders.service.ts';
import { IssuedBadgesRepository } from './issued-badges.repository.ts';
import { IssuedBadgesService } from './issued-badges.service.ts';
import type { IssuingEvents } from './issuing.events.ts';
import { IssuingRepository } from './issuing.repository.ts';
import { IssuingService } from './issuing.service.ts';
import { RenewalsRepository } from './renewals.repository.ts';
import { RenewalsService } from './renewals.service.ts';
import type { StallTiming } from './tracking-list-heartbeat.ts';
import { TrackingListsRepository } from './tracking-lists.repository.ts';
import { issueTrackingListJob, TrackingListsService } from './tracking-lists.service.ts';

/** Builds the issuing module's services for the composition root (one call keeps `app.ts` short). */
export function buildIssuingServices(deps: {
  database: Database;
  audit: AuditService;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  credentials: CredentialsService;
  billing: BillingService;
  badgeRequests: BadgeRequestsService;
  progress: ProgressService;
  notifications: NotificationsService;
  /** Learner records a non-credit list's row may create (`TrackingListsService.createLearnerFromRow`). */
  learnerRecords: LearnerRecordsService;
  /** The registrar's terms (the catalog's Terms page), which a tracking list's term column names. */
  registeredTerms: RegisteredTerms;
  /** Where the award issuer announces issued awards. */
  events: EventPublisher<IssuingEvents>;
  settings: {
    publicUrl: string;
    stallTiming: StallTiming;
    /** When the daily expiry reminders go out (the pilot reminders' cron), read in the institution's zone. */
    remindersCron: string;
    timeZone: () => Promise<string>;
  };
}) {
  const { database, audit, jobs, clock, settings } = deps;
  const repository = new IssuingRepository();
  const issuer = new AwardIssuer(
    deps.credentials,
    deps.billing,
    deps.badgeRequests,
    deps.events,
    audit,
    clock,
    repository,
  );
  const issuing = new IssuingService(
    database,
    deps.badgeRequests,
    issuer,
    audit,
    clock,
    repository,
    settings,
  );
  const trackingLists = new TrackingListsService(
    database,
    issuer,
    deps.progress,
    audit,
    jobs,
    clock,
    deps.logger,
    new TrackingListsRepository(settings.stallTiming),
    repository,
    deps.learnerRecords,
    deps.registeredTerms,
    settings.stallTiming,
  );
  jobs.handle(issueTrackingListJob, ({ listId }) => trackingLists.processList(listId));
  jobs.runEvery('tracking-list-stall-watch', settings.stallTiming.checkEveryMs / 1000, () =>
    trackingLists.resumeStalledLists(),
  );
  const issuedBadges = new IssuedBadgesService(database, deps.credentials, clock);
  const renewalsRepository = new RenewalsRepository();
  const renewals = new RenewalsService(
    database,
    issuer,
    deps.progress,
    audit,
    clock,
    renewalsRepository,
    repository,
    settings,
  );
  const expiryReminders = new ExpiryRemindersService(
    database,
    deps.notifications,
    audit,
    clock,
    renewalsRepository,
    settings,
  );
  jobs.handle(expiryRemindersJob, () => expiryReminders.sendDueReminders().then(() => undefined));
  jobs.schedule(expiryRemindersJob, { cron: settings.remindersCron, timeZone: settings.timeZone }, {});
  return { issuing, trackingLists, issuedBadges, awardIssuer: issuer, renewals, expiryReminders };
}

/**
 * The office that issued a credential, for the credentials module's status policy. Built before the issuing
 * services (the credentials service, which they are built on, takes it), so it reads the register directly.
 */
export function issuingOfficeLookup(): IssuingOfficeLookup {
  const register = new IssuedBadgesRepository();
  return (db, credentialId) => register.officeOf(db, credentialId);
}
