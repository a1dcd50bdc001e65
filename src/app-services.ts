/**
 * The services half of the composition root: builds every repository and service once and wires them to each
 * other, to the events and to the job queue. The web app (`createApp`, app.ts) is built on top of it; a command
 * that answers no requests (`stackable admin`, `institution`, `import`, …, and serve's job thread) uses it alone,
 * so it never loads the routes, their views and schemas, nor Fastify, which it would only build to throw away.
 */
import type { AccountsEvents } from './accounts/accounts.events.ts';
import { passwordResetJob } from './accounts/accounts.service.ts';
import { buildAccountServices } from './accounts/accounts.wiring.ts';
import type { PasswordCost } from './accounts/password.ts';
import { AuditService } from './audit/audit.service.ts';
import type { BackpackEvents } from './backpack/backpack.events.ts';
import { buildBackpackService, buildImportedBadgesService } from './backpack/backpack.wiring.ts';
import { CertificatesService } from './backpack/certificates.service.ts';
import { ourBadgeLookup } from './backpack/our-badge.ts';
import { BillingService } from './billing/billing.service.ts';
import type { CatalogEvents } from './catalog/catalog.events.ts';
import { CatalogService } from './catalog/catalog.service.ts';
import { CertificateEditorService } from './catalog/certificate-editor.service.ts';
import { AcademicStructureService } from './catalog/structure.service.ts';
import type { CredentialsEvents } from './credentials/credentials.events.ts';
import { CredentialsService } from './credentials/credentials.service.ts';
import { vcJwtAlgorithmsFor } from './credentials/jwt-keys.ts';
import { DemoService } from './demo/demo.service.ts';
import { HomeService } from './home/home.service.ts';
import { InsightRepository } from './insight/insight.repository.ts';
import { InsightService } from './insight/insight.service.ts';
import { subscribeInsightFigures } from './insight/insight.wiring.ts';
import { InsightFiguresRepository } from './insight/insight-figures.repository.ts';
import { InsightFiguresService } from './insight/insight-figures.service.ts';
import { InstitutionService } from './institution/institution.service.ts';
import { ApiClientsService } from './integrations/api-clients.service.ts';
import { OAuthTokensService } from './integrations/oauth-tokens.service.ts';
import type { IssuingEvents } from './issuing/issuing.events.ts';
import { buildIssuingServices, issuingOfficeLookup } from './issuing/issuing.wiring.ts';
import type { LearnersEvents } from './learners/learners.events.ts';
import { buildLearnerServices } from './learners/learners.wiring.ts';
import { accountMailJob, bulkMailJob } from './notifications/notifications.jobs.ts';
import { NotificationsService } from './notifications/notifications.service.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { closeInOrder } from './platform/close-in-order.ts';
import type { Config } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { PGLITE_UPKEEP_SECONDS, pgliteUpkeep } from './platform/db/planner-statistics.ts';
import { EventRegistry } from './platform/events.ts';
import { DEFAULT_POLLING_INTERVAL_SECONDS, JobQueue } from './platform/jobs/queue.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMailer, type Mailer } from './platform/mail/mailer.ts';
import type { ProgramsEvents } from './programs/programs.events.ts';
import { buildProgramServices } from './programs/programs.wiring.ts';
import { BadgeRequestsService } from './progress/badge-requests.service.ts';
import {
  refreshProgramProgressJob,
  refreshStaleCron,
  refreshStaleProgressJob,
} from './progress/progress.jobs.ts';
import { ProgressService } from './progress/progress.service.ts';
import { OidcRelyingParty } from './sso/oidc-adapter.ts';
import { SamlServiceProvider } from './sso/saml-adapter.ts';
import { SsoService } from './sso/sso.service.ts';
import { SsoProvidersService } from './sso/sso-providers.service.ts';
import { createGuardedFetcher } from './verification/guarded-fetch.ts';
import { TrustedIssuersService } from './verification/trusted-issuers.service.ts';
import { type Fetcher, VerificationService } from './verification/verification.service.ts';
import { Oid4vciIssuer } from './wallet/oid4vci-issuer.ts';
import { WalletService } from './wallet/wallet.service.ts';

