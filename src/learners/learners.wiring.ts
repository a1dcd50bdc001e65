import type { AccountsService } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { RegisteredTerms } from './academic-term.ts';
import { CompletionImportsRepository } from './completion-imports.repository.ts';
import { CompletionImportsService } from './completion-imports.service.ts';
import { LearnerRecordsRepository } from './learner-records.repository.ts';
import { LearnerRecordsService } from './learner-records.service.ts';
import type { LearnersEvents } from './learners.events.ts';
import { LearnersRepository } from './learners.repository.ts';
import { LEARNER_COUNTS_FOLD_SECONDS, type LearnerSettings, LearnersService } from './learners.service.ts';
import { ReactivationsRepository } from './reactivations.repository.ts';
import { ReactivationsService } from './reactivations.service.ts';
import { RecordLinkingService } from './record-linking.service.ts';

/** Builds the learners module's services for the composition root (one call keeps `app.ts` short). */
export function buildLearnerServices(deps: {
  database: Database;
  jobs: JobQueue;
  audit: AuditService;
  notifications: NotificationsService;
  accounts: AccountsService;
  clock: Clock;
  events: EventPublisher<LearnersEvents>;
  settings: LearnerSettings;
  /** The registrar's terms (the catalog module's Terms page), which a completions file's terms are read by. */
  registeredTerms: RegisteredTerms;
}) {
  const { database, jobs, audit, notifications, accounts, clock, events, settings, registeredTerms } = deps;
  const learnerRecords = new LearnersRepository();
  const reactivationRecords = new ReactivationsRepository();
  const learners = new LearnersService(
    database,
    audit,
    notifications,
    accounts,
    clock,
    settings,
    events,
    learnerRecords,
    reactivationRecords,
  );
  // Every statement that changes the kept learner figures adds a row (migration 0068); folding keeps them few.
  jobs.runEvery('learner-counts-fold', LEARNER_COUNTS_FOLD_SECONDS, () => learners.foldCounts());
  const reactivations = new ReactivationsService(
    database,
    audit,
    notifications,
    clock,
    settings,
    learners,
    learnerRecords,
    reactivationRecords,
  );
  const recordLinking = new RecordLinkingService(database, audit, accounts, learnerRecords);
  const completionImports = new CompletionImportsService(
    database,
    audit,
    new CompletionImportsRepository(),
    recordLinking,
    clock,
    (within) => settings.institution(within),
    registeredTerms,
    events,
  );
  const learnerRecordsApi = new LearnerRecordsService(
    database,
    audit,
    recordLinking,
    new LearnerRecordsRepository(),
  );
  return { learners, reactivations, completionImports, recordLinking, learnerRecords: learnerRecordsApi };
}
