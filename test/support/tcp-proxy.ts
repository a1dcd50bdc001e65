import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy between the app and its database server, for fault tests. `cut()` is the network going away: every
 * open connection is reset at once and new ones are refused until `restore()`. Both ends see what they would see
 * when a server restarts or a link drops, with no change to the app.
 */
export interface TcpProxy {
  /** The port the app connects to instead of the server's. */
  readonly port: number;
  cut(): void;
  /**
   * Refuses new connections and leaves the open ones working, so a test can hold a statement in flight across the
   * moment another connection's failure is noted.
   */
  refuseNew(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port to `target` (host and port). */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isRefusing = false;
  const server = createServer((client) => {
    if (isRefusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    const forget = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    isRefusing = true;
    for (const socket of open) socket.resetAndDestroy();
    open.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    refuseNew() {
      isRefusing = true;
    },
    restore() {
      isRefusing = false;
    },
    close() {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A proxy in front of the PostgreSQL server that `databaseUrl` names, and the same URL through it (same database,
 * user and options), for a test that cuts the app off from its database while it keeps its own way in.
 */
export async function startDatabaseProxy(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const server = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const through = new URL(server);
  through.hostname = '127.0.0.1';
  through.port = String(proxy.port);
  return { proxy, url: through.toString() };
}
