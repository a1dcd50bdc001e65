import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { type Config, loadConfig } from '../platform/config.ts';
import {
  checkArchive,
  copyDatabase,
  refuseOpenEmbeddedDatabase,
  restoreBackup,
  takeBackup,
} from '../platform/db/backup/backup.ts';
import { type Database, openDatabase } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { answerFailure, type CliIo, processIo, readOptions, UsageMistake } from './command-io.ts';
import { EX_USAGE, EXIT_UNAVAILABLE } from './exit-codes.ts';

export const backupUsage = `Usage:
  stackable backup <file>
      Writes the whole installation's data (the configured database: DATABASE_URL, or the embedded one) to a new
      file, readable by you only and encrypted with STACKABLE_SECRET: it holds the signing keys, password hashes and
      API secrets, and it restores only where the same secret is set. Taken in one snapshot, so PostgreSQL can keep serving; the embedded database must be stopped first.
  stackable restore <file> [--replace --yes]
      Loads a backup into the configured database, which must be empty (a new database or data folder) unless
      --replace --yes is given: then everything in it is replaced. All or nothing, in one transaction; refuses a
      backup from a newer Stackable. Everyone signs in again afterwards (sessions are not backed up).
  stackable restore --check <file>
      Reads a backup through and checks it (checksum, row counts) without touching any database.
  stackable move-to-postgres --to <postgres://…>
      Copies the embedded database into an empty PostgreSQL database, checks the row counts and tells you what
      to set. The embedded data folder is left as it was.

Exit status: 0 done, 1 refused (the reason is printed; nothing was changed), ${EX_USAGE} wrong usage,
${EXIT_UNAVAILABLE} the database did not answer.`;

type Io = Pick<CliIo, 'out' | 'err'>;

/** Where the commands find their database and their version; tests pass their own. */
export interface BackupCliContext {
  config: Pick<Config, 'database' | 'dataDir' | 'secret'>;
  appVersion: string;
  openDatabase(target: Config['database']): Promise<Database>;
}

const defaultContext = (): BackupCliContext => ({
  config: loadConfig(),
  appVersion: appVersion(),
  openDatabase,
});

/** Entry point for `stackable backup`, `restore` and `move-to-postgres`. Returns the exit status. */
export async function runBackupCli(
  command: 'backup' | 'restore' | 'move-to-postgres',
  args: string[],
  io: Io = processIo,
  context: () => BackupCliContext = defaultContext,
): Promise<number> {
  if (args[0] === 'help' || args.includes('--help') || args.includes('-h')) {
    io.out(backupUsage);
    return 0;
  }
  try {
    if (command === 'backup') return await backup(args, io, context);
    if (command === 'restore') return await restore(args, io, context);
    return await moveToPostgres(args, io, context);
  } catch (error) {
    return answerFailure(error, io, backupUsage);
  }
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  return readOptions({ args, options, allowPositionals: true, strict: true });
}

async function backup(args: string[], io: Io, context: () => BackupCliContext): Promise<number> {
  const { positionals } = parse(args, {});
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageMistake('Give one file to write the backup to.');
  const ctx = context();
  const written = await withDatabase(ctx, ctx.config.database, (database) =>
    takeBackup(database, file, ctx.appVersion, ctx.config.secret),
  );
  const rows = Object.values(written.trailer.tables).reduce((sum, n) => sum + n, 0);
  io.out(
    `Backed up ${rows} rows in ${Object.keys(written.trailer.tables).length} tables to ${written.path} ` +
      `(${written.bytes} bytes, sha256 ${written.trailer.sha256}), encrypted with STACKABLE_SECRET. Keep the ` +
      'secret (or the data folder\'s "secret" file) safe and apart from the backups: without it the file cannot ' +
      'be restored.',
  );
  return 0;
}

