import pg from 'pg';
import { ConnectionWatch, type WatchTime } from './connection-watch.ts';
import type { ChannelListener } from './database-types.ts';
import { pauseBeforeRetryMs } from './patient-executor.ts';

/** Where and how a `PostgresListener` connects. */
export interface ListenerTarget {
  readonly url: string;
  readonly connectTimeoutMs: number;
  readonly watch: ConnectionWatch;
}

/**
 * One channel heard on PostgreSQL over a connection of its own. LISTEN belongs to a session, so a pooled connection,
 * handed to someone else between statements, cannot hold it. The connection outlives outages: when it fails (or any
 * other connection of the process notes an outage: a link that died silently would otherwise leave it deaf until
 * TCP gives up, minutes later) it is noted on the connection watch and opened again with growing pauses, and once
 * it listens again the listener is told it `resumed`, since whatever was announced meanwhile went unheard. It never
 * keeps the process alive and never raises an error nobody hears.
 */
export class PostgresListener {
  #client: pg.Client | undefined;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #isStopped = false;

  private constructor(
    private readonly target: ListenerTarget,
    private readonly channel: string,
    private readonly listener: ChannelListener,
  ) {}

  /** Listens on `channel`; resolves once it does, or once the first try failed and the next is planned. */
  static async start(
    target: ListenerTarget,
    channel: string,
    listener: ChannelListener,
  ): Promise<PostgresListener> {
    const started = new PostgresListener(target, channel, listener);
    target.watch.onChange((change) => {
      if (change.kind === 'lost' && started.#client) started.#lose(started.#client);
    });
    await started.#connect(false);
    return started;
  }

  /** Stops listening and ends the connection; nothing is heard or retried after it. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(isResuming: boolean): Promise<void> {
    const startedAt = ConnectionWatch.now();
    const client = new pg.Client({
      connectionString: this.target.url,
      connectionTimeoutMillis: this.target.connectTimeoutMs,
      // An idle connection whose server vanished is otherwise never found out.
      keepAlive: true,
    });
    // A connection that only listens must not hold a finished process open (pg has `unref`; its types leave it out).
    (client as pg.Client & { unref(): void }).unref();
    this.#client = client;
    // Attached before connecting and never removed: a late error from a connection given up on is heard here too.
    client.on('error', (error) => this.#lose(client, error, startedAt));
    client.on('end', () => this.#lose(client));
    client.on('notification', ({ channel, payload }) => {
      if (channel === this.channel && payload !== undefined && client === this.#client)
        this.listener.heard(payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      this.#lose(client, error, startedAt);
      return;
    }
    if (client !== this.#client) return;
    this.target.watch.noteSuccess(startedAt);
    this.#failures = 0;
    if (isResuming) this.listener.resumed();
  }

  /** Gives up `client` if it is still the current one, notes why, and plans the next connection. */
  #lose(client: pg.Client, error?: unknown, startedAt?: WatchTime): void {
    if (this.#isStopped || client !== this.#client) return;
    this.#client = undefined;
    // An error on a connection begun before the last change is news of an outage already told (connection-watch.ts).
    if (error !== undefined) this.target.watch.noteFailure(error, startedAt);
    client.end().catch(() => undefined);
    this.#retry = setTimeout(() => void this.#connect(true), pauseBeforeRetryMs(this.#failures++));
    // Unreferenced: a listener waiting to connect again must not keep a process that is done alive.
    this.#retry.unref();
  }
}
