import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { runCredentialCli } from './credential-commands.ts';
import { runImportCommand } from './import-commands.ts';

const usage = `Usage: stackable <command>

Commands:
  serve       Start the web app (applies migrations; seeds the demo university into an empty database)
  migrate     Apply database migrations and exit
  import completions <FILE>
              Import course completions from a student-system CSV file
  credential issue|verify|revoke|suspend|reinstate …
              Issue, verify or change the status of a badge (stackable credential help)
  keys rotate|list
              Start a new issuer signing key, or list the keys
  help        Show this help

Configuration comes from environment variables; see the README.`;

/** The command line. Thin: each command parses its arguments and calls services. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'serve'] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'migrate':
        return await migrate();
      case 'import':
        return await runImportCommand(argv.slice(1));
      case 'credential':
      case 'keys':
        return await runCredentialCli(command, argv.slice(1));
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      return 78;
    }
    throw error;
  }
}

async function migrate(): Promise<number> {
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

async function serve(): Promise<number> {
  const config = loadConfig();
  const app = await createApp(config);
  const seeded = config.seedDemo ? await app.services.demo.seedDemoWithActivity() : null;
  await app.http.listen({ port: config.port, host: config.host });

  const where =
    config.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL';
  console.log(`\nStackable is running at ${config.publicUrl} (data: ${where})`);
  if (seeded) {
    console.log(
      '\nThe demo university was created. Demo accounts (password for all: %s):',
      seeded[0]?.password,
    );
    for (const account of seeded) console.log(`  ${account.roles.join(', ').padEnd(20)} ${account.email}`);
    console.log('');
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`\n${signal} received: finishing in-flight work and stopping.`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.close();
  return 0;
}
