import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  appOn,
  postgresAnswers,
  rowCounts,
  backupServerUrl as serverUrl,
} from '../../test/support/backup-fixture.ts';
import { anIssuedBadge } from '../../test/support/builders.ts';
import { repeatsThePgliteRun, writeCluster } from '../../test/support/test-database.ts';
import {
  createTestDatabase,
  databaseUrl,
  TEST_SECRET,
  withAdmin,
} from '../../test/support/test-snapshots.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { type BackupCliContext, runBackupCli } from './backup-commands.ts';
import { EX_USAGE } from './exit-codes.ts';

// The commands as an operator runs them, on an embedded database in a data folder of its own and, for the move,
// a PostgreSQL database of its own on the local server (or DATABASE_URL's), dropped afterwards.
const hasPostgres = await postgresAnswers();
const onPostgres = hasPostgres ? '' : ' (skipped: no PostgreSQL server answers)';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) },
    out: () => out.join('\n'),
    err: () => err.join('\n'),
  };
}

describe('stackable backup, restore and move-to-postgres', () => {
  let dataDir: string;
  let pgliteDir: string;
  let document: object;
  let sourceCounts: Record<string, number>;
  const context = (): BackupCliContext => ({
    config: { database: { kind: 'pglite', dataDir: pgliteDir }, dataDir, secret: TEST_SECRET },
    appVersion: '0.0.0-test',
    openDatabase,
  });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stackable-backup-cli-'));
    pgliteDir = join(dataDir, 'pglite');
    // An embedded installation on disk, as `npm start` leaves it: migrated, with a badge issued.
    await writeCluster(pgliteDir, 'migrated');
    const database = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
    const app = await appOn(database, dataDir);
    const badge = await anIssuedBadge(app);
    document = (await app.services.credentials.find(badge.credentialId))?.json ?? {};
    sourceCounts = await rowCounts(database);
    await app.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('wrong usage exits 64 with the usage; --help exits 0', async () => {
    const cases: [Parameters<typeof runBackupCli>[0], string[], RegExp][] = [
      ['backup', [], /Give one file/],
      ['backup', ['a', 'b'], /Give one file/],
      ['restore', ['--replace', 'file.backup'], /confirm it with --yes/],
      ['restore', ['--frobnicate', 'file.backup'], /Unknown option '--frobnicate'/],
      ['move-to-postgres', [], /--to/],
      ['move-to-postgres', ['--to', 'mysql://db/x'], /must start with postgres:\/\//],
    ];
    for (const [command, args, message] of cases) {
      const run = capture();
      assert.equal(
        await runBackupCli(command, args, run.io, context),
        EX_USAGE,
        `${command} ${args.join(' ')}`,
      );
      assert.match(run.err(), message);
      assert.match(run.err(), /Usage:/);
    }
    const help = capture();
    assert.equal(await runBackupCli('restore', ['--help'], help.io, context), 0);
    assert.match(help.out(), /stackable move-to-postgres --to/);
  });

  test('backup writes an owner-only file that restore --check reads through', {
    skip: repeatsThePgliteRun,
  }, async () => {
    const file = join(dataDir, 'nightly.backup');
    const run = capture();
    assert.equal(await runBackupCli('backup', [file], run.io, context), 0, run.err());
    assert.match(
      run.out(),
      /Backed up \d+ rows in \d+ tables to .*nightly\.backup.*encrypted with STACKABLE_SECRET/,
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const check = capture();
    assert.equal(await runBackupCli('restore', ['--check', file], check.io, context), 0, check.err());
    assert.match(
      check.out(),
      /complete Stackable backup: .*Stackable 0\.0\.0-test from pglite.*checksum matches/,
    );
    const again = capture();
    assert.equal(await runBackupCli('backup', [file], again.io, context), 1);
    assert.match(again.err(), /already exists/);
  });

  test('an embedded database that an app has open is refused (its postmaster.pid is there)', async () => {
    const pid = join(pgliteDir, 'postmaster.pid');
    writeFileSync(pid, '-42\n');
    try {
      for (const [command, args] of [
        ['backup', [join(dataDir, 'while-open.backup')]],
        ['move-to-postgres', ['--to', databaseUrl(serverUrl, 'stackable_never_made')]],
      ] as const) {
        const run = capture();
        assert.equal(await runBackupCli(command, [...args], run.io, context), 1);
        assert.match(run.err(), /is open \(postmaster\.pid is there\): stop Stackable first/);
      }
    } finally {
      unlinkSync(pid);
    }
  });

  test('move-to-postgres refuses when the installation already runs on PostgreSQL', async () => {
    const run = capture();
    const onPostgresAlready = (): BackupCliContext => ({
      ...context(),
      config: { database: { kind: 'postgres', url: serverUrl }, dataDir, secret: TEST_SECRET },
    });
    assert.equal(await runBackupCli('move-to-postgres', ['--to', serverUrl], run.io, onPostgresAlready), 1);
    assert.match(run.err(), /already uses PostgreSQL/);
  });

  describe('into PostgreSQL', () => {
    const made: string[] = [];
    const aDatabase = async () => {
      const name = `stackable_test_${randomBytes(6).toString('hex')}`;
      await withAdmin(serverUrl, (client) => createTestDatabase(client, name));
      made.push(name);
      return databaseUrl(serverUrl, name);
    };
    after(async () => {
      if (!hasPostgres) return;
      await withAdmin(serverUrl, async (client) => {
        for (const name of made) await client.query(`drop database if exists ${name} with (force)`);
      });
    });

    test(`move-to-postgres refuses a database that is not empty${onPostgres}`, {
      skip: !hasPostgres,
    }, async () => {
      const url = await aDatabase();
      const target = await openDatabase({ kind: 'postgres', url });
      await migrateToLatest(target.db);
      await target.close();
      const run = capture();
      assert.equal(await runBackupCli('move-to-postgres', ['--to', url], run.io, context), 1);
      assert.match(run.err(), /not empty \(\d+ tables, migrated to \d{4}-/);
    });

    test(`move-to-postgres copies everything, the badge verifies there, and the embedded data stays${onPostgres}`, {
      skip: !hasPostgres,
    }, async () => {
      const url = await aDatabase();
      const run = capture();
      assert.equal(await runBackupCli('move-to-postgres', ['--to', url], run.io, context), 0, run.err());
      assert.match(run.out(), /every table's row count matches/);
      assert.match(run.out(), new RegExp(`DATABASE_URL=${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match(run.out(), /STACKABLE_SECRET=.*secret/);
      assert.match(run.out(), /left untouched/);

      const target = await openDatabase({ kind: 'postgres', url });
      const app = await appOn(target, dataDir);
      try {
        const { sessions: _skipped, ...expected } = sourceCounts;
        const { sessions: _none, ...moved } = await rowCounts(target);
        assert.deepEqual(moved, expected);
        const report = await app.services.verification.verifyObject(document);
        assert.equal(report.verified, true, JSON.stringify(report.checks));
      } finally {
        await app.close();
      }
      const embedded = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
      try {
        assert.deepEqual(await rowCounts(embedded), sourceCounts, 'the embedded database is as it was');
      } finally {
        await embedded.close();
      }
    });
  });
});
