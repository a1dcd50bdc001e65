/**
 * Starts and stops the job thread (job-thread.ts) of a serve process, and starts it again whenever it dies: a
 * job worker's crash, even an uncaught error, costs the queues a second but never the pages.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/logger.ts';
import { threadEntry } from '../platform/thread-entry.ts';
import type { JobThreadMessage } from './job-thread.ts';

/** Waits before starting the thread again; doubled after each start that failed (the database away), up to a cap. */
const RESTART_DELAY_MS = 1000;
const RESTART_DELAY_CAP_MS = 30_000;
/** Running jobs may finish first, as in a process that does both (app.close); then the thread is ended. */
const STOP_TIMEOUT_MS = 30_000;

export interface JobThread {
  /** Lets running jobs finish, then stops the thread (for good after STOP_TIMEOUT_MS). */
  stop(): Promise<void>;
}

/**
 * Resolves once the thread's app has started its workers. Rejects when that first start fails: a serve that
 * cannot work its queues should not look healthy. Later deaths are logged and followed by a new start.
 */
export async function startJobThread(
  logger: Logger,
  // What the thread runs; tests pass a small script that misbehaves on cue.
  entry: URL = threadEntry(new URL('./job-thread.ts', import.meta.url), import.meta.url),
): Promise<JobThread> {
  let stopping = false;
  let running: Worker | null = null;
  let restartTimer: NodeJS.Timeout | undefined;
  let delay = RESTART_DELAY_MS;
  let everStarted = false;

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(entry);
      running = worker;
      let started = false;
      worker.on('message', (message: JobThreadMessage) => {
        if (message.kind !== 'started') return;
        started = true;
        everStarted = true;
        delay = RESTART_DELAY_MS;
        resolve();
      });
      worker.on('error', (error) => logger.error({ err: error }, 'the job workers stopped on an error'));
      worker.on('exit', (code) => {
        running = null;
        if (!started) reject(new Error(`the job workers could not start (thread exit code ${code})`));
        if (stopping || !everStarted) return;
        logger.error({ code, restartInMs: delay }, 'the job workers stopped; starting them again');
        restartTimer = setTimeout(() => start().catch(() => {}), delay);
        if (!started) delay = Math.min(delay * 2, RESTART_DELAY_CAP_MS);
      });
    });

  await start();
  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const worker: Worker | null = running;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      worker.postMessage({ kind: 'stop' } satisfies JobThreadMessage);
      await exited;
      clearTimeout(timer);
    },
  };
}
