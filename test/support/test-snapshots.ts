import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { TEST_PASSWORD_COST } from '../../src/accounts/password.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { DataFolderImage } from '../../src/platform/db/data-folder-image.ts';
import {
  type Database,
  type MemoryDatabase,
  openDatabase,
  openMemoryDatabase,
} from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { JOB_SCHEMA } from '../../src/platform/jobs/live-jobs.ts';

/**
 * Starting a database from nothing is most of a database test file's start-up (initdb alone is seconds on PGlite),
 * so the test runner builds two starting points once per run and every file copies one:
 * `migrated` (the schema), `started` (the schema and the job queue's tables and queues, as an app's first start
 * leaves them) and `seeded` (that plus the demo university, exactly what `seedIfEmpty` writes).
 * On PGlite they are tarballs of the data folder; on PostgreSQL, template databases.
 */
export interface TestSnapshots {
  readonly kind: 'pglite' | 'postgres';
  /** A tarball path (PGlite) or a template database's name (PostgreSQL). */
  readonly migrated: string;
  readonly started: string;
  readonly seeded: string;
}

/** The environment variable the runner passes the snapshots in (JSON of `TestSnapshots`). */
export const SNAPSHOTS_ENV = 'STACKABLE_TEST_SNAPSHOTS';

/** The snapshots the runner built for this run, if it did and they match the backend. */
export function runSnapshots(): TestSnapshots | undefined {
  const value = process.env[SNAPSHOTS_ENV];
  if (!value) return undefined;
  const snapshots = JSON.parse(value) as TestSnapshots;
  const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  return snapshots.kind === backend ? snapshots : undefined;
}

/** The secret every test app uses; long enough to pass validation. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-validation';

/** The config every test app gets unless a test overrides it (the seeded snapshot is built with it too). */
export function testAppEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    STACKABLE_SECRET: TEST_SECRET,
    STACKABLE_DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3999',
  };
}

/** Builds both snapshots for the backend in use; `dir` holds the PGlite tarballs. */
export async function buildSnapshots(dir: string): Promise<TestSnapshots> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? buildTemplates(serverUrl) : buildTarballs(dir);
}

/** Removes what `buildSnapshots` made (the PostgreSQL templates; the caller removes the tarballs' folder). */
export async function dropSnapshots(snapshots: TestSnapshots): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (snapshots.kind !== 'postgres' || !serverUrl) return;
  await withAdmin(serverUrl, async (client) => {
    for (const name of [snapshots.seeded, snapshots.started, snapshots.migrated]) {
      await client.query(`drop database if exists ${name} with (force)`);
    }
  });
}

async function buildTarballs(dir: string): Promise<TestSnapshots> {
  const migrated = await cachedTarball('migrated');
  const migratedPath = join(dir, 'migrated.tar');
  writeFileSync(migratedPath, Buffer.from(await migrated.arrayBuffer()));
  const started = join(dir, 'started.tar');
  const seeded = join(dir, 'seeded.tar');
  const database = await openMemoryDatabase(migrated);
  await withSnapshotApp(database, async () => undefined);
  await resetJobQueue(database);
  writeFileSync(started, await slimmed(database));
  await withSnapshotApp(database, (app) => app.services.demo.seedIfEmpty());
  await resetJobQueue(database);
  writeFileSync(seeded, await slimmed(database));
  await database.close();
  return { kind: 'pglite', migrated: migratedPath, started, seeded };
}

/**
 * Leaves pg-boss's schema as its first start makes it, plus our queues: none of the jobs, schedules or timestamps of
 * runs the snapshot's app left behind. An app starting on it then does what it does on a fresh database, less the
 * tables it would create for each queue (a sixth of a second of CPU per test app).
 */
async function resetJobQueue(database: Database): Promise<void> {
  for (const table of ['job', 'archive', 'schedule', 'subscription']) {
    await sql`delete from ${sql.table(`${JOB_SCHEMA}.${table}`)}`.execute(database.db);
  }
  await sql`update ${sql.table(`${JOB_SCHEMA}.version`)}
    set maintained_on = null, cron_on = null, monitored_on = null`.execute(database.db);
}

/**
 * The data folder without the two template databases (no test creates a database on PGlite) and checkpointed: a
 * third smaller, and every test file copies it, so loading it costs about half as much.
 */
async function slimmed(database: MemoryDatabase): Promise<Buffer> {
  await sql`update pg_database set datistemplate = false where datname in ('template0', 'template1')`.execute(
    database.db,
  );
  await sql`drop database if exists template0`.execute(database.db);
  await sql`drop database if exists template1`.execute(database.db);
  await sql`checkpoint`.execute(database.db);
  return Buffer.from(await (await database.snapshot()).arrayBuffer());
}

/**
 * A PGlite tarball cached on disk: `empty` (as initdb leaves it, given `TEST_INITDB_PARAMS`) or `migrated` (the
 * schema, without the template databases, as the runner's snapshot).
 */
export type CachedTarball = 'empty' | 'migrated';

const cachedImages = new Map<CachedTarball, DataFolderImage>();

