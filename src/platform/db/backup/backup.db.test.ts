import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  aPgliteDatabase,
  aPostgresDatabase,
  appOn,
  postgresAnswers,
  rowCounts,
} from '../../../../test/support/backup-fixture.ts';
import { anIssuedBadge } from '../../../../test/support/builders.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { repeatsThePgliteRun } from '../../../../test/support/test-database.ts';
import { TEST_SECRET } from '../../../../test/support/test-snapshots.ts';
import { TestWallet } from '../../../../test/support/test-wallet.ts';
import { learnerCounts } from '../../../learners/learners.queries.ts';
import { migrateToLatest } from '../migrate.ts';
import { restoreBackup, takeBackup } from './backup.ts';

// Real databases on both sides: an in-memory PGlite, and a database of its own on the PostgreSQL server (the one
// DATABASE_URL names, or the local one), created per test and dropped after. Without a server answering, only the
// PostgreSQL half is skipped, and its test name says so.
const hasPostgres = await postgresAnswers();
const onPostgres = hasPostgres ? '' : ' (PostgreSQL part skipped: no server answers)';

/**
 * What the round trip must carry: a program, a learner, an issued badge, its copy in the learner's wallet (a
 * credential that names the one it copies, in the same table) and the key that signed them.
 */
async function buildInstallation(app: TestApp) {
  const badge = await anIssuedBadge(app);
  const wallet = await TestWallet.create();
  await app.services.credentials.issueCredential(
    { system: 'backup test' },
    {
      programId: badge.program.id,
      learner: { email: badge.learner.email, name: badge.learner.name, did: wallet.did },
      copyOf: badge.credentialId,
    },
  );
  const stored = await app.services.credentials.find(badge.credentialId);
  assert.ok(stored, 'the issued badge is stored');
  return { badge, document: stored.json };
}

async function assertRestoredInstallation(
  app: TestApp,
  source: { counts: Record<string, number>; document: object; credentialId: string },
) {
  const counts = await rowCounts(app.database);
  // Sessions are left out of backups on purpose, and pg-boss keeps its own schema.
  const { sessions: _left, ...expected } = source.counts;
  const { sessions, ...restored } = counts;
  assert.deepEqual(restored, expected);
  assert.equal(sessions, 0, 'everyone signs in again after a restore');
  assert.ok(
    (expected.credentials ?? 0) > 0 && (expected.issuer_keys ?? 0) > 0,
    'the badge and its key came along',
  );

  // The kept learner figures are not in the backup (migration 0068): the restored rows wrote them again, once.
  const db = app.database.db;
  const kept = await db.selectFrom(learnerCounts(db).as('k')).selectAll().executeTakeFirstOrThrow();
  assert.deepEqual(
    { learners: Number(kept.learners), active: Number(kept.active_enrolments) },
    { learners: expected.learners, active: await activeEnrolments(app) },
  );
  assert.ok((expected.learners ?? 0) > 0, 'there were learners to count');

  const report = await app.services.verification.verifyObject(source.document);
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.equal((await app.services.credentials.find(source.credentialId))?.id, source.credentialId);
  // The restored installation carries on: it signs with the restored key (same secret) and its audit log's
  // identity sequence continues after the restored ids.
  const next = await anIssuedBadge(app);
  assert.ok(next.credentialId);
}

async function activeEnrolments(app: TestApp): Promise<number> {
  const row = await app.database.db
    .selectFrom('enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface PgliteBackup {
  file: string;
  badge: Awaited<ReturnType<typeof buildInstallation>>['badge'];
  document: object;
  counts: Record<string, number>;
  written: Awaited<ReturnType<typeof takeBackup>>;
}

describe('backup and restore between PGlite and PostgreSQL', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'stackable-backup-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /**
   * One PGlite installation and its backup, made by the first test that needs it: restoring reads the file and
   * never changes it, so the PostgreSQL and the PGlite targets can both start from it (building the installation
   * costs a database, an app and a signed badge).
   */
  let pgliteBackup: Promise<PgliteBackup> | undefined;
  const aPgliteBackup = () => {
    pgliteBackup ??= (async () => {
      const source = await appOn(await aPgliteDatabase('migrated'), join(work, 'a'));
      const file = join(work, 'from-pglite.backup');
      const { badge, document } = await buildInstallation(source);
      const counts = await rowCounts(source.database);
      const written = await takeBackup(source.database, file, '0.0.0-test', TEST_SECRET);
      await source.close();
      return { file, badge, document, counts, written };
    })();
    return pgliteBackup;
  };

  test('a PGlite backup is written for the owner only, with every table counted in its trailer', async () => {
    const { file, counts, written } = await aPgliteBackup();
    assert.equal(statSync(file).mode & 0o777, 0o600, 'only the owner may read a backup');
    assert.equal(written.trailer.tables.credentials, counts.credentials);
  });

  test(`a PGlite backup restores into an empty PostgreSQL database and its badge verifies${onPostgres}`, {
    skip: !hasPostgres,
  }, async () => {
    const { file, badge, document, counts } = await aPgliteBackup();
    const target = await aPostgresDatabase();
    try {
      const result = await restoreBackup(target.database, file, TEST_SECRET, { replace: false });
      assert.equal(result.header.source, 'pglite');
      assert.deepEqual(result.upgradedBy, []);
      const restored = await appOn(target.database, join(work, 'b'));
      await assertRestoredInstallation(restored, { counts, document, credentialId: badge.credentialId });
      await restored.close();
    } finally {
      await target.drop();
    }
  });

  test(`a PostgreSQL backup restores into an empty PGlite database and its badge verifies${onPostgres}`, {
    skip: !hasPostgres,
  }, async () => {
    const origin = await aPostgresDatabase();
    try {
      await migrateToLatest(origin.database.db);
      const source = await appOn(origin.database, join(work, 'c'));
      const file = join(work, 'from-postgres.backup');
      const { badge, document } = await buildInstallation(source);
      const counts = await rowCounts(source.database);
      await takeBackup(source.database, file, '0.0.0-test', TEST_SECRET);
      await source.close();
      assert.equal(statSync(file).mode & 0o777, 0o600);

      const target = await aPgliteDatabase('empty');
      const result = await restoreBackup(target, file, TEST_SECRET, { replace: false });
      assert.equal(result.header.source, 'postgres');
      const restored = await appOn(target, join(work, 'd'));
      await assertRestoredInstallation(restored, { counts, document, credentialId: badge.credentialId });
      await restored.close();
    } finally {
      await origin.drop();
    }
  });

  test('a PGlite backup restores into an empty PGlite database', { skip: repeatsThePgliteRun }, async () => {
    const { file, badge, document, counts } = await aPgliteBackup();
    const target = await aPgliteDatabase('empty');
    await restoreBackup(target, file, TEST_SECRET, { replace: false });
    const restored = await appOn(target, join(work, 'f'));
    await assertRestoredInstallation(restored, { counts, document, credentialId: badge.credentialId });
    await restored.close();
  });
});
