import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenBadgeCredential } from '../../src/credentials/build-credential.ts';
import type { SigningKey } from '../../src/credentials/credential-types.ts';
import { didDocumentFor, didWebFor, generateIssuerKeyPair } from '../../src/credentials/issuer-keys.ts';
import { signCredential } from '../../src/credentials/sign-credential.ts';
import { sampleBadgeInput } from '../../src/credentials/test-fixtures.ts';
import { createGuardedFetcher } from '../../src/verification/guarded-fetch.ts';
import { RemoteDocuments } from '../../src/verification/remote-documents.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { makeTestAuthority, startHttpsServer } from '../support/tls-authority.ts';

/**
 * Issue 16: with the network allowed, a badge names the addresses the verifier fetches (its did:web, its https key,
 * its status list). The app's own fetch (no test fetcher, no allow-list) must never reach the university's network
 * on a stranger's say-so: loopback and private addresses are refused, by name after DNS or as IP literals in any
 * form, and on redirects too.
 */
describe(`the verifier refuses to fetch from private addresses on ${testBackend}`, () => {
  const authority = makeTestAuthority();
  let app: TestApp;
  let site: Awaited<ReturnType<typeof startHttpsServer>>;
  const keys = new Map<string, object>();

  before(async () => {
    site = await startHttpsServer(authority, (request, response) => {
      if (request.url === '/hop') {
        response.writeHead(302, { location: `https://127.0.0.1:${site.port}/issuers/a` });
        return response.end();
      }
      const document = keys.get(request.url ?? '');
      if (!document) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(document));
    });
    // The real guarded fetch, as in production: STACKABLE_ALLOW_NETWORK on, no allow-list, no test fetcher.
    app = await startTestApp({ runJobs: false, env: { STACKABLE_ALLOW_NETWORK: 'true' } });
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  async function badgeSignedAt(did: string, path: string) {
    const key: SigningKey = { did, keyId: 'key-1', ...(await generateIssuerKeyPair()) };
    keys.set(path, didDocumentFor(did, [key]));
    return signCredential(buildOpenBadgeCredential(sampleBadgeInput(did, { status: undefined })), key);
  }

  async function verifyProof(badge: unknown) {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: badge },
    });
    const answer = response.json() as { verified: boolean; details: { id: string; status: string }[] };
    return {
      status: response.statusCode,
      proof: answer.details.find((check) => check.id === 'proof')?.status,
    };
  }

  const cases: Array<[string, (port: number) => { did: string; path: string }]> = [
    [
      'a did:web on a loopback IP',
      (port) => ({ did: didWebFor(`https://127.0.0.1:${port}`), path: '/.well-known/did.json' }),
    ],
    [
      'a did:web on a name that resolves to loopback',
      (port) => ({ did: didWebFor(`https://localhost:${port}`), path: '/.well-known/did.json' }),
    ],
    [
      'an https key on a loopback IP',
      (port) => ({ did: `https://127.0.0.1:${port}/issuers/a`, path: '/issuers/a' }),
    ],
    [
      'an https key on an IPv4-mapped loopback',
      (port) => ({ did: `https://[::ffff:127.0.0.1]:${port}/issuers/b`, path: '/issuers/b' }),
    ],
    [
      'an https key on a name that resolves to loopback',
      (port) => ({ did: `https://localhost:${port}/issuers/c`, path: '/issuers/c' }),
    ],
  ];
  for (const [name, place] of cases) {
    test(`${name} is never fetched`, async () => {
      const { did, path } = place(site.port);
      const badge = await badgeSignedAt(did, path);
      const before = site.connections();
      const result = await verifyProof(badge);
      assert.equal(result.status, 422);
      assert.equal(result.proof, 'failed');
      assert.equal(site.connections(), before, 'nothing even connected to the private server');
    });
  }

  test('an allow-listed host redirecting to a loopback address that is not allow-listed is not followed', async () => {
    const remote = new RemoteDocuments(
      createGuardedFetcher({ ca: authority.ca, allowedHosts: [`localhost:${site.port}`] }),
    );
    const before = site.connections();
    const fetched = await remote.fetch(`https://localhost:${site.port}/hop`);
    assert.equal(fetched.ok, false);
    assert.equal(site.connections(), before + 1, 'only the allow-listed first hop connected');
    assert.match(
      fetched.ok ? '' : fetched.problem,
      /127\.0\.0\.1.*a loopback address, which is never fetched/,
    );
    assert.equal(site.requests.at(-1), '/hop', 'the redirect target was never asked');
  });
});
