import type { Insertable } from 'kysely';
import type { AuditService } from '../audit/audit.service.ts';
import type { InstitutionService } from '../institution/institution.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, Tx } from '../platform/db/database.ts';
import type { ProgramsTable } from '../platform/db/schema.ts';
import type { EventPublisher } from '../platform/events.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { ApprovalChainsService } from './approval-chains.service.ts';
import { seedDemoWorkflow } from './demo-workflow.ts';
import { FullProposalsService } from './full-proposals.service.ts';
import { PeriodicReviewsService } from './periodic-reviews.service.ts';
import { dueRemindersJob, type PilotReviewSettings, PilotReviewsService } from './pilot-reviews.service.ts';
import { ProgramLifecycleService } from './program-lifecycle.service.ts';
import { ProgramMailer } from './program-mailer.ts';
import { ProgramModificationsService } from './program-modifications.service.ts';
import { ProgramPagesService } from './program-pages.service.ts';
import { ProgramReviewService } from './program-review.service.ts';
import { ProgramReviewsService } from './program-reviews.service.ts';
import type { ProgramsEvents } from './programs.events.ts';
import { ProgramsRepository } from './programs.repository.ts';
import { ProposalConsultationsService } from './proposal-consultations.service.ts';
import { type CourseProposals, ProposalDraftingService } from './proposal-drafting.service.ts';
import { ProposalSignaturesService } from './proposal-signatures.service.ts';
import type { ProgramFiguresForPeriod } from './review-figures.ts';

export interface ProgramDeps {
  database: Database;
  audit: AuditService;
  notifications: NotificationsService;
  institution: InstitutionService;
  jobs: JobQueue;
  events: EventPublisher<ProgramsEvents>;
  clock: Clock;
  /** The catalog's keeper of courses: a draft proposal may name a course it lacks, added as proposed. */
  structure: CourseProposals;
  settings: PilotReviewSettings;
  /** The insight module's figures of a program for a review's period (that module reads programs). */
  programFigures: ProgramFiguresForPeriod;
}

/** The programs module's services, one per capability, sharing one repository and one mailer. */
export function buildProgramServices(deps: ProgramDeps) {
  const { database, audit, notifications, institution, jobs, events, clock, settings, structure } = deps;
  const { programFigures } = deps;
  const repository = new ProgramsRepository();
  const mailer = new ProgramMailer(notifications, repository, settings.publicUrl);
  const chains = new ApprovalChainsService(database, audit, clock);
  const lifecycle = new ProgramLifecycleService(database, audit, institution, chains, clock, repository);
  const modifications = new ProgramModificationsService(
    database,
    audit,
    clock,
    chains,
    mailer,
    repository,
    events,
  );
  const drafting = new ProposalDraftingService(
    database,
    audit,
    institution,
    repository,
    structure,
    modifications,
  );
  const signatures = new ProposalSignaturesService(database, audit, lifecycle, mailer, clock, repository);
  const consultations = new ProposalConsultationsService(database, audit, mailer, clock, repository);
  const fullProposals = new FullProposalsService(database, audit, institution, clock, chains, repository);
  const review = new ProgramReviewService(
    database,
    audit,
    lifecycle,
    signatures,
    chains,
    mailer,
    repository,
    fullProposals,
  );
  const pages = new ProgramPagesService(database, audit, chains, repository, modifications);
  const programs = {
    drafting,
    modifications,
    signatures,
    consultations,
    review,
    fullProposals,
    pages,
    chains,
    /**
     * For the demo university, after it is seeded: two draft proposals move on, one awaiting the approver's
     * signature and one submitted to the credentials office. Does nothing where that has happened already.
     */
    seedDemoWorkflow: () => seedDemoWorkflow(programs),
    /** Writes one of the demo university's programs, in any state, inside the seeding transaction. */
    seedDemoProgram: async (trx: Tx, row: Insertable<ProgramsTable>, courseCodes: readonly string[]) => {
      await repository.insertProgramRow(trx, row);
      await repository.replaceCourses(trx, row.id, courseCodes);
    },
  };
  const periodicReviews = new PeriodicReviewsService(database, institution, clock);
  const reviews = new ProgramReviewsService(database, audit, institution, clock, programFigures);
  const pilotReviews = new PilotReviewsService(
    database,
    audit,
    notifications,
    institution,
    jobs,
    clock,
    settings,
    periodicReviews,
  );
  jobs.handle(dueRemindersJob, ({ today }) => pilotReviews.runDueReminders(today));
  // Without a day in its data, each run works out "today" when it runs. The cron is read in the institution's
  // time zone as it is when the queue starts, and again whenever an administrator changes it.
  jobs.schedule(
    dueRemindersJob,
    { cron: settings.remindersCron, timeZone: async () => (await institution.display()).timeZone },
    {},
  );
  return { programs, pilotReviews, periodicReviews, reviews };
}

export type ProgramServices = ReturnType<typeof buildProgramServices>['programs'];