export interface AppOptions {
  /** An already open database (tests pass an isolated one); otherwise the configured one is opened. */
  database?: Database;
  clock?: Clock;
  mailer?: Mailer;
  /** Run job workers in this process (default true). */
  runJobs?: boolean;
  /**
   * Seconds between job fetches nothing woke (default `DEFAULT_POLLING_INTERVAL_SECONDS`): sent jobs wake their
   * workers when they commit, so this only bounds the wait for what nothing announces.
   */
  jobPollingIntervalSeconds?: number;
  /**
   * Seconds before a failed job is first tried again, doubling each time (default 5). A test of the queue's own
   * retry shortens it rather than wait out the backoff.
   */
  jobRetryDelaySeconds?: number;
  /** Seconds between checks for mail whose next attempt is due (default 5); tests that move the clock check often. */
  mailRetryCheckSeconds?: number;
  /** Seconds between checks for mail nothing would deliver (default 60). */
  mailStuckCheckSeconds?: number;
  /** How the app reaches other sites (DIDs, status lists, issuer registries); tests pass one trusting their own TLS. */
  fetcher?: Fetcher;
  /** Where log lines go; tests that check what is logged pass one that keeps them. */
  logger?: Logger;
  /**
   * How the app reaches OpenID providers (discovery, keys, tokens). By default the SSRF-guarded fetch: a discovery
   * address is typed by an administrator and names further addresses, so only public ones are reached unless the
   * operator lists a campus provider's host in STACKABLE_FETCH_ALLOW_HOSTS. Tests pass one that alters answers.
   */
  identityProviderFetch?: Fetcher;
  /** A certificate authority the guarded fetch to identity providers trusts instead of the system's (tests' own). */
  identityProviderCa?: Buffer;
  /** The argon2id work for new password hashes; test apps pass `TEST_PASSWORD_COST`. Standard by default. */
  passwordCost?: PasswordCost;
}

/** Every event a module publishes, by name (each module declares its own). */
type AppEvents = AccountsEvents &
  CatalogEvents &
  CredentialsEvents &
  IssuingEvents &
  BackpackEvents &
  LearnersEvents &
  ProgramsEvents;

/**
 * Builds every repository and service once and wires them to each other, the events and the job queue, and
 * returns the pieces; the queue is not started yet (`startJobs`). No module reaches for a global; everything
 * arrives here.
 */
