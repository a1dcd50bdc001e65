import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../platform/errors.ts';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import { signCredentialJwt } from '../credential-jwt.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from '../test-fixtures.ts';
import { createFastJwtSigner } from './fast-jwt.ts';
import { programCredentialArb } from './test-arbitraries.ts';

describe('createFastJwtSigner', () => {
  test('writes the same compact JWT, byte for byte, as jose through signCredentialJwt (property)', async () => {
    const key = await newDidWebSigningKey('https://northfield.example', 'key-7');
    const fast = createFastJwtSigner(key);
    await fc.assert(
      fc.asyncProperty(programCredentialArb(key.did), async (unsigned) => {
        assert.equal(await fast.sign(unsigned), await signCredentialJwt(unsigned, key));
      }),
      { numRuns: 60 },
    );
  });

  test('refuses what signCredentialJwt refuses: a foreign issuer and a schema break', async () => {
    const key = await newDidKeySigningKey();
    const other = await newDidKeySigningKey();
    const fast = createFastJwtSigner(key);
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
