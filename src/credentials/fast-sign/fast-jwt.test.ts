import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compactVerify, importJWK } from 'jose';
import { AppError } from '../../platform/errors.ts';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import { eddsaJwtKey, signCredentialJwt } from '../credential-jwt.ts';
import {
  newDidKeySigningKey,
  newDidWebSigningKey,
  newJwtSigningKeys,
  sampleBadgeInput,
} from '../test-fixtures.ts';
import { createFastJwtSigner } from './fast-jwt.ts';
import { programCredentialArb } from './test-arbitraries.ts';

describe('createFastJwtSigner', () => {
  test('writes the same compact JWT, byte for byte, as jose for the deterministic EdDSA and RS256 (property)', async () => {
    const key = await newDidWebSigningKey('https://northfield.example', 'key-7');
    const keys = await newJwtSigningKeys(key);
    for (const jwtKey of [keys.EdDSA, keys.RS256]) {
      const fast = createFastJwtSigner(jwtKey);
      await fc.assert(
        fc.asyncProperty(programCredentialArb(key.did), async (unsigned) => {
          assert.equal(await fast.sign(unsigned), await signCredentialJwt(unsigned, jwtKey));
        }),
        { numRuns: jwtKey.algorithm === 'RS256' ? 15 : 60 },
      );
    }
  });

  test('signs ES256 with the same header and payload as jose, and a signature jose accepts', async () => {
    const key = await newDidWebSigningKey('https://northfield.example');
    const { ES256 } = await newJwtSigningKeys(key);
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    const fast = await createFastJwtSigner(ES256).sign(unsigned);
    const reference = await signCredentialJwt(unsigned, ES256);
    assert.equal(fast.split('.').slice(0, 2).join('.'), reference.split('.').slice(0, 2).join('.'));
    const verified = await compactVerify(fast, await importJWK(ES256.publicJwk, 'ES256'));
    assert.equal(verified.protectedHeader.alg, 'ES256');
  });

  test('refuses what signCredentialJwt refuses: a foreign issuer and a schema break', async () => {
    const key = await newDidKeySigningKey();
    const other = await newDidKeySigningKey();
    const fast = createFastJwtSigner(await eddsaJwtKey(key));
    await assert.rejects(
      fast.sign(buildOpenBadgeCredential(sampleBadgeInput(other.did))),
      /is not the signing key's DID/,
    );
    const broken = { ...buildOpenBadgeCredential(sampleBadgeInput(key.did)), validFrom: 'soon' };
    await assert.rejects(fast.sign(broken), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.fields.map((field) => field.field),
        ['validFrom'],
      );
      return true;
    });
  });
});
