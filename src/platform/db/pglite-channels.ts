import type { PGlite } from '@electric-sql/pglite';

type Hear = (payload: string) => void;

/**
 * The NOTIFY channels one PGlite instance listens on, and who hears each. `runStatement` reads PostgreSQL's replies
 * itself (not through PGlite's reader), so it is what finds a notification in a reply and hands it here; PGlite's
 * own registry (`pglite.listen`) would never hear it. Only statements sent through `runStatement` are read for
 * notifications: the job queue's `pg_notify` and the commits after it are, the multi-statement scripts PGlite's
 * `exec` runs (migrations, pg-boss's upkeep) send none.
 */
export class PgliteChannels {
  readonly #listeners = new Map<string, Set<Hear>>();

  /** Adds a listener; true when it is the channel's first (so LISTEN must be sent). */
  add(channel: string, hear: Hear): boolean {
    const listeners = this.#listeners.get(channel);
    if (listeners) {
      listeners.add(hear);
      return false;
    }
    this.#listeners.set(channel, new Set([hear]));
    return true;
  }

  /** Removes a listener; true when it was the channel's last (so UNLISTEN may be sent). */
  remove(channel: string, hear: Hear): boolean {
    const listeners = this.#listeners.get(channel);
    if (!listeners?.delete(hear) || listeners.size > 0) return false;
    this.#listeners.delete(channel);
    return true;
  }

  /** Forgets every listener (the session's LISTENs were ended with UNLISTEN *). */
  clear(): void {
    this.#listeners.clear();
  }

  /** Hands a notification to the channel's listeners, after the statement that brought it has returned. */
  deliver(channel: string, payload: string): void {
    for (const hear of this.#listeners.get(channel) ?? []) queueMicrotask(() => hear(payload));
  }
}

const channels = new WeakMap<PGlite, PgliteChannels>();

/** The channels of one PGlite instance (made on first use). */
export function channelsOf(pglite: PGlite): PgliteChannels {
  let found = channels.get(pglite);
  if (!found) {
    found = new PgliteChannels();
    channels.set(pglite, found);
  }
  return found;
}
