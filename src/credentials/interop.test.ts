// Interoperability: every credential Stackable issues must verify with the Digital Credentials
// Consortium's verifier-core, an independent verifier used by the DCC wallet and verifier site.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import { ACHIEVEMENT_CREDENTIAL_SCHEMA, buildOpenBadgeCredential } from './build-credential.ts';
import { didDocumentFor, didWebDocumentUrl } from './issuer-keys.ts';
import { signCredential, signStatusListCredential } from './sign-credential.ts';
import { buildStatusListCredential, createBitstring, encodeList, setBit } from './status-list.ts';
import { newDidKeySigningKey, newDidWebSigningKey, sampleBadgeInput } from './test-fixtures.ts';

const schemaText = readFileSync(
  new URL(
    '../../standards/schemas/ob_v3p0_achievementcredential_schema.jsonld-2019-09.json',
    import.meta.url,
  ),
  'utf8',
);

const day = 24 * 60 * 60 * 1000;
// verifier-core judges dates against the real clock, so these are relative to it.
const validFrom = new Date(Date.now() - 7 * day);
const served = new Map<string, string>([[ACHIEVEMENT_CREDENTIAL_SCHEMA, schemaText]]);
const realFetch = globalThis.fetch;

function requestedUrl(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

before(() => {
  // Offline stand-in for the web: only what we serve exists; everything else is a 404.
  globalThis.fetch = async (input: string | URL | Request) => {
    const body = served.get(requestedUrl(input));
    return body === undefined
      ? new Response('not found', { status: 404 })
      : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
});
after(() => {
  globalThis.fetch = realFetch;
});

type CoreCredential = Parameters<typeof verifyCredential>[0]['credential'];

interface VerifierCoreResult {
  log?: { id: string; valid?: boolean }[];
  errors?: { name?: string; message: string }[];
  additionalInformation?: { id: string; results?: { result: { valid: boolean } }[] | string }[];
}

/** verifier-core's per-step log; also insists that its own OB 3.0 schema check passed. */
async function verifierCoreLog(credential: object): Promise<Map<string, boolean | undefined>> {
  const result = (await verifyCredential({
    credential: credential as CoreCredential,
    knownDIDRegistries: [],
  })) as VerifierCoreResult;
  assert.equal(result.errors, undefined, `verifier-core reported: ${JSON.stringify(result.errors)}`);
  const schemaResults = result.additionalInformation?.find((entry) => Array.isArray(entry.results))?.results;
  assert.ok(Array.isArray(schemaResults) && schemaResults.length > 0, 'verifier-core ran no schema check');
  for (const { result: schemaResult } of schemaResults) assert.equal(schemaResult.valid, true);
  return new Map((result.log ?? []).map((entry) => [entry.id, entry.valid]));
}

async function publishStatusList(
  key: Awaited<ReturnType<typeof newDidKeySigningKey>>,
  url: string,
  revoked: number[],
) {
  const bits = createBitstring();
  for (const index of revoked) setBit(bits, index);
  const unsigned = buildStatusListCredential({
    id: url,
    issuer: key.did,
    purpose: 'revocation',
    encodedList: encodeList(bits),
    validFrom,
  });
  served.set(url, JSON.stringify(await signStatusListCredential(unsigned, key)));
}

describe('credentials issued by Stackable verify with @digitalcredentials/verifier-core', () => {
  test('did:key issuer: a live badge passes signature, expiry and revocation checks', async () => {
    const key = await newDidKeySigningKey();
    const listUrl = 'https://northfield.example/status/interop-live';
    await publishStatusList(key, listUrl, [7]);
    const badge = await signCredential(
      buildOpenBadgeCredential(
        sampleBadgeInput(key.did, {
          validFrom,
          validUntil: new Date(Date.now() + 365 * day),
          status: { revocation: { listUrl, index: 8 } },
        }),
      ),
      key,
    );
    const log = await verifierCoreLog(badge);
    assert.equal(log.get('valid_signature'), true);
    assert.equal(log.get('expiration'), true);
    assert.equal(log.get('revocation_status'), true);
  });

  test('did:key issuer: a revoked badge is reported as revoked', async () => {
    const key = await newDidKeySigningKey();
    const listUrl = 'https://northfield.example/status/interop-revoked';
    await publishStatusList(key, listUrl, [8]);
    const badge = await signCredential(
      buildOpenBadgeCredential(
        sampleBadgeInput(key.did, { validFrom, status: { revocation: { listUrl, index: 8 } } }),
      ),
      key,
    );
    const log = await verifierCoreLog(badge);
    assert.equal(log.get('valid_signature'), true);
    assert.equal(log.get('revocation_status'), false);
  });

  test('did:web issuer with a rotated key: resolves the published DID document and verifies', async () => {
    const old = await newDidWebSigningKey('https://badges.northfield.example', 'key-2025');
    const current = {
      ...(await newDidWebSigningKey('https://badges.northfield.example', 'key-2026')),
      did: old.did,
    };
    served.set(didWebDocumentUrl(old.did), JSON.stringify(didDocumentFor(old.did, [old, current])));
    const listUrl = 'https://badges.northfield.example/status/interop-web';
    await publishStatusList(current, listUrl, []);
    for (const key of [old, current]) {
      const badge = await signCredential(
        buildOpenBadgeCredential(
          sampleBadgeInput(key.did, { validFrom, status: { revocation: { listUrl, index: 3 } } }),
        ),
        key,
      );
      const log = await verifierCoreLog(badge);
      assert.equal(log.get('valid_signature'), true, `signed with ${key.keyId}`);
      assert.equal(log.get('revocation_status'), true);
    }
  });

  test('a tampered badge is rejected by verifier-core too', async () => {
    const key = await newDidKeySigningKey();
    const badge = await signCredential(
      buildOpenBadgeCredential(sampleBadgeInput(key.did, { validFrom, status: undefined })),
      key,
    );
    badge.credentialSubject.achievement.name = 'Advanced Data Analysis';
    const result = (await verifyCredential({
      credential: badge as unknown as CoreCredential,
      knownDIDRegistries: [],
    })) as {
      errors?: { name?: string }[];
    };
    assert.equal(result.errors?.[0]?.name, 'invalid_signature');
  });
});
