import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate authority made for this run only, and a leaf for 127.0.0.1 it signed (with openssl). */
function localCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'stackable-issuer-tls-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    openssl(
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Stackable test CA'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', path('ca.key'), '-out', path('ca.pem')],
    );
    openssl(
      ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', path('leaf.key'), '-out', path('leaf.csr')],
    );
    writeFileSync(path('leaf.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    openssl(
      ...['x509', '-req', '-in', path('leaf.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key')],
      ...['-CAcreateserial', '-days', '1', '-extfile', path('leaf.ext'), '-out', path('leaf.pem')],
    );
    return {
      ca: readFileSync(path('ca.pem')),
      key: readFileSync(path('leaf.key')),
      cert: readFileSync(path('leaf.pem')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  const tls = localCertificates();
  const documents = new Map<string, Served>();
  const requested: string[] = [];
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = req.url ?? '/';
    requested.push(path);
    const served = documents.get(path);
    res.writeHead(served ? (served.status ?? 200) : 404, { 'content-type': 'application/ld+json' });
    res.end(served ? JSON.stringify(served.body) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetcher = (url: string, init: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = request(url, { ca: tls.ca, method: 'GET', signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        // The headers go along: the app's fetch reads the media type and caching headers from them.
        const headers = Object.entries(res.headers).flatMap(([name, value]) =>
          typeof value === 'string' ? [[name, value] as [string, string]] : [],
        );
        res.on('end', () =>
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers })),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return {
    origin,
    fetcher,
    requested,
    /** Serves `body` at `path` (which starts with `/`); returns the full address. */
    serve(path: string, body: unknown, status?: number): string {
      documents.set(path, { body, status });
      return `${origin}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type HttpsIssuer = Awaited<ReturnType<typeof startHttpsIssuer>>;
