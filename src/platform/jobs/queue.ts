import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { ConnectionWatch } from '../db/connection-watch.ts';
import { type Database, type Db, executorFor, type SqlExecutor } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { JOB_SCHEMA } from './live-jobs.ts';
import { retryWakeAfterMs } from './retry-wake.ts';
import { runBatch } from './run-batch.ts';

/** A kind of background work: its queue name, the shape of its payload, and how often to retry. */
export interface JobDefinition<T> {
  readonly name: string;
  readonly payload: z.ZodType<T>;
  readonly retryLimit?: number;
  /** How its workers take jobs; by default one job per fetch, at the app's polling interval. */
  readonly worker?: WorkerSettings;
}

/**
 * How a queue's worker takes its jobs. A fetch that fills its batch is followed by the next at once, so a backlog
 * drains without waiting for a poll; a queue with many small jobs (mail) still fetches a batch, which costs a few
 * statements for many jobs, and runs a few of its jobs at a time.
 */
export interface WorkerSettings {
  /** Jobs taken per fetch. */
  readonly batchSize?: number;
  /** How many jobs of a batch run at once (`handle`); a batch handler may read it as its own bound. */
  readonly parallel?: number;
  /**
   * Seconds between fetches when nothing woke the worker (pg-boss's floor is 0.5); by default the app's, for a queue
   * whose jobs can become due unannounced and must not wait that long.
   */
  readonly pollingIntervalSeconds?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

/**
 * Handles a fetched batch of jobs as one piece of work (their payloads, in the order fetched): the jobs are
 * completed together when it resolves, and all retried when it throws, so it must be safe to run twice.
 */
export type BatchHandler<T> = (items: T[]) => Promise<void>;

/** A recurring run of a job: a five-field cron expression read in an IANA time zone. */
export interface JobSchedule {
  readonly cron: string;
  /**
   * IANA time zone the cron expression is read in (default UTC); a function is asked each time the schedule is
   * registered, for a zone that is a setting people change.
   */
  readonly timeZone?: string | (() => Promise<string>);
}

/**
 * The NOTIFY channel on which every send names its queue, so that working processes fetch at once rather than at
 * their next poll. PostgreSQL delivers a notification when the sending transaction commits and drops it when that
 * rolls back: exactly when the job itself appears or vanishes.
 */
const WAKE_CHANNEL = 'stackable_jobs';

/**
 * Seconds between a worker's fetches when nothing woke it. A send wakes its queue's workers (WAKE_CHANNEL), a full
 * batch fetches again at once, and a failed job wakes its worker when its retry is due at the latest, so the timer
 * only finds what nothing announces: a schedule's run (pg-boss's timekeeper sends it, a minute's precision), a job
 * pg-boss gives up on after its expiry (a quarter of an hour) and retries, and a job another process sent while this
 * one's listener was reconnecting (every worker fetches once when it is back; this is for a link that died
 * silently). Nobody waits on any of those by the second. At ten seconds an idle process's queues (nine) ask the
 * database about once a second in all, where at a second each, and half a second for mail, they asked eleven times.
 */
export const DEFAULT_POLLING_INTERVAL_SECONDS = 10;

/** A check run on a timer in every working process (`JobQueue.runEvery`). */
interface Repeat {
  readonly name: string;
  readonly everySeconds: number;
  readonly check: () => Promise<unknown>;
}

/**
 * Background work on pg-boss, in the same database as everything else. Sending with a transaction puts the job
 * in that transaction: if it rolls back, the job never existed.
 */
export class JobQueue {
  readonly #handlers: { def: JobDefinition<unknown>; handleBatch: BatchHandler<unknown> }[] = [];
  readonly #schedules: { def: JobDefinition<unknown>; schedule: JobSchedule; data: unknown }[] = [];
  readonly #repeats: Repeat[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  /** The worker of each queue this process works, by queue name, to wake when a job of it is announced. */
  readonly #workers = new Map<string, string>();
  /** Wakes planned for failed jobs' retries (`#wakeForRetries`). */
  readonly #retryWakes = new Set<NodeJS.Timeout>();
  #unlisten: (() => Promise<void>) | undefined;
  #started = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  static create(
    database: Database,
    logger: Logger,
    options: { pollingIntervalSeconds?: number } = {},
  ): JobQueue {
    const boss = new PgBoss({
      db: database.jobExecutor,
      schema: JOB_SCHEMA,
      // Keep pg-boss's background maintenance light; PGlite has one connection to share.
      maintenanceIntervalSeconds: 120,
      ...options,
    });
    // A lost database is said once by the connection watch (app.ts), not once per poll of every worker.
    boss.on('error', (error: unknown) => {
      if (!database.connection.noteFailure(error)) logger.error({ err: error }, 'job queue error');
    });
    return new JobQueue(boss, database, logger);
  }

