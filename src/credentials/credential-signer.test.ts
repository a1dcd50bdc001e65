import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOpenBadgeCredential } from './build-credential.ts';
import { CredentialSigner } from './credential-signer.ts';
import { createCanonicalizer } from './fast-sign/canonicalizer.ts';
import { createFastSigner } from './fast-sign/fast-signer.ts';
import { newDidKeySigningKey, sampleBadgeInput } from './test-fixtures.ts';

describe('credential signers of one thread (one per app)', () => {
  test("a second app's signer fills the template the first compiled, and signs as a signer of its own would", async () => {
    const key = await newDidKeySigningKey();
    const first = new CredentialSigner({ threads: 0 });
    // The issuer is new to this thread, so whatever ran before, this shape's template is compiled here.
    await first.sign(buildOpenBadgeCredential(sampleBadgeInput(key.did, { name: 'Data Analysis' })), key);
    const before = { ...first.stats };

    const second = new CredentialSigner({ threads: 0 });
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did, { name: 'Ωmega "quoted" name' }));
    const { credential } = await second.sign(unsigned, key);

    // Counted in the one cache both use: a signer with a cache of its own would start again from nothing.
    assert.ok(second.stats.fast > before.fast, "the second signer did not count in the first one's cache");
    assert.equal(second.stats.templates, before.templates, 'the second signer compiled a template again');
    // Ed25519 is deterministic: the same proof value from a signer with a cache of its own, at the same second.
    const [proof] = credential.proof;
    assert.ok(proof?.created && proof.proofValue);
    const created = new Date(proof.created);
    const alone = createFastSigner(key, { canonicalizer: createCanonicalizer(), now: () => created });
    assert.equal(proof.proofValue, (await alone.sign(unsigned)).proof[0]?.proofValue);
  });
});
