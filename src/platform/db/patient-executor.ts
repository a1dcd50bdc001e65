import type pg from 'pg';
import { ConnectionWatch } from './connection-watch.ts';
import type { SqlExecutor } from './database-types.ts';

/** The longest pause between two tries of a statement while the database is away. */
const MAX_PAUSE_MS = 2_000;

/**
 * The pause before try `attempt + 1` while the database is away: a quarter second, doubling up to two. Short enough
 * to notice the server's return within a couple of seconds, long enough not to hammer a server that is starting.
 */
export function pauseBeforeRetryMs(attempt: number): number {
  return Math.min(MAX_PAUSE_MS, 250 * 2 ** attempt);
}

/** An executor that waits out an outage; `close` abandons the statements still waiting. */
export interface PatientExecutor extends SqlExecutor {
  close(): void;
}

/**
 * pg-boss's SQL on PostgreSQL, over a pool of its own. pg-boss records a job's outcome without awaiting it (its
 * worker calls `complete` or `fail` and moves on), so a statement refused because the database is away would be an
 * unhandled rejection, and Node ends the process on those. This executor waits for the database instead: a
 * connection failure is tried again with growing pauses (a quarter second up to two) until the server answers;
 * any other error is thrown as usual. Trying again is safe for what pg-boss sends: its state changes name the
 * state they leave (`where state = 'active'`), so one that did land before the connection broke changes nothing
 * the second time. The job poll stops while the database is away, and resumes on its own when it returns.
 */
export function patientExecutor(pool: pg.Pool, watch: ConnectionWatch): PatientExecutor {
  let isClosed = false;
  // A statement still waiting at shutdown is dropped: it never settles, so nothing can reject unheard, and the
  // job it would have recorded is run again by pg-boss after its expiry.
  const abandoned = () => new Promise<never>(() => undefined);
  return {
    async executeSql(text, values) {
      for (let attempt = 0; ; attempt++) {
        if (isClosed) return abandoned();
        const startedAt = ConnectionWatch.now();
        try {
          const result = await pool.query(text, values);
          watch.noteSuccess(startedAt);
          return result;
        } catch (error) {
          if (isClosed) return abandoned();
          if (!watch.noteFailure(error, startedAt)) throw error;
        }
        await new Promise((resolve) =>
          // Unreferenced: a pause must not keep a process that is shutting down alive.
          setTimeout(resolve, pauseBeforeRetryMs(attempt)).unref(),
        );
      }
    },
    close() {
      isClosed = true;
    },
  };
}
