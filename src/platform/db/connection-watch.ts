import { isConnectionFailure } from './connection-failure.ts';

/** A moment the database stopped answering, or answered again after an outage. */
export type ConnectionChange = { kind: 'lost'; error: unknown } | { kind: 'regained'; downForMs: number };

/**
 * Whether this process can reach its database, as the drivers last said. An outage makes every pooled connection,
 * every job poll and every waiting statement fail at once, often many times a second; the watch turns all of that
 * into two moments, lost and regained, so the log says each once per outage instead of once per query.
 */
export class ConnectionWatch {
  #lostAt: number | undefined;
  readonly #listeners: ((change: ConnectionChange) => void)[] = [];

  /** Subscribes to the moments the database is lost and regained. */
  onChange(listener: (change: ConnectionChange) => void): void {
    this.#listeners.push(listener);
  }

  /** True between a connection failure and the next connection the server accepts. */
  get isDown(): boolean {
    return this.#lostAt !== undefined;
  }

  /**
   * Notes an error a driver raised. Returns whether it was a connection failure; anything else (a failing
   * statement, a bug) is the caller's to report.
   */
  noteFailure(error: unknown): boolean {
    if (!isConnectionFailure(error)) return false;
    if (this.#lostAt !== undefined) return true;
    this.#lostAt = Date.now();
    this.#tell({ kind: 'lost', error });
    return true;
  }

  /** Notes that the server accepted a connection or answered a statement. */
  noteSuccess(): void {
    if (this.#lostAt === undefined) return;
    const downForMs = Date.now() - this.#lostAt;
    this.#lostAt = undefined;
    this.#tell({ kind: 'regained', downForMs });
  }

  #tell(change: ConnectionChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
