import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import fc from 'fast-check';
import { verifyDataIntegrityProof } from '../../verification/check-data-integrity-proof.ts';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import type { SignedOpenBadgeCredential } from '../credential-types.ts';
import { createDocumentLoader } from '../document-loader.ts';
import { didDocumentFor } from '../issuer-keys.ts';
import { prepareSigner } from '../prepared-signer.ts';
import { signCredential } from '../sign-credential.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from '../test-fixtures.ts';
import { createFastSigner } from './fast-signer.ts';
import { createFastVerifier, verifyOwnCredentialFast } from './fast-verifier.ts';
import { programCredentialArb, textArb } from './test-arbitraries.ts';

const documentLoader = createDocumentLoader();
type Json = Record<string, unknown>;

describe('createFastVerifier', () => {
  test('accepts badges from either signer, including ones signed with a rotated key', async () => {
    const old = await newDidWebSigningKey('https://northfield.example', 'key-2025');
    const current = {
      ...(await newDidWebSigningKey('https://northfield.example', 'key-2026')),
      did: old.did,
    };
    const verifier = createFastVerifier([old, current]);
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(old.did));
    const byLibrary = await signCredential(unsigned, old);
    const byFastPath = await createFastSigner(current).sign(unsigned);
    for (const [signed, key] of [
      [byLibrary, old],
      [byFastPath, current],
    ] as const) {
      const verdict = await verifier.verify(signed);
      assert.equal(verdict.status, 'valid', verdict.message);
      assert.equal(verdict.status === 'valid' && verdict.verificationMethod, `${key.did}#${key.keyId}`);
    }
    assert.equal((await verifyOwnCredentialFast(byFastPath, [current])).status, 'valid');
  });

  test('leaves badges signed by anyone else, or otherwise, to the full verifier', async () => {
    const ours = await newDidKeySigningKey();
    const stranger = await newDidKeySigningKey();
    const verifier = createFastVerifier([ours]);
    const foreign = await signCredential(buildOpenBadgeCredential(sampleBadgeInput(stranger.did)), stranger);
    assert.equal((await verifier.verify(foreign)).status, 'not-ours');
    const signed = await signCredential(buildOpenBadgeCredential(sampleBadgeInput(ours.did)), ours);
    const [proof] = signed.proof;
    assert.equal((await verifier.verify({ ...signed, proof: [proof, proof] })).status, 'not-ours');
    assert.equal(
      (await verifier.verify({ ...signed, proof: [{ ...proof, type: 'Ed25519Signature2020' }] })).status,
      'not-ours',
    );
    assert.equal((await verifier.verify('not a badge')).status, 'not-ours');
  });

  test('rejects a proof for another purpose, a bad timestamp, a missing value and a foreign issuer', async () => {
    const key = await newDidKeySigningKey();
    const verifier = createFastVerifier([key]);
    const signed = await signCredential(buildOpenBadgeCredential(sampleBadgeInput(key.did)), key);
    const [proof] = signed.proof;
    const withProof = (changes: Json) => ({ ...signed, proof: [{ ...proof, ...changes }] });
    assert.equal((await verifier.verify(withProof({ proofPurpose: 'authentication' }))).status, 'invalid');
    assert.equal((await verifier.verify(withProof({ created: 'yesterday' }))).status, 'invalid');
    assert.equal((await verifier.verify(withProof({ proofValue: undefined }))).status, 'invalid');
    assert.equal((await verifier.verify(withProof({ proofValue: 'z0OIl' }))).status, 'invalid');

    // Signed (through the library, bypassing the signers' own check) for an issuer the key is not.
    const { suite } = await prepareSigner(key);
    const signer = (suite as unknown as { signer: object }).signer;
    const claimsOther = await vc.issue({
      credential: buildOpenBadgeCredential(sampleBadgeInput('did:web:elsewhere.example')),
      suite: new DataIntegrityProof({ signer: signer as never, cryptosuite: eddsaRdfc2022 }),
      documentLoader,
    });
    const verdict = await verifier.verify(claimsOther);
    assert.equal(verdict.status, 'invalid');
    assert.match(verdict.message, /does not belong to the issuer/);
  });

  test('agrees with the library verifier on badges with one value changed (property)', async () => {
    const key = await newDidKeySigningKey();
    const signer = createFastSigner(key);
    const verifier = createFastVerifier([key]);
    const loader = createDocumentLoader({ resolveDidWeb: async () => didDocumentFor(key.did, [key]) });
    const fields = ['name', 'description', 'validFrom', 'achievement', 'creditsEarned', 'salt'] as const;
    await fc.assert(
      fc.asyncProperty(
        programCredentialArb(key.did),
        fc.constantFrom(...fields),
        textArb,
        fc.boolean(),
        async (unsigned, field, text, change) => {
          const signed = structuredClone(await signer.sign(unsigned)) as SignedOpenBadgeCredential & Json;
          if (change) tamper(signed, field, text);
          const fast = await verifier.verify(signed);
          const library = await verifyDataIntegrityProof(structuredClone(signed), loader);
          assert.equal(
            fast.status === 'valid',
            library.status === 'passed',
            `${fast.message} / ${library.message}`,
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** Changes one signed value (to `text`, or a visibly different value when text happens to be equal). */
function tamper(badge: SignedOpenBadgeCredential & Json, field: string, text: string): void {
  const subject = badge.credentialSubject;
  const other = (value: unknown) => (text === value ? `${text}!` : text);
  if (field === 'achievement') subject.achievement.name = other(subject.achievement.name);
  else if (field === 'creditsEarned') subject.creditsEarned = (subject.creditsEarned ?? 0) + 1;
  else if (field === 'salt' && subject.identifier?.[0])
    subject.identifier[0].salt = other(subject.identifier[0].salt);
  else if (field === 'validFrom') badge.validFrom = '2001-01-01T00:00:00Z';
  else badge[field] = other(badge[field]);
}
