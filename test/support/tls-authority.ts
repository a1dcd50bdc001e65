import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The one place tests make TLS certificates: a CA of their own, so the client under test trusts that CA alone
// (no self-signed leaf, no switched-off verification), and real HTTPS servers on 127.0.0.1.

/** A certificate authority made for one test run, and a server certificate it signed for localhost/127.0.0.1. */
export interface TestAuthority {
  /** The CA certificate (PEM): trust it, and only it, in the client under test. */
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
}

/** Makes a CA and a leaf certificate with openssl (P-256 keys, valid one day); nothing is kept on disk. */
export function makeTestAuthority(): TestAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'stackable-test-ca-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(
      'req',
      '-x509',
      ...ecKey,
      '-days',
      '1',
      '-subj',
      '/CN=Stackable test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    );
    openssl('req', ...ecKey, '-subj', '/CN=localhost', '-keyout', file('leaf.key'), '-out', file('leaf.csr'));
    writeFileSync(
      file('leaf.ext'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file('leaf.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('leaf.ext'),
      '-out',
      file('leaf.pem'),
    );
    return {
      ca: readFileSync(file('ca.pem')),
      key: readFileSync(file('leaf.key')),
      cert: readFileSync(file('leaf.pem')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A local HTTPS server on 127.0.0.1 with the authority's certificate; `requests` lists the paths asked for and
 * `connections()` counts TCP connections, so a test can tell that a client never even connected.
 */
export async function startHttpsServer(
  authority: TestAuthority,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{
  server: Server;
  port: number;
  requests: string[];
  connections(): number;
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  let connections = 0;
  const server = createServer({ key: authority.key, cert: authority.cert }, (request, response) => {
    requests.push(request.url ?? '');
    handle(request, response);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A real HTTPS client that trusts only `ca`, in the shape the app's fetcher takes. The response headers go along
 * (every Set-Cookie too): the app's fetch reads the media type and caching headers from them. Redirects are not
 * followed; a method, headers and a text or form body are sent as given.
 */
export const fetcherTrusting =
  (ca: Buffer) =>
  (url: string, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const body = init.body === undefined || init.body === null ? undefined : String(init.body);
      const headers = Object.fromEntries(new Headers(init.headers));
      // A connection of its own per request (agent: false): a kept-alive socket that the server closes after its
      // idle timeout while the next request is already on its way comes back as ECONNRESET, which a slow moment
      // between two requests of one test turned into a failure that had nothing to do with the badge.
      const options = {
        ca,
        method: init.method ?? 'GET',
        headers,
        agent: false,
        signal: init.signal ?? undefined,
      };
      const req = request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        const answered = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
            answered.append(name, one);
          }
        }
        const status = res.statusCode ?? 500;
        const noBody = [204, 304].includes(status);
        res.on('end', () =>
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: answered })),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
