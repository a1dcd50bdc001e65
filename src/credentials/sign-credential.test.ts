import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AppError } from '../platform/errors.ts';
import { buildOpenBadgeCredential } from './build-credential.ts';
import type { UnsignedOpenBadgeCredential } from './credential-types.ts';
import { generateIssuerKeyPair } from './issuer-keys.ts';
import { signCredential, signCredentialJwt, signStatusListCredential } from './sign-credential.ts';
import { buildStatusListCredential, createBitstring, encodeList } from './status-list.ts';
import {
  newDidKeySigningKey,
  newDidWebSigningKey,
  sampleBadgeInput,
  withoutJwtClaims,
} from './test-fixtures.ts';

describe('signCredential', () => {
  test('adds one eddsa-rdfc-2022 assertion proof, as an array, naming the key', async () => {
    const key = await newDidWebSigningKey('https://northfield.example', 'key-2026');
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    const signed = await signCredential(unsigned, key);
    assert.equal(signed.proof.length, 1);
    const [proof] = signed.proof;
    assert.equal(proof?.type, 'DataIntegrityProof');
    assert.equal(proof?.cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(proof?.proofPurpose, 'assertionMethod');
    assert.equal(proof?.verificationMethod, 'did:web:northfield.example#key-2026');
    assert.match(proof?.proofValue ?? '', /^z[1-9A-HJ-NP-Za-km-z]{80,90}$/);
    const { proof: _proof, ...rest } = signed;
    assert.deepEqual(rest, unsigned, 'the signed fields are exactly the unsigned credential');
    assert.equal('proof' in unsigned, false, 'the input is left untouched');
  });

  test('refuses to sign a credential that breaks the OB 3.0 schema', async () => {
    const key = await newDidKeySigningKey();
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    const broken = { ...unsigned, validFrom: 'soon' } as UnsignedOpenBadgeCredential;
    await assert.rejects(signCredential(broken, key), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.fields.map((field) => field.field),
        ['validFrom'],
      );
      return true;
    });
    await assert.rejects(signCredentialJwt(broken, key), AppError);
  });

  test('refuses a key whose DID is not the issuer, or whose halves do not match', async () => {
    const key = await newDidKeySigningKey();
    const other = await newDidKeySigningKey();
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    await assert.rejects(signCredential(unsigned, other), /not the signing key's DID/);
    const strange = await generateIssuerKeyPair();
    await assert.rejects(
      signCredential(unsigned, { ...key, secretKeyMultibase: strange.secretKeyMultibase }),
      /does not match its public key/,
    );
  });

  test('signs a status list credential without applying the badge schema', async () => {
    const key = await newDidKeySigningKey();
    const unsigned = buildStatusListCredential({
      id: 'https://northfield.example/status/1',
      issuer: key.did,
      purpose: 'revocation',
      encodedList: encodeList(createBitstring()),
      validFrom: new Date('2026-01-01T00:00:00Z'),
    });
    const signed = await signStatusListCredential(unsigned, key);
    assert.equal(signed.proof[0]?.cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(signed.credentialSubject.encodedList, unsigned.credentialSubject.encodedList);
  });
});

describe('signCredentialJwt', () => {
  test('follows the OB 3.0 VC-JWT header and claim rules', async () => {
    const key = await newDidKeySigningKey();
    const unsigned = buildOpenBadgeCredential(
      sampleBadgeInput(key.did, { validUntil: new Date('2027-03-01T09:00:00Z') }),
    );
    const jwt = await signCredentialJwt(unsigned, key);
    assert.equal(jwt.split('.').length, 3);
    // VC-JOSE-COSE 1.0: typ vc+jwt, cty vc.
    assert.deepEqual(decodeProtectedHeader(jwt), {
      alg: 'EdDSA',
      typ: 'vc+jwt',
      cty: 'vc',
      kid: `${key.did}#${key.keyId}`,
    });
    const payload = decodeJwt(jwt);
    assert.equal(payload.iss, key.did);
    assert.equal(payload.jti, unsigned.id);
    assert.equal(payload.sub, unsigned.credentialSubject.id);
    assert.equal(payload.nbf, Date.parse('2026-03-01T09:00:00Z') / 1000);
    assert.equal(payload.exp, Date.parse('2027-03-01T09:00:00Z') / 1000);
    // The payload is the credential itself; VC-JOSE-COSE forbids the VC 1.1 `vc` claim.
    assert.equal('vc' in payload, false);
    assert.deepEqual(withoutJwtClaims(payload), unsigned);
  });

  test('omits exp and sub when the credential has no end date or learner DID', async () => {
    const key = await newDidKeySigningKey();
    const input = sampleBadgeInput(key.did);
    const unsigned = buildOpenBadgeCredential({
      ...input,
      recipient: { email: { address: 'a@b.example', salt: 's' } },
    });
    const payload = decodeJwt(await signCredentialJwt(unsigned, key));
    assert.equal('exp' in payload, false);
    assert.equal('sub' in payload, false);
  });
});