  /**
   * Declares a handler of one job at a time (a fetched batch runs `worker.parallel` of them at once); workers
   * start with `start({ work: true })`.
   */
  handle<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    const parallel = def.worker?.parallel ?? 1;
    this.handleBatch(def, (items) => runBatch(items, parallel, handler));
  }

  /**
   * Declares a handler that takes each fetched batch whole (up to `worker.batchSize` jobs): for work that is
   * cheaper done for many at once, such as claiming and recording a batch of mail in one statement each.
   */
  handleBatch<T>(def: JobDefinition<T>, handler: BatchHandler<T>): void {
    this.#handlers.push({
      def: def as JobDefinition<unknown>,
      handleBatch: handler as BatchHandler<unknown>,
    });
  }

  /**
   * Declares a recurring run of `def` with `data`; it is registered with pg-boss by `start`. pg-boss keeps one
   * schedule per queue name, so declaring it again (a later start with another cron) replaces it, and with
   * several app processes the run still happens once.
   */
  schedule<T>(def: JobDefinition<T>, schedule: JobSchedule, data: T): void {
    const payload = def.payload.parse(data);
    this.#schedules.push({ def: def as JobDefinition<unknown>, schedule, data: payload });
  }

  /**
   * Declares a check every working process runs on its own timer, every `everySeconds`: for watching that must
   * react faster than a cron's minute and is safe to run in several processes at once (it claims what it acts on).
   * Nothing is queued; a failed run is logged (an outage once, by the connection watch) and the next runs as usual.
   */
  runEvery(name: string, everySeconds: number, check: () => Promise<unknown>): void {
    this.#repeats.push({ name, everySeconds, check });
  }

  /**
   * Starts pg-boss (creating its tables when needed), creates the queues, registers the schedules (in every
   * process, so a web-only process keeps them current too) and, when `work` is true, starts the workers.
   */
  async start({
    work,
    pollingIntervalSeconds = DEFAULT_POLLING_INTERVAL_SECONDS,
    retryDelaySeconds = 5,
  }: {
    work: boolean;
    pollingIntervalSeconds?: number;
    /** Seconds before a failed job's first retry, doubling for each next one (pg-boss's backoff). */
    retryDelaySeconds?: number;
  }) {
    await this.boss.start();
    this.#started = true;
    const queues = new Map([...this.#handlers, ...this.#schedules].map(({ def }) => [def.name, def]));
    // Every start but the first finds the queues as the definitions say; asking once spares two statements a queue.
    const existing = new Map((await this.boss.getQueues()).map((queue) => [queue.name, queue]));
    for (const def of queues.values()) {
      const retries = { retryLimit: def.retryLimit ?? 5, retryDelay: retryDelaySeconds, retryBackoff: true };
      const found = existing.get(def.name);
      if (found && isSettled(found, retries)) continue;
      if (!found) await this.boss.createQueue(def.name, { name: def.name, ...retries });
      // pg-boss leaves an existing queue's settings as they were: the definition is what a job gets from now on.
      else await this.boss.updateQueue(def.name, { name: def.name, ...retries });
    }
    // A schedule needs its queue to exist first (pg-boss refers to it by a foreign key).
    await this.#registerSchedules();
    if (!work) return;
    for (const repeat of this.#repeats) this.#startRepeat(repeat);
    // Listening before the workers start: a job committed during their first fetch is heard, not left to a poll.
    this.#unlisten = await this.database.listen(WAKE_CHANNEL, {
      heard: (queue) => this.#wake(queue),
      resumed: () => {
        for (const queue of this.#workers.keys()) this.#wake(queue);
      },
    });
    for (const { def, handleBatch } of this.#handlers) {
      const batchSize = def.worker?.batchSize ?? 1;
      const settings = {
        pollingIntervalSeconds: def.worker?.pollingIntervalSeconds ?? pollingIntervalSeconds,
        batchSize,
        // For the retry counts and delays, from which `#wakeForRetries` knows when a failed job's retry is due.
        includeMetadata: true as const,
      };
      const workerId = await this.boss.work(def.name, settings, async (jobs) => {
        // A full batch says more may be waiting: the next fetch comes as soon as this batch is done, not after the
        // interval, and whether it succeeds or not (its failed jobs wait for their retries, not the ones behind them).
        if (jobs.length >= batchSize) this.#wake(def.name);
        try {
          await handleBatch(jobs.map((job) => def.payload.parse(job.data)));
        } catch (error) {
          this.#wakeForRetries(def.name, jobs);
          throw error;
        }
      });
      this.#workers.set(def.name, workerId);
    }
  }

  /** Has this process's worker of `queue`, if any, fetch now (pg-boss cuts its wait short). */
  #wake(queue: string): void {
    const workerId = this.#workers.get(queue);
    if (workerId) this.boss.notifyWorker(workerId);
  }

  /**
   * Wakes the worker when each failed job's retry is due at the latest (retry-wake.ts): pg-boss announces no retry,
   * and a retry should not wait for a poll on top of its delay.
   */
  #wakeForRetries(queue: string, jobs: readonly PgBoss.JobWithMetadata<unknown>[]): void {
    const dueWithinMs = new Set(jobs.map(retryWakeAfterMs).filter((ms) => ms !== undefined));
    for (const ms of dueWithinMs) {
      const wake = setTimeout(() => {
        this.#retryWakes.delete(wake);
        this.#wake(queue);
      }, ms);
      // A retry hours ahead must not keep a process that is done alive; a later process's poll finds it.
      wake.unref();
      this.#retryWakes.add(wake);
    }
  }

  /**
   * Registers the schedules again, reading their time zones afresh (after an administrator changes the
   * institution's). Before `start` there is nothing to do: `start` registers them.
   */
  async refreshSchedules(): Promise<void> {
    if (this.#started) await this.#registerSchedules();
  }

  async #registerSchedules(): Promise<void> {
    for (const { def, schedule, data } of this.#schedules) {
      const zone = typeof schedule.timeZone === 'function' ? await schedule.timeZone() : schedule.timeZone;
      await this.boss.schedule(def.name, schedule.cron, data as object, { tz: zone ?? 'UTC' });
    }
  }

  /** Enqueues a job; pass the open transaction so the job commits (or vanishes) with it. */
  async send<T>(
    def: JobDefinition<T>,
    data: T,
    trx?: Db,
    options: { singletonKey?: string } = {},
  ): Promise<void> {
    const payload = def.payload.parse(data);
    // Never pg-boss's own executor, which waits out an outage: a request must fail at once (a 503) instead.
    const executor = executorFor(trx ?? this.database.db);
    await this.boss.send(def.name, payload as object, {
      db: executor,
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    await announce(executor, def.name);
  }

  /**
   * Enqueues many jobs of one kind in one statement (mail for a whole tracking-list chunk, say), in the
   * caller's transaction as `send` does. The queue's retry policy applies to each.
   */
  async sendMany<T>(def: JobDefinition<T>, items: readonly T[], trx: Db): Promise<void> {
    if (items.length === 0) return;
    const jobs = items.map((data) => ({ name: def.name, data: def.payload.parse(data) as object }));
    const executor = executorFor(trx);
    await this.boss.insert(jobs, { db: executor });
    await announce(executor, def.name);
  }

  /**
   * Runs a job's handler here and now, with the payload checked as a worker would: for an operator's command
   * that should not wait for the next scheduled run, and for tests, which never wait on a cron.
   */
  async run<T>(def: JobDefinition<T>, data: T): Promise<void> {
    const found = this.#handlers.find((h) => h.def.name === def.name);
    if (!found) throw new Error(`No handler is registered for the job "${def.name}"`);
    await found.handleBatch([found.def.payload.parse(data)]);
  }

  /** The recurring runs pg-boss holds, as registered by `start`. */
  async schedules(): Promise<{ name: string; cron: string; timeZone: string; data: unknown }[]> {
    // pg-boss's types leave out the stored time zone column.
    const rows = (await this.boss.getSchedules()) as (PgBoss.Schedule & { timezone: string })[];
    return rows.map((row) => ({ name: row.name, cron: row.cron, timeZone: row.timezone, data: row.data }));
  }

  #startRepeat({ name, everySeconds, check }: Repeat): void {
    let isRunning = false;
    const timer = setInterval(() => {
      if (isRunning) return;
      isRunning = true;
      const startedAt = ConnectionWatch.now();
      check()
        .catch((error: unknown) => {
          if (!this.database.connection.noteFailure(error, startedAt))
            this.logger.error({ err: error, check: name }, 'check failed');
        })
        .finally(() => {
          isRunning = false;
        });
    }, everySeconds * 1000);
    this.#timers.push(timer);
  }

  /** Stops fetching new work and lets running jobs finish (graceful shutdown). */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    for (const wake of this.#retryWakes) clearTimeout(wake);
    this.#retryWakes.clear();
    await this.#unlisten?.();
    this.#unlisten = undefined;
    this.#workers.clear();
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: true });
    this.logger.debug('job queue stopped');
  }
}

/**
 * Names `queue` on WAKE_CHANNEL through the executor that sent its job, so the notification is delivered when that
 * commits (at once, outside a transaction) and never if it rolls back. Sending it twice in one transaction is harmless:
 * PostgreSQL folds identical notifications of a transaction into one.
 */
function announce(executor: SqlExecutor, queue: string): Promise<unknown> {
  return executor.executeSql('select pg_notify($1, $2)', [WAKE_CHANNEL, queue]);
}

/** Whether a queue pg-boss holds already has the policy and retries `start` would give it. */
function isSettled(
  queue: PgBoss.QueueResult,
  retries: { retryLimit: number; retryDelay: number; retryBackoff: boolean },
): boolean {
  return (
    queue.policy === 'standard' &&
    queue.retryLimit === retries.retryLimit &&
    queue.retryDelay === retries.retryDelay &&
    queue.retryBackoff === retries.retryBackoff
  );
}
