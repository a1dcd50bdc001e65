import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { buildOpenBadgeCredential } from '../../src/credentials/build-credential.ts';
import { didWebFor } from '../../src/credentials/issuer-keys.ts';
import { sampleBadgeInput } from '../../src/credentials/test-fixtures.ts';
import { type HttpsIssuer, startAppWithIssuer } from '../support/https-issuer.ts';
import type { TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { verifyThroughApi } from '../support/verify-api.ts';

const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
const JWK_CONTEXT = 'https://w3id.org/security/jwk/v1';

/** A fresh key pair of another issuer's, made with jose (WebCrypto), never seen by Stackable before. */
async function keyPair(alg: 'ES256' | 'RS256') {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
}
type KeyPair = Awaited<ReturnType<typeof keyPair>>;

/** Signs a badge the way another issuer's software would: VC-JOSE-COSE, the payload is the credential itself. */
function jwtFor(
  credential: Record<string, unknown>,
  header: Record<string, unknown>,
  key: CryptoKey | Uint8Array,
) {
  const issuer = credential.issuer as { id: string };
  return new SignJWT({
    iss: issuer.id,
    jti: String(credential.id),
    nbf: Math.floor(Date.parse(String(credential.validFrom)) / 1000),
    ...credential,
  })
    .setProtectedHeader({ typ: 'vc+jwt', cty: 'vc', ...header } as Parameters<
      SignJWT['setProtectedHeader']
    >[0])
    .sign(key);
}

const badgeOf = (issuerId: string) =>
  buildOpenBadgeCredential(sampleBadgeInput(issuerId, { status: undefined })) as unknown as Record<
    string,
    unknown
  >;

/**
 * Issue 16: VC-JWTs of other issuers whose keys live on their own sites: an issuer id that is an https address
 * (OB 3.0 §8) or a did:web, keys fetched from a real HTTPS server (its own CA) through the app's guarded fetch, and
 * P-256 did:keys. Each forgery that tries to pass a key off as the issuer's must be refused with its reason.
 */
describe(`VC-JWTs of issuers who publish their keys over HTTPS, on ${testBackend}`, () => {
  let site: HttpsIssuer;
  let app: TestApp;
  let issuerId: string;
  const keys: Partial<Record<'ES256' | 'RS256', KeyPair>> = {};
  const keyUrl = (alg: string) => `${site.origin}/keys/${alg.toLowerCase()}`;

  before(async () => {
    ({ site, app } = await startAppWithIssuer());
    issuerId = `${site.origin}/issuers/harbour`;
    keys.ES256 = await keyPair('ES256');
    keys.RS256 = await keyPair('RS256');
    for (const pair of Object.values(keys)) {
      site.serve(`/keys/${pair.alg.toLowerCase()}`, {
        '@context': [DID_CONTEXT, JWK_CONTEXT],
        id: keyUrl(pair.alg),
        type: 'JsonWebKey',
        controller: issuerId,
        publicKeyJwk: pair.publicJwk,
      });
    }
    site.serve('/issuers/harbour', {
      '@context': [DID_CONTEXT],
      id: issuerId,
      assertionMethod: [keyUrl('ES256'), keyUrl('RS256')],
    });
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  const verify = (jwt: string) => verifyThroughApi(app, jwt);

  for (const alg of ['ES256', 'RS256'] as const) {
    test(`a ${alg} VC-JWT whose kid is a key at the issuer's https address verifies`, async () => {
      const pair = keys[alg]!;
      const { status, answer, proof } = await verify(
        await jwtFor(badgeOf(issuerId), { alg, kid: keyUrl(alg) }, pair.privateKey),
      );
      assert.equal(status, 200, proof.message);
      assert.equal(answer.verified, true);
      assert.match(proof.message, new RegExp(`${alg} signature of the VC-JWT is valid`));
      assert.equal(answer.issuerTrust.signer, issuerId, 'the signer is the issuer that lists the key');
      assert.equal(answer.trusted, false, 'nobody here knows this issuer');
      assert.ok(
        site.requested.includes('/issuers/harbour') && site.requested.includes(`/keys/${alg.toLowerCase()}`),
      );
    });
  }

  test('a did:web issuer on its own HTTPS site, with ES256 and RS256 keys in its DID document, verifies', async () => {
    const did = didWebFor(site.origin);
    site.serve('/.well-known/did.json', {
      '@context': [DID_CONTEXT, JWK_CONTEXT],
      id: did,
      verificationMethod: Object.values(keys).map((pair) => ({
        id: `${did}#${pair.alg.toLowerCase()}`,
        type: 'JsonWebKey',
        controller: did,
        publicKeyJwk: pair.publicJwk,
      })),
      assertionMethod: [`${did}#es256`, `${did}#rs256`],
    });
    for (const pair of Object.values(keys)) {
      const jwt = await jwtFor(
        badgeOf(did),
        { alg: pair.alg, kid: `${did}#${pair.alg.toLowerCase()}` },
        pair.privateKey,
      );
      const { status, answer, proof } = await verify(jwt);
      assert.equal(status, 200, proof.message);
      assert.equal(answer.issuerTrust.signer, did);
    }
  });

  test('an ES256 VC-JWT by a P-256 did:key verifies without fetching anything', async () => {
    const key = await EcdsaMultikey.generate({ curve: 'P-256' });
    const did = `did:key:${key.publicKeyMultibase}`;
    const privateJwk = await EcdsaMultikey.toJwk({ keyPair: key, secretKey: true });
    const signing = await crypto.subtle.importKey(
      'jwk',
      privateJwk as JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const count = site.requested.length;
    const jwt = await jwtFor(
      badgeOf(did),
      { alg: 'ES256', kid: `${did}#${key.publicKeyMultibase}` },
      signing,
    );
    const { status, answer, proof } = await verify(jwt);
    assert.equal(status, 200, proof.message);
    assert.equal(answer.issuerTrust.signer, did);
    assert.equal(site.requested.length, count);
  });

  test('a changed payload breaks the signature', async () => {
    const jwt = await jwtFor(
      badgeOf(issuerId),
      { alg: 'RS256', kid: keyUrl('RS256') },
      keys.RS256!.privateKey,
    );
    const [header, payload, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const changed = Buffer.from(JSON.stringify({ ...claims, name: 'Data Analysis Mastery' })).toString(
      'base64url',
    );
    const { status, answer, proof } = await verify([header, changed, signature].join('.'));
    assert.equal(status, 422);
    assert.equal(answer.verified, false);
    assert.match(proof.message, /changed after it was signed/);
    assert.ok(answer.errors.some((error) => error.check === 'proof'));
  });

  test('HS256 keyed with the fetched RSA public key is refused', async () => {
    const secret = createSecretKey(Buffer.from(JSON.stringify(keys.RS256!.publicJwk)));
    const jwt = await jwtFor(
      badgeOf(issuerId),
      { alg: 'HS256', kid: keyUrl('RS256') },
      secret as unknown as Uint8Array,
    );
    const { status, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.match(proof.message, /signed with HS256, which Stackable does not accept/);
  });

  test('an RS256 header naming the ES256 key is refused before the signature is checked', async () => {
    const genuine = await jwtFor(
      badgeOf(issuerId),
      { alg: 'ES256', kid: keyUrl('ES256') },
      keys.ES256!.privateKey,
    );
    const [, payload, signature] = genuine.split('.');
    const header = Buffer.from(
      JSON.stringify({ alg: 'RS256', typ: 'vc+jwt', cty: 'vc', kid: keyUrl('ES256') }),
    ).toString('base64url');
    const { status, proof } = await verify([header, payload, signature].join('.'));
    assert.equal(status, 422);
    assert.match(proof.message, /says it is signed with RS256, but the issuer's key .* is an ES256 key/);
  });

  test("a forger's key document that names the issuer as controller, but which the issuer does not list, is refused", async () => {
    const forger = await keyPair('ES256');
    site.serve('/keys/forged', {
      '@context': [DID_CONTEXT, JWK_CONTEXT],
      id: `${site.origin}/keys/forged`,
      type: 'JsonWebKey',
      controller: issuerId,
      publicKeyJwk: forger.publicJwk,
    });
    const jwt = await jwtFor(
      badgeOf(issuerId),
      { alg: 'ES256', kid: `${site.origin}/keys/forged` },
      forger.privateKey,
    );
    const { status, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.match(proof.message, /does not list .*keys\/forged for signing badges/);
    assert.ok(!site.requested.includes('/keys/forged'), 'a key the issuer does not list is never fetched');
  });

  test("a key the issuer lists but whose document names another controller is not the issuer's", async () => {
    const other = `${site.origin}/issuers/elsewhere`;
    const pair = await keyPair('ES256');
    site.serve('/keys/shared', {
      '@context': [DID_CONTEXT, JWK_CONTEXT],
      id: `${site.origin}/keys/shared`,
      type: 'JsonWebKey',
      controller: other,
      publicKeyJwk: pair.publicJwk,
    });
    site.serve('/issuers/claims-shared', {
      '@context': [DID_CONTEXT],
      id: `${site.origin}/issuers/claims-shared`,
      assertionMethod: [`${site.origin}/keys/shared`],
    });
    const jwt = await jwtFor(
      badgeOf(`${site.origin}/issuers/claims-shared`),
      { alg: 'ES256', kid: `${site.origin}/keys/shared` },
      pair.privateKey,
    );
    const { status, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.match(proof.message, /names .*issuers\/elsewhere as its controller/);
  });

  test('a jwk header alone is used only when the https issuer lists that very key', async () => {
    const forger = await keyPair('RS256');
    const stranger = await jwtFor(
      badgeOf(issuerId),
      { alg: 'RS256', jwk: forger.publicJwk as JWK },
      forger.privateKey,
    );
    const refused = await verify(stranger);
    assert.equal(refused.status, 422);
    assert.match(refused.proof.message, /does not publish that key/);
  });
});
