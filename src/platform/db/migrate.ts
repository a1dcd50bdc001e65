import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import * as foundation from './migrations/0001-foundation.ts';
import * as catalog from './migrations/0002-catalog-and-learners.ts';
import * as proposals from './migrations/0003-program-proposals.ts';
import * as learners from './migrations/0004-learners.ts';
import * as credentials from './migrations/0005-credentials.ts';
import * as progress from './migrations/0006-progress.ts';
import * as issuing from './migrations/0007-issuing.ts';
import * as backpack from './migrations/0008-backpack.ts';
import * as certificatePathways from './migrations/0009-certificate-pathways.ts';
import * as awardRevocations from './migrations/0010-award-revocations.ts';
import * as programApprovalChains from './migrations/0011-program-approval-chains.ts';
import * as registrarWithdrawals from './migrations/0012-registrar-withdrawals.ts';
import * as trustedIssuers from './migrations/0013-trusted-issuers.ts';
import * as claimsAndIdentity from './migrations/0014-claims-and-identity.ts';
import * as signInLimits from './migrations/0015-sign-in-limits.ts';
import * as firstAdminAndSigners from './migrations/0016-first-admin-and-signers.ts';
import * as institutionProfile from './migrations/0017-institution-profile.ts';
import * as academicStructure from './migrations/0018-academic-structure.ts';
import * as signUp from './migrations/0019-sign-up.ts';
import * as apiClients from './migrations/0020-api-clients.ts';
import * as certificateVersions from './migrations/0021-certificate-versions.ts';
import * as learnerNames from './migrations/0022-learner-names.ts';
import * as oneCredentialStatus from './migrations/0024-one-credential-status.ts';
import * as vcJwt from './migrations/0025-vc-jwt.ts';
import * as listHeartbeats from './migrations/0028-list-heartbeats.ts';
import * as mailRetries from './migrations/0029-mail-retries.ts';
import * as listWorkers from './migrations/0031-list-workers.ts';
import * as mailClaims from './migrations/0032-mail-claims.ts';
import * as programModifications from './migrations/0034-program-modifications.ts';
import * as programRetirements from './migrations/0035-program-retirements.ts';
import * as periodicReviews from './migrations/0036-periodic-reviews.ts';
import * as pendingGradesAndFeeReviews from './migrations/0038-pending-grades-and-fee-reviews.ts';
import * as leadTrackingLists from './migrations/0039-lead-tracking-lists.ts';
import * as singleSignOn from './migrations/0040-single-sign-on.ts';
import * as saml from './migrations/0042-saml.ts';
import * as proposalForm from './migrations/0043-proposal-form.ts';
import * as programReviews from './migrations/0045-program-reviews.ts';
import * as learnerProfile from './migrations/0047-learner-profile.ts';
import * as walletDelivery from './migrations/0048-wallet-delivery.ts';
import * as importedBadges from './migrations/0049-imported-badges.ts';
import * as expiryAndRenewal from './migrations/0050-expiry-and-renewal.ts';
import * as fullProposals from './migrations/0052-full-proposals.ts';
import * as ssoLogoutAndEmailProofs from './migrations/0053-sso-logout-and-email-proofs.ts';
import * as dashboardIndexes from './migrations/0055-dashboard-indexes.ts';
import * as enrolmentProgress from './migrations/0056-enrolment-progress.ts';
import * as insightFigures from './migrations/0057-insight-figures.ts';
import * as importRowsSetBasedKeys from './migrations/0058-import-rows-set-based-keys.ts';
import * as importKeyChecksOncePerKey from './migrations/0061-import-key-checks-once-per-key.ts';
import * as storedProgressWithoutUnusedIndexes from './migrations/0062-stored-progress-without-unused-indexes.ts';
import * as importRowsWithoutOnceIndex from './migrations/0063-import-rows-without-once-index.ts';
import * as badgesCompressedWithLz4 from './migrations/0064-badges-compressed-with-lz4.ts';
import * as importLearnersInsteadOfRowIndex from './migrations/0065-import-learners-instead-of-row-index.ts';
import * as institutionAdmissionsUrl from './migrations/0066-institution-admissions-url.ts';
import * as completionsTakeListedTermNames from './migrations/0067-completions-take-listed-term-names.ts';
import * as learnerCounts from './migrations/0068-learner-counts.ts';
import * as pendingWorkIndexes from './migrations/0069-pending-work-indexes.ts';
import * as awardsInForceIndex from './migrations/0070-awards-in-force-index.ts';
import * as programEnrolmentsCoveringIndex from './migrations/0071-program-enrolments-covering-index.ts';
import type { DB } from './schema.ts';

