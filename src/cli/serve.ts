import { createApp } from '../app.ts';
import { type AppServices, openServices } from '../app-services.ts';
import { isAppWorker, leaveSupervisor, superviseAppProcesses } from '../platform/app-processes.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startJobThread } from './job-thread-host.ts';

/**
 * `stackable serve`: the web app, in one process or, with STACKABLE_PROCESSES above 1, in several sharing the
 * port. The first process prepares the database (migrations, the demo university) before any worker starts, so
 * the workers never race each other to do it.
 */
export async function serve(): Promise<number> {
  const config = loadConfig();
  if (isAppWorker()) return serveRequests(config);
  if (config.processes === 1) return serveRequests(config, { announce: true });
  // Preparing needs the services only: the routes are built by each process that answers requests.
  const app = await openServices(config, { runJobs: false });
  const seeded = config.seedDemo ? await app.services.demo.seedDemoWithActivity() : null;
  const firstRun = await firstRunOf(app);
  // An installation from before the dashboards kept their counts gets them now, once, before any page is asked.
  await app.services.insightFigures.ensureBuilt();
  await app.close();
  return superviseAppProcesses(config.processes, createLogger(config.logLevel), {
    onListening: () => announce(config, seeded, `${config.processes} processes`, firstRun),
  });
}

type SeededAccounts = Awaited<ReturnType<AppServices['services']['demo']['seedDemoWithActivity']>>;

/**
 * One process answering requests until SIGTERM or SIGINT. On PostgreSQL its job workers run on a thread of their
 * own at a lower CPU priority (job-thread.ts), so pages stay fast while a large list is issued; the embedded
 * database belongs to one thread, so with it the same thread does both.
 */
async function serveRequests(config: Config, { announce: first = false } = {}): Promise<number> {
  const ownThreadForJobs = config.database.kind === 'postgres';
  const app = await createApp(config, { runJobs: !ownThreadForJobs });
  const seeded = first && config.seedDemo ? await app.services.demo.seedDemoWithActivity() : null;
  const firstRun = first ? await firstRunOf(app) : null;
  await app.services.insightFigures.ensureBuilt();
  // Started once the database is migrated and seeded, so the two apps never race to prepare it.
  const jobThread = ownThreadForJobs ? await startJobThread(app.logger) : null;
  await app.http.listen({ port: config.port, host: config.host });
  if (first) announce(config, seeded, 'one process', firstRun);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (first) console.log(`\n${signal} received: finishing in-flight work and stopping.`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await Promise.all([app.close(), jobThread?.stop()]);
  leaveSupervisor();
  return 0;
}

/**
 * With nobody able to administer the service, the operator is told how to make the first administrator: the
 * command, and a one-time setup link (its token exists only in this log and, hashed, in the database).
 */
async function firstRunOf(app: AppServices) {
  const { firstAdmin } = app.services;
  if (await firstAdmin.hasActiveAdministrator()) return null;
  return { setupToken: await firstAdmin.openSetup() };
}

function announce(
  config: Config,
  seeded: SeededAccounts,
  processes: string,
  firstRun: Awaited<ReturnType<typeof firstRunOf>>,
): void {
  const where =
    config.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL';
  console.log(`\nStackable is running at ${config.publicUrl} (data: ${where}; ${processes})`);
  if (config.host === '127.0.0.1' || config.host === '::1') {
    console.log(
      `Listening on ${config.host} only: set HOST=0.0.0.0 to accept other machines (in a container, say).`,
    );
  }
  if (config.env === 'development' && !config.smtpUrl) {
    console.log(
      `No SMTP_URL: the mail it sends is at ${config.publicUrl}/dev/mail, for a browser on this machine.`,
    );
  }
  if (seeded) {
    console.log(
      '\nThe demo university was created. Demo accounts (password for all: %s):',
      seeded[0]?.password,
    );
    for (const account of seeded) console.log(`  ${account.roles.join(', ').padEnd(20)} ${account.email}`);
    console.log('');
  }
  if (firstRun) {
    console.log('\nNo administrator can sign in yet. Create the first one with:');
    console.log('  stackable admin create --email you@your-university.edu --name "Your Name"');
    if (firstRun.setupToken) {
      console.log(
        'or open this one-time setup page (it works once, within 24 hours, until an administrator exists):',
      );
      console.log(`  ${config.publicUrl}/setup?token=${firstRun.setupToken}`);
    } else {
      console.log(
        '(An administrator was invited but has not chosen a password; the command sends a new link.)',
      );
    }
    console.log('');
  }
}
