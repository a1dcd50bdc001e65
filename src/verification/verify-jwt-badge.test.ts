import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { envelopeJwt, jwtClaimsFor, signCredentialJwt } from '../credentials/credential-jwt.ts';
import type { JwtSigningKey } from '../credentials/credential-types.ts';
import { didDocumentFor } from '../credentials/issuer-keys.ts';
import {
  newDidWebSigningKey,
  newJwtSigningKeys,
  sampleBadgeInput,
  withoutJwtClaims,
} from '../credentials/test-fixtures.ts';
import { validateOpenBadgeCredential } from '../credentials/validate-credential.ts';
import type { CheckId, VerificationResult, VerifierDeps } from './verification-types.ts';
import { verifyPresentedBadge } from './verify-presented-badge.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const key = await newDidWebSigningKey('https://northfield.example');
const keys = await newJwtSigningKeys(key);
// Another issuer's kind of key: Stackable verifies ES384 but never signs with it, so the test makes one with jose.
const es384 = await generateKeyPair('ES384', { extractable: true });
const es384Public = await exportJWK(es384.publicKey);
const didDocument = didDocumentFor(
  key.did,
  [{ keyId: key.keyId, publicKeyMultibase: key.publicKeyMultibase }],
  [
    { keyId: 'es256-1', publicJwk: { ...keys.ES256.publicJwk } },
    { keyId: 'rs256-1', publicJwk: { ...keys.RS256.publicJwk } },
    { keyId: 'es384-1', publicJwk: es384Public },
  ],
);
const deps: VerifierDeps = {
  now: NOW,
  resolveDid: async (did) => (did === key.did ? didDocument : null),
  // No status entry below, so no list is ever asked for.
  fetchStatusList: async () => null,
  ourIssuerDids: [key.did],
};
const unsigned = buildOpenBadgeCredential(
  sampleBadgeInput(key.did, { validUntil: new Date('2027-06-01T00:00:00Z'), status: undefined }),
);

const check = (result: VerificationResult, id: CheckId) => result.checks.find((c) => c.id === id)!;
const verifyJwt = (text: string) => verifyPresentedBadge({ kind: 'jwt', text }, deps);
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs whatever header and payload a test needs, with a real key (jose, so the signature itself is sound). */
function signRaw(jwtKey: JwtSigningKey, header: Record<string, unknown>, payload: Record<string, unknown>) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: jwtKey.algorithm, ...header })
    .sign(jwtKey.privateJwk as Parameters<SignJWT['sign']>[0]);
}

describe('VC-JWT badges in the VC-JOSE-COSE form', () => {
  for (const algorithm of ['EdDSA', 'ES256', 'RS256'] as const) {
    test(`a badge signed with ${algorithm} verifies, and says it is in the current form`, async () => {
      const jwt = await signCredentialJwt(unsigned, keys[algorithm]);
      const result = await verifyJwt(jwt);
      assert.equal(result.verified, true, JSON.stringify(result.checks));
      assert.equal(result.format, 'jwt');
      assert.match(
        check(result, 'proof').message,
        new RegExp(`${algorithm} signature of the VC-JWT is valid`),
      );
      assert.match(check(result, 'proof').message, /current VC-JOSE-COSE form/);
      assert.equal(result.issuerTrust.signer, key.did);
    });

    test(`a ${algorithm} JWT, decoded, is the credential and follows the official OB 3.0 schema`, async () => {
      const jwt = await signCredentialJwt(unsigned, keys[algorithm]);
      const header = decodeProtectedHeader(jwt);
      assert.deepEqual(header, { alg: algorithm, typ: 'vc+jwt', cty: 'vc', kid: keys[algorithm].kid });
      const payload = decodeJwt(jwt);
      assert.equal('vc' in payload, false);
      assert.deepEqual(withoutJwtClaims(payload), unsigned);
      assert.equal(payload.iss, key.did);
      assert.equal(payload.jti, unsigned.id);
      assert.equal(payload.sub, unsigned.credentialSubject.id);
      assert.equal(payload.nbf, Date.parse(unsigned.validFrom) / 1000);
      assert.equal(payload.exp, Date.parse('2027-06-01T00:00:00Z') / 1000);
      const verdict = validateOpenBadgeCredential(payload);
      assert.equal(verdict.valid, true, JSON.stringify(verdict.problems));
    });
  }

  test('a JWT handed over as an EnvelopedVerifiableCredential verifies as the JWT it holds', async () => {
    const jwt = await signCredentialJwt(unsigned, keys.RS256);
    const result = await verifyPresentedBadge({ kind: 'object', value: envelopeJwt(jwt) }, deps);
    assert.equal(result.format, 'jwt');
    assert.equal(result.verified, true, JSON.stringify(result.checks));
    const text = await verifyPresentedBadge({ kind: 'json', text: JSON.stringify(envelopeJwt(jwt)) }, deps);
    assert.equal(text.verified, true);
  });

  test('an envelope holding something other than a VC-JWT is refused as unreadable', async () => {
    const result = await verifyPresentedBadge(
      {
        kind: 'object',
        value: { ...envelopeJwt('x.y.z'), id: 'data:application/vc+sd-jwt,x.y.z' },
      },
      deps,
    );
    assert.equal(check(result, 'format').status, 'failed');
    assert.match(check(result, 'format').message, /not a VC-JWT/);
  });
});

