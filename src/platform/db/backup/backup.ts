import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { migrations } from '../migrate.ts';
import { readArchive, type WrittenArchive, writeArchive } from './archive-file.ts';
import { type ArchiveHeader, sealRecords, unreadableArchive } from './archive-format.ts';
import { exportSnapshot } from './export-database.ts';
import { type RestoreResult, restoreSnapshot } from './restore-database.ts';

/**
 * `stackable backup <file>`: one consistent snapshot of `database` written to `path` (0600, never overwriting),
 * encrypted under the app secret, which the installation needs anyway to open its sealed signing keys.
 */
export function takeBackup(
  database: Database,
  path: string,
  appVersion: string,
  secret: string,
): Promise<WrittenArchive> {
  return writeArchive(path, exportSnapshot(database, appVersion), secret);
}

/** `stackable restore <file>`: the archive at `path` into `database` (empty, unless `replace`). */
export function restoreBackup(
  database: Database,
  path: string,
  secret: string,
  options: { replace: boolean },
) {
  return restoreSnapshot(database, readArchive(path, secret), { ...options, migrations });
}

/**
 * `stackable move-to-postgres`: the embedded database copied into an empty PostgreSQL database, streamed from one
 * to the other without a file: the same snapshot, records and checks as a backup restored.
 */
export function copyDatabase(source: Database, target: Database, appVersion: string): Promise<RestoreResult> {
  return restoreSnapshot(target, sealRecords(exportSnapshot(source, appVersion)), {
    replace: false,
    migrations,
  });
}

/** What `stackable restore --check` reports: the header and row counts of an archive read through to the end. */
export interface ArchiveSummary {
  header: ArchiveHeader;
  tables: Record<string, number>;
}

/**
 * Reads a whole archive without a database: the checksum, every table's rows against its end marker and the
 * trailer. Throws `unreadableArchive` on the first problem.
 */
export async function checkArchive(path: string, secret: string): Promise<ArchiveSummary> {
  let header: ArchiveHeader | undefined;
  const tables: Record<string, number> = {};
  let table: string | undefined;
  let rows = 0;
  let position = 0;
  for await (const record of readArchive(path, secret)) {
    position += 1;
    if (record.kind === 'header') header = record.header;
    else if (record.kind === 'table') [table, rows] = [record.table, 0];
    else if (record.kind === 'row') rows += 1;
    else if (record.kind === 'end') {
      if (record.table !== table || record.rows !== rows) {
        throw unreadableArchive(
          position,
          `table ${record.table} should have ${record.rows} rows, it has ${rows}`,
        );
      }
      tables[record.table] = rows;
      table = undefined;
    } else if (Object.entries(record.trailer.tables).sort().join() !== Object.entries(tables).sort().join()) {
      throw unreadableArchive(position, 'the tables and row counts differ from those the trailer lists');
    }
  }
  if (!header) throw unreadableArchive(1, 'it has no header');
  return { header, tables };
}

/**
 * Refuses to touch an embedded database that a running app has open. PGlite writes `postmaster.pid` into its
 * folder while open and removes it on a clean close; two processes on one folder would corrupt it. The file
 * also stays behind after a crash, which the message covers.
 */
export function refuseOpenEmbeddedDatabase(dataDir: string): void {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  throw new AppError(
    'CONFLICT',
    `The embedded database in ${dataDir} is open (postmaster.pid is there): stop Stackable first. If it is not ` +
      'running (it was killed, or the machine restarted), start it once and stop it with Ctrl-C, then try again.',
  );
}
