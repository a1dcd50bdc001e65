import { startTestApp, type TestApp } from './test-app.ts';
import { fetcherTrusting, makeTestAuthority, startHttpsServer } from './tls-authority.ts';

/** One document the issuer serves: a JSON body and its HTTP status (200 unless said). */
export interface Served {
  body: unknown;
  status?: number;
}

/**
 * Another issuer's site on this machine: a real HTTPS server whose certificate comes from a CA of its own, serving
 * whatever documents the test puts at each path. `fetcher` is a real HTTPS client that trusts only that CA, in the
 * shape the app's fetcher takes.
 */
export async function startHttpsIssuer() {
  const authority = makeTestAuthority();
  const documents = new Map<string, Served>();
  const server = await startHttpsServer(authority, (req, res) => {
    const served = documents.get(req.url ?? '/');
    res.writeHead(served ? (served.status ?? 200) : 404, { 'content-type': 'application/ld+json' });
    res.end(served ? JSON.stringify(served.body) : '{}');
  });
  const origin = `https://127.0.0.1:${server.port}`;
  return {
    origin,
    fetcher: fetcherTrusting(authority.ca),
    /** The paths asked for, in order. */
    requested: server.requests,
    /** Serves `body` at `path` (which starts with `/`); returns the full address. */
    serve(path: string, body: unknown, status?: number): string {
      documents.set(path, { body, status });
      return `${origin}${path}`;
    },
    close: server.close,
  };
}

export type HttpsIssuer = Awaited<ReturnType<typeof startHttpsIssuer>>;

/**
 * An app whose verifier may fetch from the network, and the other issuer's site it fetches from (only that site's
 * CA is trusted). Close both: the app, then the site.
 */
export async function startAppWithIssuer(): Promise<{ site: HttpsIssuer; app: TestApp }> {
  const site = await startHttpsIssuer();
  const app = await startTestApp({
    runJobs: false,
    env: { STACKABLE_ALLOW_NETWORK: 'true' },
    fetcher: site.fetcher,
  });
  return { site, app };
}
