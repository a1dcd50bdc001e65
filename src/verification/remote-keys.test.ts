import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTestAuthority, startHttpsServer } from '../../test/support/tls-authority.ts';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { didDocumentFor, didWebFor, generateIssuerKeyPair } from '../credentials/issuer-keys.ts';
import { signCredential } from '../credentials/sign-credential.ts';
import { sampleBadgeInput } from '../credentials/test-fixtures.ts';
import { createGuardedFetcher } from './guarded-fetch.ts';
import { RemoteDocuments } from './remote-documents.ts';
import type { VerifierDeps } from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

/**
 * Another issuer's keys, published on its own HTTPS site (a local server with a CA made for this test): a did:web
 * document, and OB 3.0 §8's https verification methods.
 */
describe("other issuers' keys fetched over HTTPS", () => {
  const authority = makeTestAuthority();
  /** Path to the JSON document served there; tests publish keys into it. */
  const published = new Map<string, object>();
  let site: Awaited<ReturnType<typeof startHttpsServer>>;
  let origin: string;

  before(async () => {
    site = await startHttpsServer(authority, (request, response) => {
      const document = published.get(request.url ?? '');
      if (!document) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/did+json', 'cache-control': 'max-age=300' });
      response.end(JSON.stringify(document));
    });
    origin = `https://localhost:${site.port}`;
  });
  after(() => site.close());

  async function keyAt(did: string): Promise<SigningKey> {
    return { did, keyId: 'key-1', ...(await generateIssuerKeyPair()) };
  }

  /** The verifier's deps with the network allowed, the test CA trusted and only this site allow-listed. */
  function depsFor(signer: string, remote = remoteDocuments()): VerifierDeps {
    return {
      now: NOW,
      ourIssuerDids: [],
      knownIssuer: (did) => (did === signer ? { name: 'Elsewhere College', source: 'this test' } : null),
      resolveDid: async (did) => {
        const fetched = await remote.didWeb(did);
        return fetched.ok ? fetched.document : null;
      },
      fetchKeyDocument: async (url) => {
        const fetched = await remote.fetch(url);
        return fetched.ok ? fetched.document : null;
      },
      fetchStatusList: async () => null,
    };
  }

  const remoteDocuments = () =>
    new RemoteDocuments(createGuardedFetcher({ ca: authority.ca, allowedHosts: [`localhost:${site.port}`] }));

  const badgeBy = async (key: SigningKey) =>
    signCredential(buildOpenBadgeCredential(sampleBadgeInput(key.did, { status: undefined })), key);

  const proofOf = (result: Awaited<ReturnType<typeof verifyPresentedBadge>>) =>
    result.checks.find((check) => check.id === 'proof');

  test("a badge signed with a key in another issuer's did:web document verifies", async () => {
    const key = await keyAt(didWebFor(origin));
    published.set('/.well-known/did.json', didDocumentFor(key.did, [key]));
    const result = await verifyPresentedBadge(
      { kind: 'object', value: await badgeBy(key) },
      depsFor(key.did),
    );
    assert.equal(proofOf(result)?.status, 'passed', proofOf(result)?.message);
    assert.equal(result.verified, true);
    assert.equal(result.issuerTrust.signer, key.did);
  });

  test('a badge signed with a key published at an https address verifies, signed by its controller', async () => {
    const key = await keyAt(`${origin}/issuers/1`);
    published.set('/issuers/1', didDocumentFor(key.did, [key]));
    const result = await verifyPresentedBadge(
      { kind: 'object', value: await badgeBy(key) },
      depsFor(key.did),
    );
    assert.equal(proofOf(result)?.status, 'passed', proofOf(result)?.message);
    assert.equal(result.issuerTrust.signer, key.did);
    assert.equal(result.verified, true);
  });

  test('a badge whose https key document lists another key fails', async () => {
    const key = await keyAt(`${origin}/issuers/2`);
    const other = await keyAt(key.did);
    published.set('/issuers/2', didDocumentFor(key.did, [other]));
    const result = await verifyPresentedBadge(
      { kind: 'object', value: await badgeBy(key) },
      depsFor(key.did),
    );
    assert.equal(proofOf(result)?.status, 'failed');
    assert.match(proofOf(result)?.message ?? '', /signature does not match/);
    assert.equal(result.verified, false);
  });

  test('a key document that calls itself by another address is not taken for the key', async () => {
    const key = await keyAt(`${origin}/issuers/3`);
    published.set('/issuers/3', didDocumentFor(`${origin}/issuers/elsewhere`, [key]));
    const result = await verifyPresentedBadge(
      { kind: 'object', value: await badgeBy(key) },
      depsFor(key.did),
    );
    assert.equal(proofOf(result)?.status, 'failed');
    assert.match(proofOf(result)?.message ?? '', /calls itself/);
  });

  test('a cached key document is reused within its max-age', async () => {
    const key = await keyAt(`${origin}/issuers/4`);
    published.set('/issuers/4', didDocumentFor(key.did, [key]));
    const remote = remoteDocuments();
    const badge = await badgeBy(key);
    const before = site.requests.filter((path) => path === '/issuers/4').length;
    for (let round = 0; round < 3; round += 1) {
      const result = await verifyPresentedBadge({ kind: 'object', value: badge }, depsFor(key.did, remote));
      assert.equal(proofOf(result)?.status, 'passed', proofOf(result)?.message);
    }
    assert.equal(site.requests.filter((path) => path === '/issuers/4').length - before, 1);
  });

  test('without the network, an https key is not found and nothing is fetched', async () => {
    const key = await keyAt(`${origin}/issuers/5`);
    published.set('/issuers/5', didDocumentFor(key.did, [key]));
    const count = site.requests.length;
    const offline = { ...depsFor(key.did), fetchKeyDocument: undefined };
    const result = await verifyPresentedBadge({ kind: 'object', value: await badgeBy(key) }, offline);
    assert.equal(proofOf(result)?.status, 'failed');
    assert.match(proofOf(result)?.message ?? '', /public key could not be found/);
    assert.equal(site.requests.length, count);
  });
});