describe('ES384 VC-JWTs of other issuers (P-384 keys)', () => {
  /** Signs the credential as another issuer's software would, with a P-384 private key of its own. */
  const signEs384 = (privateKey: CryptoKey | JWK, kid: string, credential: object, alg = 'ES384') =>
    new SignJWT({ ...jwtClaimsFor(credential as typeof unsigned), ...credential })
      .setProtectedHeader({ alg, typ: 'vc+jwt', cty: 'vc', kid })
      .sign(privateKey as CryptoKey);

  /** A P-384 did:key made with the Multikey library, its private half as a JWK for jose. */
  async function p384DidKey() {
    const pair = await EcdsaMultikey.generate({ curve: 'P-384' });
    const did = `did:key:${pair.publicKeyMultibase}`;
    const privateJwk = await EcdsaMultikey.toJwk({ keyPair: pair, secretKey: true });
    return { did, kid: `${did}#${pair.publicKeyMultibase}`, privateJwk };
  }

  test('an ES384 badge whose P-384 key the did:web document publishes as a JsonWebKey verifies', async () => {
    const jwt = await signEs384(es384.privateKey, `${key.did}#es384-1`, unsigned);
    const result = await verifyJwt(jwt);
    assert.equal(result.verified, true, JSON.stringify(result.checks));
    assert.match(check(result, 'proof').message, /ES384 signature of the VC-JWT is valid \(key .*#es384-1\)/);
    assert.equal(result.issuerTrust.signer, key.did);
  });

  test('an ES384 badge by a P-384 did:key verifies without resolving anything', async () => {
    const issuer = await p384DidKey();
    const credential = buildOpenBadgeCredential(sampleBadgeInput(issuer.did, { status: undefined }));
    const jwt = await signEs384(issuer.privateJwk, issuer.kid, credential);
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'passed', check(result, 'proof').message);
    assert.equal(result.issuerTrust.signer, issuer.did);
  });

  test('a changed ES384 badge fails the signature, with the reason', async () => {
    const [header, , signature] = (await signEs384(es384.privateKey, `${key.did}#es384-1`, unsigned)).split(
      '.',
    );
    const changed = { ...jwtClaimsFor(unsigned), ...unsigned, name: 'Data Analysis Mastery' };
    const result = await verifyJwt([header, part(changed), signature].join('.'));
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /changed after it was signed/);
    assert.equal(result.verified, false);
  });

  test('ES384 named on a P-256 key, and ES256 on a P-384 key, are refused before the signature', async () => {
    const onP256 = await signEs384(es384.privateKey, keys.ES256.kid, unsigned);
    const p256Result = await verifyJwt(onP256);
    assert.equal(check(p256Result, 'proof').status, 'failed');
    assert.match(check(p256Result, 'proof').message, /says it is signed with ES384, but .* is an ES256 key/);
    const issuer = await p384DidKey();
    const credential = buildOpenBadgeCredential(sampleBadgeInput(issuer.did, { status: undefined }));
    const p384Result = await verifyJwt(
      await signRaw(
        keys.ES256,
        { typ: 'vc+jwt', kid: issuer.kid },
        {
          ...jwtClaimsFor(credential),
          ...credential,
        },
      ),
    );
    assert.equal(check(p384Result, 'proof').status, 'failed');
    assert.match(check(p384Result, 'proof').message, /says it is signed with ES256, but .* is an ES384 key/);
  });
});

