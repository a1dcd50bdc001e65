import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { type HttpsIssuer, startAppWithIssuer } from '../../test/support/https-issuer.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { verifyThroughApi } from '../../test/support/verify-api.ts';

// What the W3C VC-JOSE-COSE test suite (w3c/vc-jose-cose-test-suite, tests/test-mapping.js and tests/input/) asks of a
// verifier, re-made against POST /credentials/verify and POST /presentations/verify. The suite runs each
// implementation as a command line (`verify --input <file> --key <verification method> --feature credential_jose`)
// and reads "success" or "failure"; here "success" is 200 with verified true and "failure" is 422 with the reason,
// or 400 when there is nothing secured to verify. Its inputs are compact JWTs whose issuer is an https address
// (https://example.issuer/vc-jose-cose) and whose keys are JsonWebKey verification methods of that address; the
// same shapes are signed here with fresh keys for an issuer on a local HTTPS site, since the suite hands its key to
// the implementation while Stackable finds the issuer's key itself.

const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
const CID_CONTEXT = 'https://www.w3.org/ns/cid/v1';

type Alg = 'EdDSA' | 'ES256' | 'ES384';
type Json = Record<string, unknown>;
type PresentationAnswer = { verified: boolean; errors: { path: string; check: string; message: string }[] };

/** The suite's credential (credential-issuer-match): a string issuer, a matching iss, and iat written as a date. */
const suiteCredential = (issuer: string): Json => ({
  '@context': [VC_V2, EXAMPLES_V2],
  credentialSchema: { id: 'https://example.org/examples/degree.json', type: 'JsonSchema' },
  credentialSubject: {
    degree: { name: 'Bachelor of Science and Arts', type: 'BachelorDegree' },
    id: 'did:example:123',
  },
  iat: '2010-01-01T19:23:24Z',
  id: 'http://university.example/credentials/1872',
  iss: issuer,
  issuer,
  jti: 'http://university.example/credentials/1872',
  type: ['VerifiableCredential', 'ExampleAlumniCredential'],
  validFrom: '2010-01-01T19:23:24Z',
});

const sign = (payload: Json, header: Json, key: CryptoKey | JWK) =>
  new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key as CryptoKey);

