import { registerAccountEmailRoutes } from './accounts/account-emails.routes.ts';
import { mayDo as mayDoInAccounts } from './accounts/accounts.policy.ts';
import { registerAccountRoutes } from './accounts/accounts.routes.ts';
import { registerPeopleRoutes } from './accounts/people.routes.ts';
import { registerSetupRoutes } from './accounts/setup.routes.ts';
import { registerSignUpRoutes } from './accounts/sign-up.routes.ts';
import { type AppOptions, buildServices } from './app-services.ts';
import { registerAuditRoutes } from './audit/audit.routes.ts';
import { registerBackpackRoutes } from './backpack/backpack.routes.ts';
import { registerCertificateRoutes } from './backpack/certificate.routes.ts';
import { registerProfileRoutes } from './backpack/profile.routes.ts';
import { registerBillingRoutes } from './billing/billing.routes.ts';
import { registerCatalogRoutes } from './catalog/catalog.routes.ts';
import { registerStructureRoutes } from './catalog/structure.routes.ts';
import { registerStructureApiRoutes } from './catalog/structure-api.routes.ts';
import { registerStructureImportRoutes } from './catalog/structure-import.routes.ts';
import { registerCredentialRoutes } from './credentials/credentials.routes.ts';
import { registerOb2Routes } from './credentials/ob2.routes.ts';
import { registerHealthRoutes } from './health/health.routes.ts';
import { registerHelpRoutes } from './help/help.routes.ts';
import { registerHomeRoutes } from './home/home.routes.ts';
import { staffNavFor } from './home/staff-nav.ts';
import { maySeeProgram as maySeeInsight } from './insight/insight.policy.ts';
import { registerInsightRoutes } from './insight/insight.routes.ts';
import { mayDo as mayDoInInstitution } from './institution/institution.policy.ts';
import { registerInstitutionRoutes } from './institution/institution.routes.ts';
import { registerApiClientRoutes } from './integrations/api-clients.routes.ts';
import { registerOAuthTokenRoutes } from './integrations/oauth-token.routes.ts';
import { registerIssuedBadgesRoutes } from './issuing/issued-badges.routes.ts';
import { registerIssuingRoutes } from './issuing/issuing.routes.ts';
import { registerLearnerRoutes } from './learners/learners.routes.ts';
import { registerNotificationRoutes } from './notifications/notifications.routes.ts';
import { closeInOrder } from './platform/close-in-order.ts';
import type { Config } from './platform/config.ts';
import { buildHttpServer } from './platform/http/server.ts';
import { registerProgramRoutes } from './programs/programs.routes.ts';
import { registerProgressRoutes } from './progress/progress.routes.ts';
import { registerSsoRoutes } from './sso/sso.routes.ts';
import { registerTrustedIssuerRoutes } from './verification/trusted-issuers.routes.ts';
import { registerVerificationRoutes } from './verification/verification.routes.ts';
import { registerWalletRoutes } from './wallet/wallet.routes.ts';
import { registerWalletProtocolRoutes } from './wallet/wallet-protocols.routes.ts';

/**
 * The composition root of the web app: every service (app-services.ts), with the HTTP routes on top, and the job
 * queue started once the routes are ready. Tests and `stackable serve` build it; commands that answer no requests
 * use the services alone.
 */