export async function buildServices(config: Config, options: AppOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = options.database ?? (await openDatabase(config.database));
  await migrateToLatest(database.db);

  // An outage in the log: one line when the database is lost and one when it answers again, however many requests,
  // polls and statements fail in between (requests meanwhile get a 503, jobs wait or are retried).
  database.connection.onChange((change) => {
    if (change.kind === 'lost') logger.error({ err: change.error }, 'lost the connection to the database');
    else logger.warn({ downForMs: change.downForMs }, 'the database answers again');
  });

  const clock = options.clock ?? systemClock;
  const jobs = JobQueue.create(database, logger);
  // PGlite has no autovacuum to reclaim dead rows and keep the planner's statistics current as tables grow
  // (platform/db/planner-statistics.ts).
  if (database.kind === 'pglite')
    jobs.runEvery('pglite-upkeep', PGLITE_UPKEEP_SECONDS, () => pgliteUpkeep(database.db));
  const events = new EventRegistry<AppEvents>();
  const mailer = options.mailer ?? createMailer(config.smtpUrl, config.mailFrom);

  const audit = new AuditService(database);
  const institution = new InstitutionService(database, audit, {
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    vcJwtAlgorithms: vcJwtAlgorithmsFor(config.didMethod),
    // Scheduled runs (the pilot reminders) read their cron in the institution's zone: register them again.
    afterTimeZoneChange: () => jobs.refreshSchedules(),
  });
  // Read afresh on every use: an administrator may rename the institution while the app runs.
  const institutionName = () => institution.name();
  const notifications = new NotificationsService(database, jobs, mailer, clock, logger, audit);
  const deliverMail =
    (atOnce: number) =>
    async (batch: { outboxId: string }[]): Promise<void> => {
      await notifications.deliverMany(
        batch.map((job) => job.outboxId),
        atOnce,
      );
    };
  jobs.handleBatch(accountMailJob, deliverMail(accountMailJob.worker?.parallel ?? 1));
  jobs.handleBatch(bulkMailJob, deliverMail(bulkMailJob.worker?.parallel ?? 1));
  jobs.runEvery('mail-retries', options.mailRetryCheckSeconds ?? 5, () => notifications.queueDueRetries());
  jobs.runEvery('mail-stuck', options.mailStuckCheckSeconds ?? 60, () => notifications.queueStuckMail());
  const accountSettings = {
    publicUrl: config.publicUrl,
    institutionName,
  };
  const { accounts, people, firstAdmin, signUp, emails } = buildAccountServices({
    database,
    audit,
    notifications,
    clock,
    jobs,
    events,
    settings: { ...accountSettings, canMail: mailer.kind === 'smtp' },
    passwordCost: options.passwordCost,
    // Whether a staff member's password still opens the site is the sso module's rule (docs/sso.md); the sso
    // service is built further down (it needs this one), and the rule is only asked at sign-in.
    isPasswordSignInClosed: (user) => sso.isPasswordSignInClosed(user),
  });
  jobs.handle(passwordResetJob, ({ email, ip }) => accounts.sendPasswordReset(email, ip));
  // The learners module owns enrolments and is built further down; the catalog asks only for the viewer's own.
  const catalog = new CatalogService(database, institution, (actor) => learners.joinedPrograms(actor));
  const certificateEditor = new CertificateEditorService(database, audit);
  const structure = new AcademicStructureService(database, audit, events);
  const { programs, pilotReviews, periodicReviews, reviews } = buildProgramServices({
    database,
    audit,
    notifications,
    institution,
    jobs,
    events,
    clock,
    structure,
    settings: { publicUrl: config.publicUrl, remindersCron: config.remindersCron },
    // The insight module owns the figures and is built further down, once the services it reads exist.
    programFigures: (programId, period) => insight.periodSheet(programId, period),
  });
  const credentials = new CredentialsService(
    database,
    audit,
    institution,
    clock,
    events,
    issuingOfficeLookup(),
    (db, userId) => emails.provenAddressesOf(db, userId),
    config,
  );
  // Every fetch on behalf of a badge (DID documents, keys, status lists, registries) goes through the SSRF guard.
  const fetcher: Fetcher = options.fetcher ?? createGuardedFetcher({ allowedHosts: config.fetchAllowHosts });
  const trustedIssuers = new TrustedIssuersService(database, audit, clock, config, fetcher, institutionName);
  const verification = new VerificationService(
    credentials,
    clock,
    config,
    fetcher,
    { institutionName, knownIssuers: () => trustedIssuers.knownIssuers() },
    // The learner's choice to leave their name off holds on the verify page and API too, not only on /badges.
    ourBadgeLookup(database),
    async () => (await institution.display()).timeZone,
  );
  const { learners, reactivations, completionImports, recordLinking, learnerRecords } = buildLearnerServices({
    database,
    jobs,
    audit,
    notifications,
    accounts,
    clock,
    events,
    settings: {
      publicUrl: config.publicUrl,
      institution: (within) => (within ? institution.getWithin(within) : institution.get()),
    },
    registeredTerms: (within) => structure.registeredTerms(within),
  });
  const { backpack, profiles } = buildBackpackService({
    database,
    audit,
    notifications,
    accounts,
    addresses: emails,
    learners,
    credentials,
    verification,
    institution,
    clock,
    events,
    settings: { publicUrl: config.publicUrl, secret: config.secret },
  });
  const importedBadges = buildImportedBadgesService({
    database,
    audit,
    verification,
    clock,
    // Whether an imported badge names its holder: only addresses the account has proven say so.
    addressesOf: (actor) => emails.provenAddressesOf(database.db, actor.id),
  });
  const certificates = new CertificatesService(backpack, institution, { publicUrl: config.publicUrl });
  const progress = new ProgressService(database, audit, clock, (actor) =>
    catalog.certificates.learnerCertificates(actor),
  );
  const badgeRequests = new BadgeRequestsService(database, progress, audit, notifications, clock, {
    publicUrl: config.publicUrl,
    institutionName,
  });
  const demo = new DemoService(database, { accounts, institution, catalog, programs, learners }, audit, {
    withinTransaction: async (trx, data) => {
      await badgeRequests.seedDemoRequests(trx, data.learners);
    },
    afterwards: async (data) => {
      await programs.seedDemoWorkflow();
      // Learners the data calls "badge issued" get their badge from the offices' demo staff, the real way.
      const staff = await Promise.all(
        data.users
          .filter((user) => user.roles.some((role) => role === 'registrar' || role === 'credentials_office'))
          .map((user) => accounts.verifiedAccountByEmail(database.db, user.email)),
      );
      await issuing.issueDemoBadges(staff.filter((person) => person !== undefined));
    },
  });
  const billing = new BillingService(database, audit, clock);
  const apiClients = new ApiClientsService(database, audit, clock);
  const oauthTokens = new OAuthTokensService(database, audit, clock);
  const { issuing, trackingLists, issuedBadges, awardIssuer, renewals, expiryReminders } =
    buildIssuingServices({
      database,
      audit,
      jobs,
      clock,
      logger,
      credentials,
      billing,
      badgeRequests,
      progress,
      events,
      notifications,
      learnerRecords,
      registeredTerms: (within) => structure.registeredTerms(within),
      settings: {
        publicUrl: config.publicUrl,
        remindersCron: config.remindersCron,
        timeZone: async () => (await institution.display()).timeZone,
        stallTiming: { stallAfterMs: config.stallAfterMs, checkEveryMs: config.stallCheckMs },
      },
    });

  const insightFigures = new InsightFiguresService(
    database,
    new InsightFiguresRepository(),
    async () => (await institution.display()).timeZone,
    clock,
  );
  const insight = new InsightService(
    database,
    institution,
    progress,
    pilotReviews,
    new InsightRepository(),
    insightFigures,
    clock,
  );
  // Wallet delivery re-issues a badge through the issuing module's one award path (docs/standards.md, "Wallets").
  const wallet = new WalletService(
    database,
    audit,
    credentials,
    awardIssuer,
    clock,
    { publicUrl: config.publicUrl },
    (userId) => emails.provenAddressesOf(database.db, userId),
  );
  const oid4vci = new Oid4vciIssuer(database, wallet, clock, {
    publicUrl: config.publicUrl,
    secret: config.secret,
  });
  // The staff home counts each office's work through the module that owns it.
  const home = new HomeService(database, {
    institutionFacts: async () => ({
      introduction: (await institution.get()).description,
      isSetUp: await institution.isSetUp(),
    }),
    leadDuties: (actor, windowDays) => pilotReviews.dueForLead(actor, windowDays),
    reviewsDue: async (actor) => {
      const { overdue, dueSoon } = await pilotReviews.dueDashboard(actor);
      return { overdue: overdue.length, dueSoon: dueSoon.length };
    },
    listsWaiting: (actor) => trackingLists.waitingFor(actor),
    registrarPending: (actor) => issuing.pendingRegistrarExport(actor),
    bursarPending: (actor) => billing.pendingExport(actor),
    waitingSteps: (led) => programs.pages.waitingStepsOf(led),
  });
  const oidcRelyingParty = new OidcRelyingParty(
    clock,
    options.identityProviderFetch ??
      createGuardedFetcher({
        allowedHosts: config.fetchAllowHosts,
        ...(options.identityProviderCa ? { ca: options.identityProviderCa } : {}),
      }),
  );
  const ssoSettings = { publicUrl: config.publicUrl, secret: config.secret };
  const samlServiceProvider = new SamlServiceProvider(config.publicUrl);
  const sso = new SsoService(
    database,
    audit,
    accounts,
    recordLinking,
    clock,
    oidcRelyingParty,
    samlServiceProvider,
    ssoSettings,
    notifications,
  );
  // A SAML provider's metadata address is fetched through the SSRF guard like any other outside document: only
  // public addresses, or hosts an operator allowed (an on-premise provider) in STACKABLE_FETCH_ALLOW_HOSTS.
  const ssoProviders = new SsoProvidersService(
    database,
    audit,
    accounts,
    clock,
    oidcRelyingParty,
    ssoSettings,
    fetcher,
  );

  // Who reacts to what, inside the publisher's transaction (docs/architecture.md lists the events).
  events.subscribe('account.email_verified', (trx, event) => recordLinking.onEmailVerified(trx, event));
  events.subscribe('awards.issued', (trx, { awards }) => backpack.onCredentialsIssued(trx, awards));
  events.subscribe('credential.revoked', (trx, event) => backpack.onCredentialRevoked(trx, event));
  events.subscribe('credential.revoked', (trx, event) => issuedBadges.onCredentialRevoked(trx, event));
  events.subscribe('credential.revoked', (trx, event) => billing.onCredentialRevoked(trx, event));
  events.subscribe('terms.saved', (trx, event) => completionImports.onTermsSaved(trx, event));
  // Stored progress (progress-store.service.ts): worked out again in the change's own transaction for the learners
  // it touched; a rule change re-measures the whole program, so it goes to a job.
  events.subscribe('completions.imported', (trx, event) => progress.store.onCompletionsImported(trx, event));
  events.subscribe('completions.redated', (trx, { learnerIds }) =>
    progress.store.refreshLearners(trx, learnerIds).then(() => undefined),
  );
  events.subscribe('enrolments.recorded', async (trx, { enrolments }) => {
    await progress.store.refreshLearners(
      trx,
      enrolments.map((enrolment) => enrolment.learnerId),
    );
  });
  events.subscribe('program.rule_changed', (trx, { programId }) =>
    jobs.send(refreshProgramProgressJob, { programId }, trx),
  );
  jobs.handle(refreshProgramProgressJob, async ({ programId }) => {
    await progress.store.refreshProgram(programId);
  });
  jobs.handle(refreshStaleProgressJob, async () => {
    await progress.store.refreshStale();
  });
  jobs.schedule(refreshStaleProgressJob, { cron: refreshStaleCron }, {});
  subscribeInsightFigures(events, insightFigures);

  return {
    config,
    logger,
    database,
    jobs,
    mailer,
    services: {
      audit,
      institution,
      notifications,
      accounts,
      people,
      firstAdmin,
      emails,
      signUp,
      home,
      catalog,
      certificateEditor,
      structure,
      demo,
      credentials,
      verification,
      trustedIssuers,
      backpack,
      importedBadges,
      profiles,
      certificates,
      programs,
      pilotReviews,
      periodicReviews,
      reviews,
      progress,
      badgeRequests,
      learners,
      reactivations,
      completionImports,
      recordLinking,
      learnerRecords,
      billing,
      issuing,
      trackingLists,
      issuedBadges,
      renewals,
      expiryReminders,
      apiClients,
      oauthTokens,
      insight,
      insightFigures,
      sso,
      ssoProviders,
      wallet,
      oid4vci,
    },
    /**
     * Starts the job queue: its tables, queues and schedules, so that jobs can be sent, and the workers when
     * `runJobs` is not false.
     */
    async startJobs() {
      await jobs.start({
        work: options.runJobs ?? true,
        pollingIntervalSeconds: options.jobPollingIntervalSeconds ?? DEFAULT_POLLING_INTERVAL_SECONDS,
        retryDelaySeconds: options.jobRetryDelaySeconds ?? 5,
      });
    },
    /** Lets running jobs finish, then closes the database. */
    async close() {
      await closeInOrder([
        () => jobs.stop(),
        // Signing threads otherwise outlive the app until their idle timer (30 s), holding the process open.
        () => credentials.signer.close(),
        () => mailer.close(),
        () => database.close(),
      ]);
    },
  };
}

export type AppServices = Awaited<ReturnType<typeof buildServices>>;

/**
 * The services with their job queue started, for a command that answers no requests: what it does runs here,
 * and the jobs it sends (mail, say) are kept for a server's workers unless `runJobs` asks for workers here too.
 */
export async function openServices(config: Config, options: AppOptions = {}): Promise<AppServices> {
  const services = await buildServices(config, options);
  await services.startJobs();
  return services;
}