describe(`VC-JOSE-COSE test suite expectations on the verifier, on ${testBackend}`, () => {
  let site: HttpsIssuer;
  let app: TestApp;
  let issuer: string;
  const keys = {} as Record<Alg, { privateKey: CryptoKey; publicJwk: JWK; kid: string }>;

  before(async () => {
    ({ site, app } = await startAppWithIssuer());
    issuer = `${site.origin}/vc-jose-cose`;
    // The suite's verification methods (tests/input/vm-*.json): JsonWebKeys named by a fragment of the issuer.
    const fragments: Record<Alg, string> = { EdDSA: 'key-1', ES256: 'key-2', ES384: 'key-3' };
    for (const alg of ['EdDSA', 'ES256', 'ES384'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      keys[alg] = {
        privateKey: pair.privateKey,
        publicJwk: await exportJWK(pair.publicKey),
        kid: `${issuer}#${fragments[alg]}`,
      };
    }
    const methods = Object.values(keys).map(({ kid, publicJwk }) => ({
      id: kid,
      type: 'JsonWebKey',
      controller: issuer,
      publicKeyJwk: publicJwk,
    }));
    site.serve('/vc-jose-cose', {
      '@context': [CID_CONTEXT],
      id: issuer,
      verificationMethod: methods,
      assertionMethod: methods.map((method) => method.id),
    });
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  /** A credential secured as the suite's fixtures are: header {alg, cty: vc, kid, typ: vc+jwt}. */
  const secured = (alg: Alg, payload: Json = suiteCredential(issuer), header: Json = {}) =>
    sign(payload, { alg, cty: 'vc', kid: keys[alg].kid, typ: 'vc+jwt', ...header }, keys[alg].privateKey);
  const verify = (credential: unknown) => verifyThroughApi(app, credential);

  for (const alg of ['EdDSA', 'ES256', 'ES384'] as const) {
    test(`6, 8. a credential secured with ${alg} as the suite secures it answers 200 verified`, async () => {
      const { status, answer, proof } = await verify(await secured(alg));
      assert.equal(status, 200, proof.message);
      assert.equal(answer.verified, true);
      assert.match(proof.message, new RegExp(`${alg} signature of the VC-JWT is valid`));
      assert.equal(answer.issuerTrust.signer, issuer);
    });
  }

  test('24, 25. an iss that is not the issuer (string or object id) fails; an object issuer with its id as iss verifies', async () => {
    const other = await verify(
      await secured('ES256', { ...suiteCredential(issuer), iss: `${issuer}/other` }),
    );
    assert.equal(other.status, 422);
    assert.match(other.proof.message, /iss claims disagree with the credential/);
    const objectIssuer = { ...suiteCredential(issuer), issuer: { id: issuer, name: 'Example Issuer' } };
    const matching = await verify(await secured('ES256', objectIssuer));
    assert.equal(matching.status, 200, matching.proof.message);
    const mismatched = await verify(
      await secured('ES256', { ...objectIssuer, issuer: { id: `${issuer}/other` } }),
    );
    assert.equal(mismatched.status, 422);
    assert.match(mismatched.proof.message, /iss claims disagree/);
  });

  test('12. a credential whose signature does not match answers 422, proof failed', async () => {
    const [header, payload] = (await secured('EdDSA')).split('.');
    const [, , otherSignature] = (
      await secured('EdDSA', { ...suiteCredential(issuer), validFrom: '2011-01-01T00:00:00Z' })
    ).split('.');
    const { status, answer, proof } = await verify([header, payload, otherSignature].join('.'));
    assert.equal(status, 422);
    assert.equal(answer.verified, false);
    assert.match(proof.message, /changed after it was signed/);
  });

  test('13. a credential typed bad+typ (cty bad+cty) answers 422, refused for its media type', async () => {
    const jwt = await secured('EdDSA', suiteCredential(issuer), { typ: 'bad+typ', cty: 'bad+cty' });
    const { status, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.match(proof.message, /typed "bad\+typ", not vc\+jwt/);
  });

  test('15. a credential carrying "vc" and "vp" claims answers 422, as VC-JOSE-COSE forbids them', async () => {
    const jwt = await secured('EdDSA', { ...suiteCredential(issuer), vc: 'oops', vp: 'nooo' });
    const { status, answer, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.equal(answer.verified, false);
    assert.match(proof.message, /carries "vc" and "vp" claims beside the credential/);
  });

  test('10. an unsecured credential answers 400 (nothing to verify); alg "none" answers 422, not signed', async () => {
    const { iat: _iat, iss: _iss, jti: _jti, ...credential } = suiteCredential(issuer);
    const unsecured = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: credential },
    });
    assert.equal(unsecured.statusCode, 400);
    assert.ok(
      (unsecured.json() as { errors: { field: string }[] }).errors.some(
        (error) => error.field === 'verifiableCredential.proof',
      ),
    );
    const part = (value: Json) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${part({ alg: 'none', typ: 'vc+jwt', cty: 'vc' })}.${part(suiteCredential(issuer))}.`;
    const { status, proof } = await verify(none);
    assert.equal(status, 422);
    assert.match(proof.message, /not signed/);
  });

  test('9. an ES512 (P-521) credential answers 422: the algorithm is not one Stackable takes', async () => {
    const pair = await generateKeyPair('ES512', { extractable: true });
    const jwt = await sign(
      suiteCredential(issuer),
      { alg: 'ES512', cty: 'vc', kid: `${issuer}#key-4`, typ: 'vc+jwt' },
      pair.privateKey,
    );
    const { status, proof } = await verify(jwt);
    assert.equal(status, 422);
    assert.match(proof.message, /signed with ES512, which Stackable does not accept/);
  });

  test("deviation: the suite fixtures' kid, a bare JWK thumbprint, is not looked up; 422 says the issuer does not list it", async () => {
    const thumbprint = await calculateJwkThumbprint(keys.EdDSA.publicJwk);
    const { status, proof } = await verify(
      await secured('EdDSA', suiteCredential(issuer), { kid: thumbprint }),
    );
    assert.equal(status, 422);
    assert.match(proof.message, new RegExp(`does not list ${thumbprint}`));
  });

  describe('presentations (VP-JWT, typ vp+jwt)', () => {
    let holder: { did: string; kid: string; privateJwk: JWK };

    before(async () => {
      // The suite's presentation tests sign with P-384 (vm-p384.json); a holder's key must sit in a DID document,
      // so the holder here is a P-384 did:key.
      const pair = await EcdsaMultikey.generate({ curve: 'P-384' });
      const did = `did:key:${pair.publicKeyMultibase}`;
      holder = {
        did,
        kid: `${did}#${pair.publicKeyMultibase}`,
        privateJwk: await EcdsaMultikey.toJwk({ keyPair: pair, secretKey: true }),
      };
    });

    const enveloped = (jwt: string) => ({
      '@context': VC_V2,
      id: `data:application/vc+jwt,${jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
    /** The suite's presentation (presentation-multiple): holder, iss, jti, iat, exp, and enveloped credentials. */
    const presentation = async (credentials: unknown[], claims: Json = {}, header: Json = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return sign(
        {
          '@context': [VC_V2, EXAMPLES_V2],
          exp: now + 86_400,
          holder: holder.did,
          iat: now,
          id: 'urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5',
          iss: holder.did,
          jti: 'urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5',
          type: 'VerifiablePresentation',
          verifiableCredential: credentials,
          ...claims,
        },
        { alg: 'ES384', cty: 'vp', kid: holder.kid, typ: 'vp+jwt', ...header },
        holder.privateJwk,
      );
    };
    const verifyPresentation = async (verifiablePresentation: unknown) => {
      const response = await app.http.inject({
        method: 'POST',
        url: '/presentations/verify',
        payload: { verifiablePresentation },
      });
      return { status: response.statusCode, answer: response.json() as PresentationAnswer };
    };

    test('7. a presentation of several enveloped VC-JWTs, signed ES384 by its holder, answers 200 verified', async () => {
      const credentials = [enveloped(await secured('EdDSA')), enveloped(await secured('ES384'))];
      const { status, answer } = await verifyPresentation(await presentation(credentials));
      assert.equal(status, 200, JSON.stringify(answer.errors));
      assert.equal(answer.verified, true);
    });

    test('14. a presentation typed bad+typ answers 422, its proof refused', async () => {
      const jwt = await presentation([enveloped(await secured('EdDSA'))], {}, { typ: 'bad+typ' });
      const { status, answer } = await verifyPresentation(jwt);
      assert.equal(status, 422);
      assert.ok(answer.errors.some((e) => e.check === 'proof' && /not vp\+jwt/.test(e.message)));
    });

    test('16. a presentation holding an envelope that is no credential, or an unsecured credential, is not verified', async () => {
      const notACredential = {
        '@context': VC_V2,
        id: 'not-a-credential',
        type: 'EnvelopedVerifiableCredential',
      };
      const envelope = await verifyPresentation(await presentation([notACredential]));
      assert.equal(envelope.status, 422);
      assert.ok(
        envelope.answer.errors.some((e) => e.path === 'verifiablePresentation.verifiableCredential[0]'),
        JSON.stringify(envelope.answer.errors),
      );
      const { iat: _iat, iss: _iss, jti: _jti, ...unsecured } = suiteCredential(issuer);
      const plain = await verifyPresentation(await presentation([unsecured]));
      assert.equal(plain.status, 422);
      assert.ok(
        plain.answer.errors.some((e) => e.path === 'verifiablePresentation.verifiableCredential[0]'),
        JSON.stringify(plain.answer.errors),
      );
    });

    test('a presentation carrying a "vc" claim beside itself answers 422, as VC-JOSE-COSE forbids it', async () => {
      const jwt = await presentation([enveloped(await secured('EdDSA'))], { vc: 'oops' });
      const { status, answer } = await verifyPresentation(jwt);
      assert.equal(status, 422);
      assert.ok(answer.errors.some((e) => e.check === 'proof' && /carries "vc"/.test(e.message)));
    });
  });
});