/**
 * The one ordered list of migrations, forward only, shared by PGlite and PostgreSQL.
 * Listed in code rather than read from a folder so the order never depends on the file system.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-catalog-and-learners': catalog,
  '0003-program-proposals': proposals,
  '0004-learners': learners,
  '0005-credentials': credentials,
  '0006-progress': progress,
  '0007-issuing': issuing,
  '0008-backpack': backpack,
  '0009-certificate-pathways': certificatePathways,
  '0010-award-revocations': awardRevocations,
  '0011-program-approval-chains': programApprovalChains,
  '0012-registrar-withdrawals': registrarWithdrawals,
  '0013-trusted-issuers': trustedIssuers,
  '0014-claims-and-identity': claimsAndIdentity,
  '0015-sign-in-limits': signInLimits,
  '0016-first-admin-and-signers': firstAdminAndSigners,
  '0017-institution-profile': institutionProfile,
  '0019-sign-up': signUp,
  '0020-api-clients': apiClients,
  '0021-certificate-versions': certificateVersions,
  '0024-one-credential-status': oneCredentialStatus,
  '0018-academic-structure': academicStructure,
  '0022-learner-names': learnerNames,
  '0025-vc-jwt': vcJwt,
  '0028-list-heartbeats': listHeartbeats,
  '0029-mail-retries': mailRetries,
  '0031-list-workers': listWorkers,
  '0032-mail-claims': mailClaims,
  '0034-program-modifications': programModifications,
  '0035-program-retirements': programRetirements,
  '0036-periodic-reviews': periodicReviews,
  '0038-pending-grades-and-fee-reviews': pendingGradesAndFeeReviews,
  '0039-lead-tracking-lists': leadTrackingLists,
  '0040-single-sign-on': singleSignOn,
  '0042-saml': saml,
  '0043-proposal-form': proposalForm,
  '0045-program-reviews': programReviews,
  '0047-learner-profile': learnerProfile,
  '0048-wallet-delivery': walletDelivery,
  '0049-imported-badges': importedBadges,
  '0050-expiry-and-renewal': expiryAndRenewal,
  '0052-full-proposals': fullProposals,
  '0053-sso-logout-and-email-proofs': ssoLogoutAndEmailProofs,
  '0055-dashboard-indexes': dashboardIndexes,
  '0056-enrolment-progress': enrolmentProgress,
  '0057-insight-figures': insightFigures,
  '0058-import-rows-set-based-keys': importRowsSetBasedKeys,
  '0061-import-key-checks-once-per-key': importKeyChecksOncePerKey,
  '0062-stored-progress-without-unused-indexes': storedProgressWithoutUnusedIndexes,
  '0063-import-rows-without-once-index': importRowsWithoutOnceIndex,
  '0064-badges-compressed-with-lz4': badgesCompressedWithLz4,
  '0065-import-learners-instead-of-row-index': importLearnersInsteadOfRowIndex,
  '0066-institution-admissions-url': institutionAdmissionsUrl,
  '0067-completions-take-listed-term-names': completionsTakeListedTermNames,
  '0068-learner-counts': learnerCounts,
  '0069-pending-work-indexes': pendingWorkIndexes,
  '0070-awards-in-force-index': awardsInForceIndex,
  '0071-program-enrolments-covering-index': programEnrolmentsCoveringIndex,
};

/** Applies every pending migration; returns the names applied. Throws if one fails (it rolls back). */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  if (await isEveryMigrationRecorded(db)) return [];
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * True when the migrations table lists exactly the known migrations, in the order the migrator applies them: the
 * usual case at every start but the first after an upgrade. Two short statements answer it, where Kysely's migrator
 * looks its two tables up in a catalog of every column of every table, twice, and takes its lock (about a sixth of
 * a second of CPU on PGlite, paid by every app start and so by every database test file). Anything else (no table
 * yet, something pending, a name or an order it does not expect) goes to the migrator, which applies what is
 * pending or refuses as before.
 */
async function isEveryMigrationRecorded(db: Kysely<DB>): Promise<boolean> {
  const { rows: table } = await sql<{ present: boolean }>`
    select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!table[0]?.present) return false;
  // The migrator's own order for what it applied.
  const { rows } = await sql<{ name: string }>`
    select name from kysely_migration order by timestamp, name`.execute(db);
  const known = Object.keys(migrations).sort();
  return rows.length === known.length && rows.every((row, i) => row.name === known[i]);
}

/** True when every known migration has been applied (used by /readyz). */
export async function isMigrated(db: Kysely<DB>): Promise<boolean> {
  // The usual answer, in the same two short statements an app start asks; a load balancer polls this often.
  if (await isEveryMigrationRecorded(db)) return true;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const applied = await migrator.getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
}
