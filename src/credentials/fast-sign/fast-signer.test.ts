import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import { verifyCredential as verifierCore } from '@digitalcredentials/verifier-core';
import fc from 'fast-check';
import { AppError } from '../../platform/errors.ts';
import { verifyPresentedBadge } from '../../verification/verify-presented-badge.ts';
import { ACHIEVEMENT_CREDENTIAL_SCHEMA, buildOpenBadgeCredential, toDateTime } from '../build-credential.ts';
import type { UnsignedOpenBadgeCredential } from '../credential-types.ts';
import { createDocumentLoader } from '../document-loader.ts';
import { prepareSigner } from '../prepared-signer.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from '../test-fixtures.ts';
import { createFastSigner } from './fast-signer.ts';
import { programCredentialArb } from './test-arbitraries.ts';

const DAY = 86_400_000;
const documentLoader = createDocumentLoader();

describe('createFastSigner', () => {
  test('writes the same proof, byte for byte, as the Data Integrity library (property)', async () => {
    const key = await newDidKeySigningKey();
    const created = new Date('2026-05-01T09:00:00.250Z');
    const fast = createFastSigner(key, { now: () => created });
    const { suite } = await prepareSigner(key);
    const signer = (suite as unknown as { signer: object }).signer;
    // Ed25519 signatures are deterministic, so equal proof values mean equal signed bytes.
    const library = new DataIntegrityProof({
      signer: signer as never,
      cryptosuite: eddsaRdfc2022,
      date: created,
    });
    await fc.assert(
      fc.asyncProperty(programCredentialArb(key.did), async (unsigned) => {
        const ours = await fast.sign(unsigned);
        const theirs = await vc.issue({
          credential: structuredClone(unsigned),
          suite: library,
          documentLoader,
        });
        assert.deepEqual(ours.proof, [theirs.proof]);
        const { proof: _proof, ...rest } = ours;
        assert.deepEqual(rest, unsigned);
      }),
      { numRuns: 25 },
    );
  });

  test("each proof's created is the second it was signed in, to the second", async () => {
    const key = await newDidKeySigningKey();
    const times = [
      '2026-05-01T09:00:00.100Z',
      '2026-05-01T09:00:00.900Z',
      '2026-05-01T09:00:01.000Z',
      '1969-12-31T23:59:59.500Z',
      '2026-05-01T09:00:01.999Z',
    ];
    let at = 0;
    const fast = createFastSigner(key, { now: () => new Date(times[at]!) });
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    const created: unknown[] = [];
    for (at = 0; at < times.length; at += 1) created.push((await fast.sign(unsigned)).proof[0]!.created);
    assert.deepEqual(created, [
      '2026-05-01T09:00:00Z',
      '2026-05-01T09:00:00Z',
      '2026-05-01T09:00:01Z',
      '1969-12-31T23:59:59Z',
      '2026-05-01T09:00:01Z',
    ]);
  });

  test('every badge it signs passes Stackable verification (property)', async () => {
    const key = await newDidWebSigningKey('https://northfield.example', 'key-2026');
    const fast = createFastSigner(key);
    const didDocument = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    };
    await fc.assert(
      fc.asyncProperty(programCredentialArb(key.did), async (unsigned) => {
        const { credentialStatus: _status, ...withoutStatus } = unsigned;
        const signed = await fast.sign(withoutStatus);
        const result = await verifyPresentedBadge(
          { kind: 'json', text: JSON.stringify(signed) },
          {
            now: new Date(Date.parse(signed.validFrom) + 1000),
            resolveDid: async () => ({
              ...didDocument,
              id: key.did,
              verificationMethod: [
                {
                  id: `${key.did}#${key.keyId}`,
                  type: 'Multikey',
                  controller: key.did,
                  publicKeyMultibase: key.publicKeyMultibase,
                },
              ],
              assertionMethod: [`${key.did}#${key.keyId}`],
            }),
            fetchStatusList: async () => null,
            ourIssuerDids: [key.did],
          },
        );
        assert.equal(result.verified, true, JSON.stringify(result.checks));
      }),
      { numRuns: 30 },
    );
  });

  test('refuses what signCredential refuses: schema breaks, a foreign issuer, a second proof, a bad key', async () => {
    const key = await newDidKeySigningKey();
    const other = await newDidKeySigningKey();
    const fast = createFastSigner(key);
    const unsigned = buildOpenBadgeCredential(sampleBadgeInput(key.did));
    await assert.rejects(fast.sign({ ...unsigned, validFrom: 'soon' }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        error.fields.map((field) => field.field),
        ['validFrom'],
      );
      return true;
    });
    await assert.rejects(createFastSigner(other).sign(unsigned), /not the signing key's DID/);
    const signed = await fast.sign(unsigned);
    await assert.rejects(fast.sign(signed as UnsignedOpenBadgeCredential), /already carries a proof/);
    const mismatched = createFastSigner({ ...key, secretKeyMultibase: other.secretKeyMultibase });
    await assert.rejects(mismatched.sign(unsigned), /does not match its public key/);
  });
});

describe('fast-signed badges verify with @digitalcredentials/verifier-core', () => {
  const schemaText = readFileSync(
    new URL(
      '../../../standards/schemas/ob_v3p0_achievementcredential_schema.jsonld-2019-09.json',
      import.meta.url,
    ),
    'utf8',
  );
  const realFetch = globalThis.fetch;
  before(() => {
    // Offline: verifier-core may fetch the OB schema; nothing else exists.
    globalThis.fetch = async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url === ACHIEVEMENT_CREDENTIAL_SCHEMA
        ? new Response(schemaText, { status: 200, headers: { 'content-type': 'application/json' } })
        : new Response('not found', { status: 404 });
    };
  });
  after(() => {
    globalThis.fetch = realFetch;
  });

  test('verifier-core accepts the signature of every generated badge (property)', async () => {
    const key = await newDidKeySigningKey();
    const fast = createFastSigner(key);
    // verifier-core judges dates against the real clock.
    const validFrom = toDateTime(new Date(Date.now() - 7 * DAY));
    await fc.assert(
      fc.asyncProperty(programCredentialArb(key.did), async (unsigned) => {
        const { credentialStatus: _status, ...rest } = unsigned;
        const signed = await fast.sign({ ...rest, validFrom });
        const result = (await verifierCore({
          credential: signed as unknown as Parameters<typeof verifierCore>[0]['credential'],
          knownDIDRegistries: [],
        })) as { errors?: unknown[]; log?: { id: string; valid: boolean }[] };
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        assert.equal(result.log?.find((entry) => entry.id === 'valid_signature')?.valid, true);
      }),
      { numRuns: 15 },
    );
  });
});
