import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import jsigs from '@digitalcredentials/jsonld-signatures';
import { createDocumentLoader, type DocumentLoader } from '../credentials/document-loader.ts';
import { verifyDataIntegrityProof } from './check-data-integrity-proof.ts';
import { loadEcdsaSuite } from './proof-suites.ts';
import type { JsonObject } from './read-presented-badge.ts';

/**
 * The W3C vc-di-ecdsa test vectors (standards/test-vectors/vc-di-ecdsa), signed by the spec's editors with their
 * published P-256 and P-384 keys, not by us or our libraries' tests.
 */
const vector = (name: string): JsonObject =>
  JSON.parse(
    readFileSync(new URL(`../../standards/test-vectors/vc-di-ecdsa/${name}`, import.meta.url), 'utf8'),
  ) as JsonObject;

const EXAMPLES_CONTEXT = 'https://www.w3.org/ns/credentials/examples/v2';

/**
 * The loader the vectors need beyond ours: the VC 2.0 examples context (a bare @vocab), which Stackable does not
 * bundle since no badge uses it. Everything else goes to the app's own offline loader.
 */
const base = createDocumentLoader();
const loader: DocumentLoader = async (url) =>
  url === EXAMPLES_CONTEXT
    ? {
        contextUrl: null,
        documentUrl: url,
        document: { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } },
      }
    : base(url);

/** The vector's signature checked by the suite Stackable wires in, with its loader, for an assertion proof. */
async function signatureHolds(document: JsonObject, suite: object): Promise<boolean> {
  const result = await jsigs.verify(structuredClone(document), {
    suite,
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    documentLoader: loader,
  });
  return result.verified;
}

// No top-level await: the test runner's shared shard processes import test files side by side.
const cases = [
  { name: 'ecdsa-rdfc-2019-p256-signed.json', suite: () => loadEcdsaSuite('ecdsa-rdfc-2019') },
  // The P-384 vector: the suite hashes with SHA-384 for this curve, and the did:key is read from its z82 prefix.
  { name: 'ecdsa-rdfc-2019-p384-signed.json', suite: () => loadEcdsaSuite('ecdsa-rdfc-2019') },
  { name: 'ecdsa-sd-2023-derived-reveal.json', suite: () => loadEcdsaSuite('ecdsa-sd-2023') },
];

describe('the W3C ECDSA cryptosuite test vectors', () => {
  for (const { name, suite } of cases) {
    test(`${name}: the signature holds with Stackable's suite and offline loader`, async () => {
      assert.equal(await signatureHolds(vector(name), await suite()), true);
    });

    test(`${name}: one disclosed value changed, the signature no longer holds`, async () => {
      const changed = vector(name);
      changed.credentialSubject = { ...(changed.credentialSubject as object), extra: 'added after signing' };
      assert.equal(await signatureHolds(changed, await suite()), false);
    });

    test(`${name}: the verifier does not let the did:key speak for the https issuer the vector names`, async () => {
      // The vectors test cryptography only: their issuer is an https address that does not control the signing
      // did:key. A verifier that binds keys to issuers, as VC 2.0 asks, must refuse that.
      const document = vector(name);
      const signer = String((document.proof as JsonObject).verificationMethod).split('#')[0];
      assert.notEqual(document.issuer, signer);
      const verdict = await verifyDataIntegrityProof(document, loader);
      assert.equal(verdict.status, 'failed');
      assert.match(verdict.message, /does not belong to the issuer/);
    });
  }
});
