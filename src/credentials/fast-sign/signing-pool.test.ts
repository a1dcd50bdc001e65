import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import { eddsaJwtKey } from '../credential-jwt.ts';
import type { JwtSigningKey, SigningKey, UnsignedOpenBadgeCredential } from '../credential-types.ts';
import { newDidKeySigningKey, sampleBadgeInput } from '../test-fixtures.ts';
import { createFastJwtSigner } from './fast-jwt.ts';
import { createFastVerifier } from './fast-verifier.ts';
import { createSigningPool, type SigningPool } from './signing-pool.ts';

describe('createSigningPool', () => {
  let key: SigningKey;
  let jwtKey: JwtSigningKey;
  let pool: SigningPool;
  before(async () => {
    key = await newDidKeySigningKey();
    jwtKey = await eddsaJwtKey(key);
    pool = createSigningPool(key, { threads: 2, batchSize: 7, jwtKey });
  });
  after(() => pool.close());

  const badges = (count: number): UnsignedOpenBadgeCredential[] =>
    Array.from({ length: count }, (_, index) =>
      buildOpenBadgeCredential({
        ...sampleBadgeInput(key.did),
        id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        name: `Badge ${index}`,
      }),
    );

  test('signs a list across threads, in order, and every proof verifies', async () => {
    const unsigned = badges(60);
    const signed = await pool.signMany(unsigned);
    assert.equal(signed.length, 60);
    const verifier = createFastVerifier([key]);
    for (const [index, badge] of signed.entries()) {
      assert.equal(badge.id, unsigned[index]!.id);
      assert.equal((await verifier.verify(badge)).status, 'valid');
    }
  });

  test('signs the VC-JWTs too when asked, the same as the one-thread signer', async () => {
    const unsigned = badges(12);
    const signed = await pool.signManyWithJwt(unsigned);
    const jwtSigner = createFastJwtSigner(jwtKey);
    assert.equal(signed.length, 12);
    for (const [index, { credential, jwt }] of signed.entries()) {
      assert.equal(credential.id, unsigned[index]!.id);
      assert.equal(jwt, await jwtSigner.sign(unsigned[index]!));
    }
  });

  test('reports a badge that breaks the schema as the validation error it is', async () => {
    const unsigned = badges(10);
    unsigned[8] = { ...unsigned[8]!, validFrom: 'soon' };
    await assert.rejects(pool.signMany(unsigned), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.fields.map((field) => field.field),
        ['validFrom'],
      );
      return true;
    });
    assert.deepEqual(await pool.signMany([]), []);
  });
});