export async function createApp(config: Config, options: AppOptions = {}) {
  const core = await buildServices(config, options);
  const { logger, database, mailer, services } = core;
  const {
    accounts,
    oauthTokens,
    institution,
    home,
    catalog,
    certificateEditor,
    structure,
    sso,
    ssoProviders,
    people,
    emails,
    firstAdmin,
    signUp,
    audit,
    programs,
    pilotReviews,
    periodicReviews,
    reviews,
    credentials,
    verification,
    trustedIssuers,
    backpack,
    importedBadges,
    renewals,
    certificates,
    profiles,
    wallet,
    oid4vci,
    progress,
    badgeRequests,
    learners,
    reactivations,
    completionImports,
    recordLinking,
    learnerRecords,
    issuing,
    trackingLists,
    issuedBadges,
    billing,
    insight,
    apiClients,
    notifications,
  } = services;

  const {
    app: http,
    pageContext,
    secureCookies,
  } = await buildHttpServer(config, logger, {
    resolveSession: (token) => accounts.resolveSession(token),
    resolveAccessToken: (token) => oauthTokens.resolveAccessToken(token),
    mayAdminister: (actor) => mayDoInAccounts(actor, 'list_users'),
    staffNav: staffNavFor,
    institutionNames: () => institution.brand(),
    maySetUpInstitution: (actor) => mayDoInInstitution(actor, 'edit_profile'),
    dataGeneration: () => database.writes.generation,
  });
  registerHealthRoutes(http, { database });
  registerHomeRoutes(http, { home, pageContext });
  registerCatalogRoutes(http, { catalog, certificateEditor, publicUrl: config.publicUrl, pageContext });
  registerHelpRoutes(http, { pageContext });
  registerStructureRoutes(http, { structure, pageContext });
  registerStructureImportRoutes(http, { structure, pageContext });
  registerStructureApiRoutes(http, { structure });
  registerAccountRoutes(http, {
    accounts,
    pageContext,
    secureCookies,
    signInChoices: () => sso.signInChoices(),
    singleLogoutUrl: (token) => sso.singleLogoutUrl(token),
  });
  registerSsoRoutes(http, { sso, providers: ssoProviders, pageContext, secureCookies });
  registerPeopleRoutes(http, { people, pageContext });
  registerAccountEmailRoutes(http, { emails, pageContext });
  registerSetupRoutes(http, { firstAdmin, pageContext, secureCookies });
  registerSignUpRoutes(http, { signUp, pageContext, secureCookies });
  registerAuditRoutes(http, { audit, pageContext });
  registerProgramRoutes(http, {
    programs,
    pilotReviews,
    periodicReviews,
    reviews,
    pageContext,
    maySeeInsight,
  });
  registerCredentialRoutes(http, { credentials, publicUrl: config.publicUrl });
  registerOb2Routes(http, { credentials });
  registerVerificationRoutes(http, { verification, pageContext, publicUrl: config.publicUrl });
  registerTrustedIssuerRoutes(http, { trustedIssuers, pageContext });
  registerInstitutionRoutes(http, {
    institution,
    // The screen lists and rotates keys through the same service as `stackable keys`.
    signingKeys: { list: () => credentials.signingKeys(), rotate: (actor) => credentials.rotateKey(actor) },
    pageContext,
  });
  registerBackpackRoutes(http, { backpack, importedBadges, renewals, pageContext, secureCookies });
  registerCertificateRoutes(http, { certificates });
  registerProfileRoutes(http, { profiles, pageContext });
  registerWalletRoutes(http, { wallet, pageContext });
  registerWalletProtocolRoutes(http, {
    wallet,
    oid4vci,
    publicUrl: config.publicUrl,
    institutionName: () => institution.name(),
  });
  registerProgressRoutes(http, { progress, badgeRequests, pageContext });
  registerLearnerRoutes(http, {
    learners,
    reactivations,
    imports: completionImports,
    recordLinking,
    learnerRecords,
    pageContext,
  });
  registerIssuingRoutes(http, { issuing, trackingLists, pageContext });
  registerIssuedBadgesRoutes(http, { issuedBadges, renewals, pageContext });
  registerBillingRoutes(http, { billing, pageContext });
  registerInsightRoutes(http, { insight, pageContext });
  registerApiClientRoutes(http, { apiClients, pageContext });
  registerOAuthTokenRoutes(http, { oauthTokens });
  registerNotificationRoutes(http, {
    notifications,
    pageContext,
    showDevMail: config.env === 'development' && mailer.kind === 'outbox-only',
  });
  await http.ready();
  await core.startJobs();

  return {
    ...core,
    http,
    /** Stops taking requests, lets in-flight requests and running jobs finish, then closes the database. */
    async close() {
      await closeInOrder([() => http.close(), () => core.close()]);
    },
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
