import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataFolderImage, readTarEntries } from '../../src/platform/db/data-folder-image.ts';
import { type Database, openDatabase, openMemoryDatabase } from '../../src/platform/db/database.ts';
import { PglitePool } from './pglite-pool.ts';
import { atShardEnd, isInShard } from './shard-lifetime.ts';
import { cachedTarball, createTestDatabase, databaseUrl, runSnapshots, withAdmin } from './test-snapshots.ts';

// The run's snapshots, read from disk once per process (see `DataFolderImage`).
const images = new Map<string, DataFolderImage>();
function snapshotImage(path: string): DataFolderImage {
  let image = images.get(path);
  if (!image) {
    image = new DataFolderImage(readFileSync(path));
    images.set(path, image);
  }
  return image;
}

/**
 * A shard lends its in-memory databases to one file after another (see `PglitePool`), and closes them when it ends.
 * A file run on its own starts and closes its own, as nothing would close a pool's.
 */
let pool: PglitePool | undefined;
function shardPool(): PglitePool | undefined {
  if (!pool && isInShard()) {
    const made = new PglitePool();
    atShardEnd(() => made.close());
    pool = made;
  }
  return pool;
}

/** Which backend the tests run on: PostgreSQL when DATABASE_URL is set, PGlite otherwise. */
export const testBackend = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * The `skip` of a test or suite whose every database is PGlite whatever DATABASE_URL says (an embedded data folder,
 * a PGlite backup restored into PGlite), in a file that also tests PostgreSQL. On PostgreSQL it would repeat the
 * PGlite run exactly, at the cost of an embedded cluster or two, so a run choosing its files by kind (CI's) skips it
 * there, as the runner leaves out a whole `// pglite-only:` file; CI runs both. A file named on the command line, or
 * run on its own, runs it all, as a named `// pglite-only:` file runs.
 */
export const repeatsThePgliteRun =
  testBackend === 'postgres' &&
  process.env.STACKABLE_TESTS_BY_KIND === '1' &&
  'PGlite whatever the backend: the run without DATABASE_URL covers it';

/**
 * A database of its own for one test file: an in-memory PGlite, or a fresh database on the PostgreSQL server named
 * by DATABASE_URL (dropped again by `drop`). Tests never share data, so they can run in parallel.
 *
 * `start` says what it holds (see `test-snapshots.ts`): nothing (the default), the migrated schema, that and the job
 * queue as an app's start leaves it (for a database an app will start on), or those and the demo university. Started
 * and seeded come only from the runner's snapshots; `isSeeded` says whether it did, otherwise the caller seeds (a
 * single file run without the runner), and an app creates its job queue itself. Without the runner, PGlite copies a
 * snapshot cached on disk and PostgreSQL starts from an empty database.
 *
 * In a shard, a PGlite database may be an instance an earlier file used, put back to what the snapshot holds
 * (`PglitePool`): its rows, sequences and session settings. One whose schema its file changed is never lent again.
 */
export async function openTestDatabase(
  options: { start?: 'empty' | 'migrated' | 'started' | 'seeded' } = {},
): Promise<{
  database: Database;
  url: string | undefined;
  isSeeded: boolean;
  drop(): Promise<void>;
}> {
  const start = options.start ?? 'empty';
  const snapshots = runSnapshots();
  const copied = start === 'empty' ? undefined : snapshots?.[start];
  const isSeeded = start === 'seeded' && copied !== undefined;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const tarball = copied
      ? snapshotImage(copied)
      : await cachedTarball(start === 'empty' ? 'empty' : 'migrated');
    // An empty cluster is only ever migrated by its test: nothing to lend again.
    const lender = start === 'empty' ? undefined : shardPool();
    const database = lender ? await lender.open(tarball) : await openMemoryDatabase(tarball);
    return { database, url: undefined, isSeeded, drop: () => database.close() };
  }
  const name = `stackable_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => createTestDatabase(client, name, copied));
  const url = databaseUrl(serverUrl, name);
  // Half the app's default pool: a run keeps several test databases open at once on one server (100 connections).
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
  return {
    database,
    url,
    isSeeded,
    async drop() {
      // The app's own close() may have ended the pool already (ending it twice throws): the drop must still run, or
      // every test file leaves a database behind on the server.
      await database.close().catch(() => undefined);
      await withAdmin(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * Writes a PGlite cluster into the folder `folder`, copied from the cached tarball: exactly as initdb leaves it (no
 * tables of ours), or with our migrations applied. initdb is most of the cost of starting PGlite on disk, and a test
 * of what happens next needs none of it. The tarball's folders and files are written as they are, which is all
 * PGlite's `loadDataDir` does before it starts PostgreSQL on them: starting and stopping it here as well cost 1.4
 * CPU-s (against 0.47 for the caller's own open of the folder), and that open does whatever the start would have done.
 */
export async function writeCluster(folder: string, start: 'empty' | 'migrated'): Promise<void> {
  const bytes = new Uint8Array(await (await cachedTarball(start)).arrayBuffer());
  // Private, as PostgreSQL makes its data folder and files.
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  for (const entry of readTarEntries(bytes)) {
    const path = join(folder, entry.path);
    if (entry.isFolder) {
      mkdirSync(path, { recursive: true, mode: 0o700 });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, bytes.subarray(entry.start, entry.start + entry.size), { mode: 0o600 });
  }
}
