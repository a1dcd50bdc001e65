import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { type Database, type Db, executorFor } from '../db/database.ts';
import type { Logger } from '../logger.ts';

/** A kind of background work: its queue name, the shape of its payload, and how often to retry. */
export interface JobDefinition<T> {
  readonly name: string;
  readonly payload: z.ZodType<T>;
  readonly retryLimit?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

/**
 * Background work on pg-boss, in the same database as everything else. Sending with a transaction puts the job
 * in that transaction: if it rolls back, the job never existed.
 */
export class JobQueue {
  readonly #handlers: { def: JobDefinition<unknown>; handler: JobHandler<unknown> }[] = [];
  #started = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
  ) {}

  static create(
    database: Database,
    logger: Logger,
    options: { pollingIntervalSeconds?: number } = {},
  ): JobQueue {
    const boss = new PgBoss({
      ...(database.jobExecutor
        ? { db: database.jobExecutor }
        : { connectionString: database.connectionString, max: 4 }),
      schema: 'pgboss',
      // Keep pg-boss's background maintenance light; PGlite has one connection to share.
      maintenanceIntervalSeconds: 120,
      ...options,
    });
    boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
    return new JobQueue(boss, logger);
  }

  /** Declares a handler; workers start with `start({ work: true })`. */
  handle<T>(def: JobDefinition<T>, handler: JobHandler<T>): void {
    this.#handlers.push({ def: def as JobDefinition<unknown>, handler: handler as JobHandler<unknown> });
  }

  /** Starts pg-boss (creating its tables when needed) and, when `work` is true, the workers. */
  async start({ work, pollingIntervalSeconds = 1 }: { work: boolean; pollingIntervalSeconds?: number }) {
    await this.boss.start();
    this.#started = true;
    for (const { def, handler } of this.#handlers) {
      await this.boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: 5,
        retryBackoff: true,
      });
      if (!work) continue;
      await this.boss.work(def.name, { pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) {
          const data = def.payload.parse(job.data);
          await handler(data);
        }
      });
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
    await this.boss.send(def.name, payload as object, {
      ...(trx ? { db: executorFor(trx) } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
  }

  /** Stops fetching new work and lets running jobs finish (graceful shutdown). */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: true });
    this.logger.debug('job queue stopped');
  }
}