describe('legacy VC-JWT 1.1 badges (credential in a "vc" claim)', () => {
  test('still verify, and the check says they are legacy', async () => {
    const legacy = await signRaw(
      keys.RS256,
      { typ: 'JWT', kid: keys.RS256.kid },
      { ...jwtClaimsFor(unsigned), vc: unsigned },
    );
    const result = await verifyJwt(legacy);
    assert.equal(result.verified, true, JSON.stringify(result.checks));
    assert.deepEqual(result.credential, unsigned);
    assert.match(check(result, 'proof').message, /legacy VC-JWT 1\.1 form/);
  });

  test('a key in a "jwk" header (as 1EdTech fixtures send) is used when the issuer publishes that key', async () => {
    const legacy = await signRaw(
      keys.RS256,
      { typ: 'JWT', jwk: keys.RS256.publicJwk },
      { ...jwtClaimsFor(unsigned), vc: unsigned },
    );
    const result = await verifyJwt(legacy);
    assert.equal(result.verified, true, JSON.stringify(result.checks));
    assert.match(check(result, 'proof').message, /rs256-1/);
  });
});

describe('VC-JWTs that must fail', () => {
  test('a changed payload breaks the signature', async () => {
    const [header, , signature] = (await signCredentialJwt(unsigned, keys.ES256)).split('.');
    const changed = { ...jwtClaimsFor(unsigned), ...unsigned, name: 'Data Analysis Mastery' };
    const result = await verifyJwt([header, part(changed), signature].join('.'));
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /changed after it was signed/);
    assert.equal(result.verified, false);
  });

  test('a signature by another key than the one its kid names fails', async () => {
    const other = await newJwtSigningKeys(key);
    // Signed with a fresh RS256 key, but naming the published rs256-1.
    const jwt = await signCredentialJwt(unsigned, { ...other.RS256, kid: keys.RS256.kid });
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /signed with another key/);
  });

  test('a key in a "jwk" header that the issuer does not publish proves nothing', async () => {
    const stranger = (await newJwtSigningKeys(key)).ES256;
    const jwt = await signRaw(
      stranger,
      { typ: 'vc+jwt', jwk: stranger.publicJwk },
      { ...jwtClaimsFor(unsigned), ...unsigned },
    );
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /does not publish that key/);
    assert.equal(result.verified, false);
  });

  test('alg "none" is refused as unsigned', async () => {
    const payload = part({ ...jwtClaimsFor(unsigned), ...unsigned });
    const jwt = `${part({ alg: 'none', typ: 'vc+jwt', kid: keys.EdDSA.kid })}.${payload}.`;
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /not signed/);
    assert.equal(result.verified, false);
  });

  test('a missing typ is refused before any key is looked up', async () => {
    const jwt = await signRaw(
      keys.EdDSA,
      { kid: keys.EdDSA.kid },
      { ...jwtClaimsFor(unsigned), ...unsigned },
    );
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /no "typ"/);
  });

  test('an expired exp fails the dates check, as an expired JSON-LD badge does; the signature still holds', async () => {
    const jwt = await signCredentialJwt(unsigned, keys.EdDSA);
    const later = { ...deps, now: new Date('2027-06-02T00:00:00Z') };
    const result = await verifyPresentedBadge({ kind: 'jwt', text: jwt }, later);
    assert.equal(check(result, 'proof').status, 'passed');
    assert.equal(check(result, 'dates').status, 'failed');
    assert.equal(result.verified, false);
    assert.equal(result.issuerTrust.signer, key.did, 'the signer is still named');
  });

  test('an exp in the past fails the dates check even when the credential names no end', async () => {
    const { validUntil: _until, ...endless } = unsigned;
    const exp = Date.parse('2026-05-01T00:00:00Z') / 1000;
    const jwt = await signRaw(
      keys.EdDSA,
      { typ: 'vc+jwt', kid: keys.EdDSA.kid },
      {
        ...jwtClaimsFor(endless as typeof unsigned),
        ...endless,
        exp,
      },
    );
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'passed', check(result, 'proof').message);
    assert.equal(check(result, 'dates').status, 'failed');
    assert.match(check(result, 'dates').message, /expired on May 1, 2026, 00:00 UTC \(its "exp" claim\)/);
    assert.equal(result.verified, false);
  });

  test('a future nbf fails the dates check', async () => {
    const jwt = await signCredentialJwt(unsigned, keys.ES256);
    const earlier = { ...deps, now: new Date('2026-02-01T00:00:00Z') };
    const result = await verifyPresentedBadge({ kind: 'jwt', text: jwt }, earlier);
    assert.equal(check(result, 'proof').status, 'passed');
    assert.equal(check(result, 'dates').status, 'failed');
    assert.equal(result.verified, false);
  });

  test('claims that contradict the credential fail', async () => {
    const jwt = await signRaw(
      keys.ES256,
      { typ: 'vc+jwt', kid: keys.ES256.kid },
      { ...jwtClaimsFor(unsigned), ...unsigned, jti: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
    );
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(check(result, 'proof').message, /jti claims disagree/);
  });
});