/**
 * A PGlite tarball cached on disk under a hash of everything it depends on (the PGlite version, and for `migrated`
 * the migrations), so a test file run without the runner also skips initdb. A changed migration changes the hash,
 * so a stale snapshot is never used. Read from disk once per process; every database started from it gets its own
 * copy.
 */
export async function cachedTarball(which: CachedTarball): Promise<DataFolderImage> {
  let image = cachedImages.get(which);
  if (!image) {
    image = new DataFolderImage(await tarballOnDisk(which));
    cachedImages.set(which, image);
  }
  return image;
}

async function tarballOnDisk(which: CachedTarball): Promise<Buffer> {
  const folder = join(tmpdir(), 'stackable-test-snapshots');
  const path = join(folder, `${which}-${snapshotHash(which)}.tar`);
  if (existsSync(path)) return readFileSync(path);
  let bytes: Buffer;
  if (which === 'migrated') {
    const database = await openMemoryDatabase(await cachedTarball('empty'));
    await migrateToLatest(database.db);
    bytes = await slimmed(database);
    await database.close();
  } else {
    const pglite = await PGlite.create('memory://', { initDbStartParams: TEST_INITDB_PARAMS });
    bytes = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    await pglite.close();
  }
  mkdirSync(folder, { recursive: true });
  // Written aside and renamed, so a file running in parallel never reads half a tarball.
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, bytes);
  renameSync(partial, path);
  return bytes;
}

/**
 * How the test clusters are made, beyond PGlite's own initdb arguments: WAL segments of 1 MB instead of 16 MB, and
 * at most two kept for reuse. Every segment the cluster holds is in the tarball every test database copies, and a
 * new one is filled with zeros when the database starts or writes past the last: at 16 MB, two segments were two
 * thirds of the started and seeded snapshots (32 of 48 MB), copied and zeroed by every test file. The segment size
 * changes nothing a test sees (no test reads the WAL); the app's own clusters keep initdb's default.
 */
const TEST_INITDB_PARAMS = ['--wal-segsize=1', '-c', 'min_wal_size=2MB'];

function snapshotHash(which: CachedTarball): string {
  const hash = createHash('sha256');
  hash.update(TEST_INITDB_PARAMS.join(' '));
  // The data folder's format is PGlite's: a new version must not load an old tarball.
  hash.update(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  if (which === 'migrated') {
    // Slimmed since: a tarball cached before that must not be taken for one.
    hash.update('slimmed');
    const root = new URL('../../src/platform/db/', import.meta.url);
    const folder = new URL('migrations/', root);
    for (const name of readdirSync(folder).sort()) {
      hash.update(name).update(readFileSync(new URL(name, folder)));
    }
    hash.update(readFileSync(new URL('migrate.ts', root)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplates(serverUrl: string): Promise<TestSnapshots> {
  const run = `stackable_tpl_${randomBytes(4).toString('hex')}`;
  const snapshots: TestSnapshots = {
    kind: 'postgres',
    migrated: `${run}_migrated`,
    started: `${run}_started`,
    seeded: `${run}_seeded`,
  };
  await withAdmin(serverUrl, (client) => createTestDatabase(client, snapshots.migrated));
  const migrated = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, snapshots.migrated) });
  await migrateToLatest(migrated.db);
  await migrated.close();
  // Each template is copied from the one before, then given what it adds.
  const steps = [
    [snapshots.started, snapshots.migrated, async () => undefined],
    [snapshots.seeded, snapshots.started, (app: SnapshotApp) => app.services.demo.seedIfEmpty()],
  ] as const;
  for (const [name, template, work] of steps) {
    await withAdmin(serverUrl, (client) => createTestDatabase(client, name, template));
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl(serverUrl, name) });
    await withSnapshotApp(database, work);
    await resetJobQueue(database);
    await database.close();
  }
  return snapshots;
}

type SnapshotApp = Awaited<ReturnType<typeof createApp>>;

/**
 * Starts the app on `database` as a test app would (no workers), runs `work` with it, and stops it but keeps the
 * database open: the caller still snapshots it. The demo's passwords are hashed at the test apps' cost, as
 * `startTestApp` would hash them.
 */
async function withSnapshotApp(
  database: Database,
  work: (app: SnapshotApp) => Promise<unknown>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackable-snapshot-'));
  try {
    const app = await createApp(loadConfig(testAppEnv(dataDir)), {
      database,
      runJobs: false,
      passwordCost: TEST_PASSWORD_COST,
    });
    await work(app);
    await app.http.close();
    await app.jobs.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The URL of another database on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates a test database (from `template` when given) on the admin connection `client`, with
 * `synchronous_commit = off` for every session on it, the app processes a test starts included: a commit then
 * returns without waiting for the disk to flush its WAL. What that wait buys is surviving a crash of the server
 * itself, which no test causes (they cut connections and kill app processes, never the server), and a test database
 * is dropped at the end of its file anyway. Set on the database, not the server, whose settings are its operator's.
 */
export async function createTestDatabase(client: pg.Client, name: string, template?: string): Promise<void> {
  await client.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await client.query(`alter database ${name} set synchronous_commit = off`);
}

/** Runs `work` on a short-lived connection to the server's maintenance database (creating and dropping). */
export async function withAdmin(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
