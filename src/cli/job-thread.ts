/**
 * The job workers of a `stackable serve` process on PostgreSQL, on a thread of their own (started by
 * job-thread-host.ts): the web app's services, built the same way with connections of their own but without the
 * routes, as it answers no requests and only works the queues. It runs at a lower CPU priority than the thread
 * answering pages, so a tracking list being issued and its claim mail give way to people clicking around
 * (issue 15).
 */
import { parentPort } from 'node:worker_threads';
import { openServices } from '../app-services.ts';
import { lowerThisThreadsPriority } from '../platform/background-priority.ts';
import { type Config, DEFAULT_POOL_SIZE, loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';

/** Messages between the serve thread and this one. */
export type JobThreadMessage = { kind: 'started' } | { kind: 'stop' };

const port = parentPort;
if (!port) throw new Error('job-thread.ts runs only as a worker thread.');
lowerThisThreadsPriority();
// The thread has its own copy of the process's environment, so the settings are the serve thread's, but for the
// size of its pool: a list works one chunk at a time beside the mail workers and the checks, so a few connections
// are all it uses, and the cap keeps a process's worst case near one pool's (docs/operations.md).
const JOB_THREAD_POOL_SIZE = 8;
const settings = loadConfig();
const config: Config =
  settings.database.kind === 'postgres'
    ? {
        ...settings,
        database: {
          ...settings.database,
          poolSize: Math.min(settings.database.poolSize ?? DEFAULT_POOL_SIZE, JOB_THREAD_POOL_SIZE),
        },
      }
    : settings;
// Its lines say which thread wrote them: each thread has its own connections, and says so when it loses them.
const logger = createLogger(config.logLevel).child({ thread: 'jobs' });
const app = await openServices(config, { runJobs: true, logger });
port.on('message', async (message: JobThreadMessage) => {
  if (message.kind !== 'stop') return;
  // Running jobs finish first, as in a process that does both (app.close).
  // Then the thread ends, which is what the host waits for.
  await app.close();
  port.close();
});
port.postMessage({ kind: 'started' } satisfies JobThreadMessage);
