import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import { AppError } from '../platform/errors.ts';
import { keepHeapNearLiveSize } from '../platform/heap-growth.ts';
import { databaseDidNotAnswer } from './command-io.ts';
import { EX_USAGE, EXIT_UNAVAILABLE } from './exit-codes.ts';

const usage = `Usage: stackable <command>

Commands:
  serve       Start the web app (applies migrations; seeds the demo university into an empty database;
              STACKABLE_PROCESSES=n runs n processes sharing the port)
  migrate     Apply database migrations and exit
  admin create --email <ADDRESS> [--name <NAME>]
              Make someone an administrator (the first one, say); prints or mails a link to set a password
  institution show | set [--name …] [--short-name …] [--time-zone …] [--currency …] [--fee …] …
              Show or change the institution's profile (stackable institution help)
  import completions <FILE>
              Import course completions from a student-system CSV file
  credential issue|verify|revoke|suspend|reinstate …
              Issue, verify or change the status of a badge (stackable credential help)
  lists resume <ID>
              Take up a tracking list that stopped, or whose worker stopped answering
  insight rebuild|verify
              Count the dashboards' kept figures again, or compare them with the live counts
  keys rotate|list
              Start a new issuer signing key, or list the keys
  backup <FILE>
              Write the whole installation's data to a new file (it holds secrets; stackable backup --help)
  restore <FILE> [--replace --yes] | restore --check <FILE>
              Load a backup into an empty database, or check a backup file
  move-to-postgres --to <postgres://…>
              Copy the embedded database into an empty PostgreSQL database
  trusted-issuers list|add|remove|add-registry|refresh …
              Issuers whose badges show as coming from a known issuer (stackable trusted-issuers help)
  help        Show this help

Exit status: 0 done, 1 refused (the reason is printed), 64 called wrongly or given a value that is refused,
69 the database did not answer (nothing was done), 75 done but its e-mail waits in the outbox, 78 the
configuration is wrong. \`credential verify\` also exits 1 for a badge that does not verify, 2 for one it cannot read.

Configuration comes from environment variables; see the README.`;

type Command = {
  run(args: string[]): Promise<number>;
  /** Reads or changes the installation's data, so the operator is told which database (serve says it itself). */
  usesData: boolean;
  /**
   * Done in a few statements, whatever the size of the installation: the embedded database's WebAssembly need
   * not be optimized for it (see `keepWebAssemblyUnoptimized`).
   */
  isBrief?: boolean;
};

const printUsage = async () => {
  console.log(usage);
  return 0;
};

/**
 * Every command, once: its name, what runs it, and whether it touches the installation's data. Each command's
 * module is loaded only when it runs: most of them build the app's services, which `help` (or a typo) need not load.
 */
const COMMANDS: Record<string, Command> = {
  serve: { run: async () => (await import('./serve.ts')).serve(), usesData: false },
  // Not brief: a migration may rewrite a large table, where optimized code pays back its compiling many times.
  migrate: { run: () => migrate(), usesData: true },
  admin: {
    run: async (args) => (await import('./admin-commands.ts')).runAdminCli(args),
    usesData: true,
    isBrief: true,
  },
  institution: {
    run: async (args) => (await import('./institution-commands.ts')).runInstitutionCli(args),
    usesData: true,
    isBrief: true,
  },
  import: {
    run: async (args) => (await import('./import-commands.ts')).runImportCommand(args),
    usesData: true,
  },
  insight: {
    run: async (args) => (await import('./insight-commands.ts')).runInsightCli(args),
    usesData: true,
  },
  lists: { run: async (args) => (await import('./list-commands.ts')).runListCli(args), usesData: true },
  credential: {
    run: async (args) => (await import('./credential-commands.ts')).runCredentialCli('credential', args),
    usesData: true,
    isBrief: true,
  },
  keys: {
    run: async (args) => (await import('./credential-commands.ts')).runCredentialCli('keys', args),
    usesData: true,
    isBrief: true,
  },
  backup: {
    run: async (args) => (await import('./backup-commands.ts')).runBackupCli('backup', args),
    usesData: true,
  },
  restore: {
    run: async (args) => (await import('./backup-commands.ts')).runBackupCli('restore', args),
    usesData: true,
  },
  'move-to-postgres': {
    run: async (args) => (await import('./backup-commands.ts')).runBackupCli('move-to-postgres', args),
    usesData: true,
  },
  'trusted-issuers': {
    run: async (args) => (await import('./trusted-issuer-commands.ts')).runTrustedIssuersCli(args),
    usesData: true,
    isBrief: true,
  },
  help: { run: printUsage, usesData: false },
  '--help': { run: printUsage, usesData: false },
  '-h': { run: printUsage, usesData: false },
};

/** The command line. Thin: each command parses its arguments and calls services. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...args] = argv;
  keepHeapNearLiveSize();
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return EX_USAGE;
  }
  if (command.isBrief) keepWebAssemblyUnoptimized();
  try {
    if (command.usesData) sayWhichDatabase();
    return await command.run(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      return 78;
    }
    // The database went away before or between a command's own steps (at its start, say, where the app is built
    // and migrated): a script must read "unavailable", never a command's "no" (1 is `credential verify`'s "not
    // verified"), and a person needs a sentence rather than a driver's stack trace.
    if (isConnectionFailure(error) || (error instanceof AppError && error.code === 'UNAVAILABLE')) {
      console.error(databaseDidNotAnswer(error));
      return EXIT_UNAVAILABLE;
    }
    throw error;
  }
}

/**
 * The embedded database is PostgreSQL compiled to WebAssembly. V8 runs it first as quickly compiled code (Liftoff)
 * and, on background threads, compiles the functions that run often again with its optimizing compiler: work that
 * pays off over minutes of queries, and about 0.8 of the 2.8 CPU seconds of a `stackable institution show` that
 * lasts a second. Long commands (serve, migrate, an import, a resumed list, a backup) keep it. It must be set before PGlite
 * compiles its module, which the command's own module loads; on PostgreSQL it changes nothing.
 */
function keepWebAssemblyUnoptimized(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * An operator who forgot DATABASE_URL would otherwise change the embedded database in ./data without a word, and
 * then look for the change on their PostgreSQL. Said on stderr, so a command's own output stays as scripts read it.
 */
function sayWhichDatabase(): void {
  const { database } = loadConfig();
  if (database.kind === 'pglite') {
    console.error(`Using the embedded database in ${database.dataDir} (set DATABASE_URL to use PostgreSQL).`);
  }
}

async function migrate(): Promise<number> {
  const { openDatabase } = await import('../platform/db/database.ts');
  const { migrateToLatest } = await import('../platform/db/migrate.ts');
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}
