import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import * as vc from '@digitalcredentials/vc';
import { type HttpsIssuer, startHttpsIssuer } from '../../test/support/https-issuer.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { postAsVerifierSuite } from '../../test/support/verify-api.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { didDocumentFor, didWebFor } from '../credentials/issuer-keys.ts';
import { newDidKeySigningKey, newDidWebSigningKey } from '../credentials/test-fixtures.ts';

// What the W3C CCG VC-API verifier suite's tests/11-vc-jwt.js ("Verify Credential - JWT") asks of
// POST /credentials/verify. Despite its name it never sends a compact JWT: every version read builds its valid
// credential as a JSON object with an embedded proof, either from the suite's own fixture or, in the latest
// version, by asking an issuer tagged "JWT" (SpruceID by default, tests/test-config.js) to issue the suite's
// mock credential (mock-data/vc.js: VC 1.1 contexts plus the Ed25519Signature2020 context, a did:key subject)
// with a fresh urn:uuid id and the issuer's own id (helpers.js, createInitialVc). That is re-made here with a
// fresh Ed25519 key, for a did:key issuer as the suite's issuer is and for a did:web issuer on a local HTTPS site.
// Each request is { verifiableCredential, options: { checks: ['proof'] } } (helpers.js, createRequestBody); the
// valid one must answer 200 and every changed one exactly 400 (helpers.js, testBadRequestError).

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const ED25519_2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const SUITE = 'tests/11-vc-jwt.js';

type Json = Record<string, unknown>;
type Problem = { errors: { field: string; reason: string }[] };

/** The suite's mock credential as its issuer returns it: an id and issuer set, issuanceDate added, signed. */
async function issuedAsTheSuiteAsks(key: SigningKey, extraContexts: object[] = []): Promise<Json> {
  const keyPair = await Ed25519Multikey.from({
    id: `${key.did}#${key.keyId}`,
    controller: key.did,
    type: 'Multikey',
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.secretKeyMultibase,
  });
  const credential = {
    '@context': [VC_V1, ED25519_2020, ...extraContexts],
    type: ['VerifiableCredential'],
    credentialSubject: { id: (await newDidKeySigningKey()).did },
    id: `urn:uuid:${randomUUID()}`,
    issuer: key.did,
    issuanceDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  return vc.issue({
    credential,
    suite: new Ed25519Signature2020({ key: keyPair }),
    documentLoader: createDocumentLoader(),
  });
}

describe(`the VC-API verifier answers as ${SUITE} of the W3C VC-API verifier suite expects, on ${testBackend}`, () => {
  let site: HttpsIssuer;
  let app: TestApp;
  const issued = {} as Record<'did:key' | 'did:web' | 'inline context', Json>;

  before(async () => {
    site = await startHttpsIssuer();
    app = await startTestApp({
      runJobs: false,
      env: { STACKABLE_ALLOW_NETWORK: 'true' },
      fetcher: site.fetcher,
    });
    const webKey = await newDidWebSigningKey(site.origin);
    assert.equal(webKey.did, didWebFor(site.origin));
    site.serve('/.well-known/did.json', didDocumentFor(webKey.did, [webKey]));
    issued['did:key'] = await issuedAsTheSuiteAsks(await newDidKeySigningKey());
    issued['did:web'] = await issuedAsTheSuiteAsks(webKey);
    // The suite's first JWT fixture (mock-data/valid-vc-jwt.json) adds an inline context object, which the
    // latest version's "items are not strings or objects" case keeps allowed.
    issued['inline context'] = await issuedAsTheSuiteAsks(webKey, [{ '@vocab': 'https://example.com/#' }]);
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  const post = (verifiableCredential: unknown) => postAsVerifierSuite(app, verifiableCredential);

  /** A copy of the did:web credential with `change` made, sent through JSON as the suite's client sends it. */
  const changed = (change: (copy: Json) => void): Json => {
    const copy = structuredClone(issued['did:web']);
    change(copy);
    return JSON.parse(JSON.stringify(copy));
  };
  const proofOf = (copy: Json) => copy.proof as Json;

  /** The suite's assertion: exactly 400; ours besides: the problem names the property the suite broke. */
  const assertRefused = async (credential: Json, what: string, field: string) => {
    const response = await post(credential);
    assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
    const fields = (response.json() as Problem).errors.map((error) => error.field);
    assert.ok(fields.includes(field), `${what}: ${fields.join(', ')}`);
  };

  for (const method of ['did:key', 'did:web', 'inline context'] as const) {
    test(`${SUITE} "MUST verify a valid VC.": the issued credential (${method}) answers 200 verified`, async () => {
      const response = await post(issued[method]);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().verified, true);
    });
  }

  const removals: [string, (copy: Json) => void][] = [
    ['@context', (copy) => delete copy['@context']],
    ['type', (copy) => delete copy.type],
    ['issuer', (copy) => delete copy.issuer],
    ['credentialSubject', (copy) => delete copy.credentialSubject],
    ['proof', (copy) => delete copy.proof],
    ['proof.type', (copy) => delete proofOf(copy).type],
    ['proof.created', (copy) => delete proofOf(copy).created],
    ['proof.verificationMethod', (copy) => delete proofOf(copy).verificationMethod],
    ['proof.proofValue', (copy) => delete proofOf(copy).proofValue],
    ['proof.proofPurpose', (copy) => delete proofOf(copy).proofPurpose],
  ];
  for (const [property, remove] of removals) {
    test(`${SUITE} "MUST not verify if "${property}" property is missing.": 400 naming it`, async () => {
      await assertRefused(changed(remove), property, `verifiableCredential.${property}`);
    });
  }

  // The suite's wrong values, in its order; `undefined` becomes a missing property (or null inside a list)
  // once its client writes the body as JSON, as `changed` does here.
  const wrongKinds: [string, string, (value: unknown) => (copy: Json) => void, unknown[]][] = [
    ['"@context" is not an array.', '@context', set('@context'), ['string', {}, null, undefined, 10, true]],
    [
      '"@context" items are not strings or objects.',
      '@context',
      setList('@context'),
      [[], null, undefined, 10, true],
    ],
    ['"type" is not an array.', 'type', set('type'), ['string', {}, null, undefined, 10, true]],
    ['"type" items are not strings.', 'type', setList('type'), [[], {}, null, undefined, 10, true]],
    ['"issuer" is not an object or a string.', 'issuer', set('issuer'), [[], null, undefined, 10, true]],
    [
      '"credentialSubject" is not an object.',
      'credentialSubject',
      set('credentialSubject'),
      ['string', null, undefined, 10, true, []],
    ],
    ['"proof" is not an object.', 'proof', set('proof'), ['string', null, undefined, 10, true, []]],
  ];
  for (const [title, property, change, values] of wrongKinds) {
    test(`${SUITE} "MUST not verify if ${title}": each wrong value answers 400 naming ${property}`, async () => {
      for (const value of values) {
        await assertRefused(
          changed(change(value)),
          `${property} = ${String(JSON.stringify(value))}`,
          `verifiableCredential.${property}`,
        );
      }
    });
  }

  test(`${SUITE}, beyond the suite: the issued credential changed after signing answers 422, not 400`, async () => {
    const response = await post(
      changed((copy) => Object.assign(copy, { credentialSubject: { id: 'did:example:other' } })),
    );
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(response.json().verified, false);
  });
});

function set(property: string) {
  return (value: unknown) => (copy: Json) => Object.assign(copy, { [property]: value });
}

function setList(property: string) {
  return (value: unknown) => (copy: Json) => Object.assign(copy, { [property]: [value] });
}
