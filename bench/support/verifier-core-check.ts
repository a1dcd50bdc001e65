/**
 * Runs @digitalcredentials/verifier-core (the verifier of the DCC wallet) over signed badges, offline:
 * fetch is replaced for the duration so only the OB 3.0 JSON Schema can be "downloaded". Throws if any
 * badge fails its signature check or reports an error.
 */
import { readFileSync } from 'node:fs';
import { verifyCredential } from '@digitalcredentials/verifier-core';
import { ACHIEVEMENT_CREDENTIAL_SCHEMA } from '../../src/credentials/build-credential.ts';

type CoreCredential = Parameters<typeof verifyCredential>[0]['credential'];

export async function checkWithVerifierCore(
  badges: readonly object[],
): Promise<{ checked: number; valid: number }> {
  const schema = readFileSync(
    new URL(
      '../../standards/schemas/ob_v3p0_achievementcredential_schema.jsonld-2019-09.json',
      import.meta.url,
    ),
    'utf8',
  );
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return url === ACHIEVEMENT_CREDENTIAL_SCHEMA
      ? new Response(schema, { status: 200, headers: { 'content-type': 'application/json' } })
      : new Response('not found', { status: 404 });
  };
  try {
    let valid = 0;
    for (const badge of badges) {
      const result = (await verifyCredential({
        credential: badge as CoreCredential,
        knownDIDRegistries: [],
      })) as {
        errors?: unknown[];
        log?: { id: string; valid: boolean }[];
      };
      const signatureOk = result.log?.find((entry) => entry.id === 'valid_signature')?.valid === true;
      if (result.errors !== undefined || !signatureOk) {
        throw new Error(
          `verifier-core rejected a fast-signed badge: ${JSON.stringify(result.errors ?? result.log)}`,
        );
      }
      valid += 1;
    }
    return { checked: badges.length, valid };
  } finally {
    globalThis.fetch = realFetch;
  }
}
