/**
 * Several app processes on one machine, sharing one port through Node's cluster module: the first process
 * (the supervisor) accepts connections and hands them to its workers in turn. Any worker can answer any
 * request because the app keeps nothing a request depends on in memory: sessions, jobs and the sources of
 * every cache are in PostgreSQL (docs/performance.md, "How a deployment grows").
 *
 * The supervisor does no web work itself. It starts the workers, starts another when one dies, and on
 * SIGTERM or SIGINT asks each to finish its requests and stop.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.ts';

/** True in a process the supervisor started. */
export const isAppWorker = (): boolean => cluster.isWorker;

/** Called by a worker once it has stopped serving: the channel to the supervisor would keep it alive. */
export function leaveSupervisor(): void {
  if (cluster.isWorker) process.disconnect?.();
}

const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 30_000;

export interface SupervisorEvents {
  /** Every worker is listening, on this port. */
  onListening?(port: number): void;
}

/**
 * Runs `count` copies of this program (same script, arguments and environment) as workers, until SIGTERM
 * or SIGINT. Returns the exit code: 0 after a requested stop, 1 when a worker failed at its start.
 */
export async function superviseAppProcesses(
  count: number,
  logger: Logger,
  events: SupervisorEvents = {},
): Promise<number> {
  const serving = new WeakSet<Worker>();
  let stopping = false;
  let listening = 0;

  const start = () => {
    const worker = cluster.fork();
    worker.once('listening', (address) => {
      serving.add(worker);
      listening += 1;
      if (listening === count) events.onListening?.(address.port);
    });
  };

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            // The worker's own signal handler closes the server and the database before it exits.
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  };

  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      // A worker that never got to serve (a bad setting, a port in use) would fail the same way again.
      if (!serving.has(worker)) {
        logger.error(
          { pid: worker.process.pid, code, signal },
          'an app process stopped before it could serve; stopping the others',
        );
        void stopAll().then(() => resolve(1));
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'an app process stopped; starting another');
      setTimeout(() => stopping || start(), RESTART_DELAY_MS);
    });
    const stop = (signal: string) => {
      logger.info(`${signal} received: the app processes finish their requests and stop`);
      void stopAll().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    for (let i = 0; i < count; i += 1) start();
  });
}