describe('the verifier core runs on VC-JWTs as on Data Integrity credentials', () => {
  /** The sample badge with no achievement and a name that is no string: what the OB 3.0 schema refuses. */
  const { credentialSubject, ...rest } = unsigned;
  const { achievement: _achievement, ...subject } = credentialSubject;
  const broken = { ...rest, name: 42, credentialSubject: subject };

  test('a current-form JWT whose credential fails the OB 3.0 schema fails the schema check', async () => {
    const jwt = await signRaw(
      keys.RS256,
      { typ: 'vc+jwt', kid: keys.RS256.kid },
      {
        ...jwtClaimsFor(unsigned),
        ...broken,
      },
    );
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'passed', 'the signature itself is sound');
    assert.equal(check(result, 'schema').status, 'failed');
    assert.match(check(result, 'schema').message, /achievement/);
    assert.match(check(result, 'schema').message, /name must be string/);
    assert.equal(result.verified, false);
  });

  test('so does a legacy vc-claim JWT, and an enveloped one', async () => {
    const legacy = await signRaw(
      keys.EdDSA,
      { typ: 'JWT', kid: keys.EdDSA.kid },
      {
        ...jwtClaimsFor(unsigned),
        vc: broken,
      },
    );
    const current = await signRaw(
      keys.EdDSA,
      { typ: 'vc+jwt', kid: keys.EdDSA.kid },
      {
        ...jwtClaimsFor(unsigned),
        ...broken,
      },
    );
    for (const result of [
      await verifyJwt(legacy),
      await verifyPresentedBadge({ kind: 'object', value: envelopeJwt(current) }, deps),
    ]) {
      assert.equal(check(result, 'proof').status, 'passed');
      assert.equal(check(result, 'schema').status, 'failed');
      assert.equal(result.verified, false);
    }
  });

  test('a revoked JWT badge fails its status check, as the JSON-LD one does', async () => {
    const listUrl = 'https://northfield.example/credentials/status/1';
    const withStatus = buildOpenBadgeCredential(
      sampleBadgeInput(key.did, { status: { revocation: { listUrl, index: 7 } } }),
    );
    const jwt = await signCredentialJwt(withStatus, keys.ES256);
    const unreachable = await verifyPresentedBadge({ kind: 'jwt', text: jwt }, deps);
    assert.equal(check(unreachable, 'proof').status, 'passed');
    assert.equal(check(unreachable, 'status').status, 'failed', 'a list that cannot be had is not a pass');
    assert.match(check(unreachable, 'status').message, /could not be loaded/);
  });
});

describe('VC-JWTs of issuers whose id is an https address', () => {
  test('without the network, the key is not looked for and the proof check says why', async () => {
    const issuerId = 'https://harbour.example/issuers/1';
    const https = buildOpenBadgeCredential(sampleBadgeInput(issuerId, { status: undefined }));
    const jwt = await signRaw(
      keys.ES256,
      { typ: 'vc+jwt', kid: `${issuerId}#es256-1` },
      { ...jwtClaimsFor(https), ...https },
    );
    // No fetchKeyDocument in deps: the network is not allowed.
    const result = await verifyJwt(jwt);
    assert.equal(check(result, 'proof').status, 'failed');
    assert.match(
      check(result, 'proof').message,
      /fetches other sites' keys only when the network is allowed/,
    );
  });
});