async function restore(args: string[], io: Io, context: () => BackupCliContext): Promise<number> {
  const { values, positionals } = parse(args, {
    replace: { type: 'boolean' },
    yes: { type: 'boolean' },
    check: { type: 'boolean' },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageMistake('Give one backup file to restore.');
  if (values.check) {
    const summary = await checkArchive(file, context().config.secret);
    const rows = Object.values(summary.tables).reduce((sum, n) => sum + n, 0);
    io.out(
      `${file} is a complete Stackable backup: taken ${summary.header.createdAt} by Stackable ` +
        `${summary.header.appVersion} from ${summary.header.source}, schema ${summary.header.migrations.at(-1)}, ` +
        `${rows} rows in ${Object.keys(summary.tables).length} tables; the checksum matches.`,
    );
    return 0;
  }
  if (values.replace && !values.yes) {
    throw new UsageMistake('--replace deletes everything in the configured database: confirm it with --yes.');
  }
  const ctx = context();
  const result = await withDatabase(ctx, ctx.config.database, (database) =>
    restoreBackup(database, file, ctx.config.secret, { replace: values.replace === true }),
  );
  const rows = Object.values(result.tables).reduce((sum, n) => sum + n, 0);
  io.out(
    `Restored ${rows} rows in ${Object.keys(result.tables).length} tables from the backup taken ` +
      `${result.header.createdAt} (Stackable ${result.header.appVersion}); every table's row count matches.` +
      (result.upgradedBy.length > 0 ? ` Then applied migrations: ${result.upgradedBy.join(', ')}.` : '') +
      ' Everyone signs in again. Badges keep verifying with the restored keys; to sign new ones the app needs the ' +
      'STACKABLE_SECRET the backup was taken with.',
  );
  return 0;
}

async function moveToPostgres(args: string[], io: Io, context: () => BackupCliContext): Promise<number> {
  const { values, positionals } = parse(args, { to: { type: 'string' } });
  if (positionals.length > 0 || !values.to) throw new UsageMistake('Give the PostgreSQL database with --to.');
  if (!/^postgres(ql)?:\/\/.+/.test(values.to)) {
    throw new UsageMistake('--to must start with postgres:// or postgresql://.');
  }
  const ctx = context();
  const source = ctx.config.database;
  if (source.kind !== 'pglite') {
    throw new AppError('INVALID_STATE', 'This installation already uses PostgreSQL (DATABASE_URL is set).');
  }
  const to = values.to;
  const result = await withDatabase(ctx, source, (embedded) =>
    withDatabase(ctx, { kind: 'postgres', url: to }, (target) =>
      copyDatabase(embedded, target, ctx.appVersion),
    ),
  );
  const rows = Object.values(result.tables).reduce((sum, n) => sum + n, 0);
  io.out(
    [
      `Copied ${rows} rows in ${Object.keys(result.tables).length} tables into PostgreSQL; every table's row count matches.`,
      'To run on it, set both of these where Stackable is started, then start it as before:',
      `  DATABASE_URL=${withoutPassword(to)}`,
      `  STACKABLE_SECRET=<the secret used now: if you never set one, the content of ${join(ctx.config.dataDir, 'secret')}>`,
      'The secret seals the signing keys: with another one, new badges cannot be signed.',
      `The embedded database in ${source.dataDir} is left untouched: to go back, unset DATABASE_URL.`,
    ].join('\n'),
  );
  return 0;
}

/** Opens a database for one command and closes it whatever happens; an embedded one only when no app has it. */
async function withDatabase<T>(
  ctx: BackupCliContext,
  target: Config['database'],
  work: (database: Database) => Promise<T>,
): Promise<T> {
  if (target.kind === 'pglite') refuseOpenEmbeddedDatabase(target.dataDir);
  const database = await ctx.openDatabase(target);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The address to print: the password, if any, is the operator's to fill in, not the terminal's to keep. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '…';
    return parsed.toString();
  } catch {
    return url;
  }
}

function appVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
