import { isConnectionFailure } from './connection-failure.ts';

/** A moment the database stopped answering, or answered again after an outage. */
export type ConnectionChange = { kind: 'lost'; error: unknown } | { kind: 'regained'; downForMs: number };

/** A point on this process's monotonic clock, as `ConnectionWatch.now()` gives it. */
export type WatchTime = number;

/**
 * Whether this process can reach its database, as the drivers last said. An outage makes every pooled connection,
 * every job poll and every waiting statement fail at once, often many times a second; the watch turns all of that
 * into two moments, lost and regained, so the log says each once per outage instead of once per query.
 *
 * News can arrive late. A statement the server answered just before the cut may resolve just after another
 * connection's failure was noted, and a connection attempt begun during an outage may time out after the database
 * is back. So a caller that knows when its attempt began says so, and an answer (or a failure) counts only when the
 * attempt began after the last change: otherwise one outage would be logged as lost, regained, lost again.
 */
export class ConnectionWatch {
  #lostAt: WatchTime | undefined;
  #regainedAt: WatchTime = Number.NEGATIVE_INFINITY;
  readonly #listeners: ((change: ConnectionChange) => void)[] = [];

  /** The time to pass back as `startedAt` for an attempt beginning now. */
  static now(): WatchTime {
    return performance.now();
  }

  /** Subscribes to the moments the database is lost and regained. */
  onChange(listener: (change: ConnectionChange) => void): void {
    this.#listeners.push(listener);
  }

  /** True between a connection failure and the next connection the server accepts. */
  get isDown(): boolean {
    return this.#lostAt !== undefined;
  }

  /**
   * Notes an error a driver raised, for an attempt begun at `startedAt` (left out for an event with no attempt
   * behind it, such as an idle connection closing). Returns whether it was a connection failure; anything else
   * (a failing statement, a bug) is the caller's to report.
   */
  noteFailure(error: unknown, startedAt?: WatchTime): boolean {
    if (!isConnectionFailure(error)) return false;
    if (this.#lostAt !== undefined) return true;
    if (startedAt !== undefined && startedAt <= this.#regainedAt) return true;
    this.#lostAt = ConnectionWatch.now();
    this.#tell({ kind: 'lost', error });
    return true;
  }

  /** Notes that the server accepted a connection or answered a statement begun at `startedAt`. */
  noteSuccess(startedAt: WatchTime): void {
    if (this.#lostAt === undefined || startedAt <= this.#lostAt) return;
    const now = ConnectionWatch.now();
    const downForMs = Math.round(now - this.#lostAt);
    this.#lostAt = undefined;
    this.#regainedAt = now;
    this.#tell({ kind: 'regained', downForMs });
  }

  #tell(change: ConnectionChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
