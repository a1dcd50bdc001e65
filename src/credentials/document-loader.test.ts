import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { createDocumentLoader } from './document-loader.ts';
import { didDocumentFor } from './issuer-keys.ts';

const MULTIBASE = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const contextFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../standards/contexts/${name}`, import.meta.url), 'utf8'));

describe('document loader', () => {
  const load = createDocumentLoader();

  test('serves the repository copies of the badge contexts', async () => {
    const cases: [string, string][] = [
      ['https://www.w3.org/ns/credentials/v2', 'credentials-v2.jsonld'],
      ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob-v3p0-3.0.3.json'],
      ['https://purl.imsglobal.org/spec/ob/v3p0/extensions.json', 'ob-v3p0-extensions.json'],
      ['https://w3id.org/security/data-integrity/v1', 'data-integrity-v1.jsonld'],
    ];
    for (const [url, file] of cases) {
      const result = await load(url);
      assert.equal(result.documentUrl, url);
      assert.deepEqual(result.document, contextFile(file));
    }
  });

  test('serves contexts bundled by security-document-loader', async () => {
    for (const url of ['https://w3id.org/security/suites/ed25519-2020/v1', 'https://www.w3.org/ns/did/v1']) {
      const { document } = await load(url);
      assert.ok(typeof document === 'object' && document !== null && '@context' in document, url);
    }
  });

  test('refuses any other address without fetching it', async () => {
    await assert.rejects(load('https://evil.example/context.json'), /never fetches/);
    await assert.rejects(load('did:example:123'), /Unsupported DID method/);
  });

  test('derives did:key documents and keys from the key itself', async () => {
    const did = `did:key:${MULTIBASE}`;
    const { document } = await load(did);
    const key = `${did}#${MULTIBASE}`;
    // The did:key method lists its one key under every verification relationship.
    assert.deepEqual(document, {
      ...didDocumentFor(did, [{ keyId: MULTIBASE, publicKeyMultibase: MULTIBASE }]),
      authentication: [key],
      capabilityInvocation: [key],
      capabilityDelegation: [key],
    });
    const { document: method } = await load(`${did}#${MULTIBASE}`);
    assert.deepEqual(method, {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: `${did}#${MULTIBASE}`,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: MULTIBASE,
    });
    await assert.rejects(load(`${did}#other`), /Unknown key/);
    await assert.rejects(load('did:key:z6MkNotAKey0OIl'));
  });

  test('resolves did:web through the hook, including relative key ids', async () => {
    const did = 'did:web:example.edu';
    const calls: string[] = [];
    const withHook = createDocumentLoader({
      resolveDidWeb: async (asked) => {
        calls.push(asked);
        return asked === did
          ? {
              '@context': ['https://www.w3.org/ns/did/v1'],
              id: did,
              verificationMethod: [{ id: '#key-1', type: 'Multikey', publicKeyMultibase: MULTIBASE }],
              assertionMethod: ['#key-1'],
            }
          : null;
      },
    });
    const { document: method } = await withHook(`${did}#key-1`);
    assert.deepEqual(method, {
      '@context': 'https://w3id.org/security/multikey/v1',
      controller: did,
      id: `${did}#key-1`,
      type: 'Multikey',
      publicKeyMultibase: MULTIBASE,
    });
    await withHook(did);
    assert.deepEqual(calls, [did], 'the document is resolved once per loader');
    await assert.rejects(withHook(`${did}#key-9`), /has no key/);
    await assert.rejects(withHook('did:web:other.example'), /could not be resolved/);
    await assert.rejects(load(did), /could not be resolved/);
  });
});

describe("did:key for other issuers' P-256 and P-384 keys", () => {
  const load = createDocumentLoader();

  for (const [curve, prefix] of [
    ['P-256', /^zDn/],
    ['P-384', /^z82/],
  ] as const) {
    test(`a ${curve} did:key is derived like an Ed25519 one, its key a Multikey`, async () => {
      const { publicKeyMultibase } = await EcdsaMultikey.generate({ curve });
      assert.match(publicKeyMultibase, prefix);
      const did = `did:key:${publicKeyMultibase}`;
      const { document } = await load(did);
      assert.deepEqual((document as { assertionMethod: string[] }).assertionMethod, [
        `${did}#${publicKeyMultibase}`,
      ]);
      const { document: method } = await load(`${did}#${publicKeyMultibase}`);
      assert.deepEqual(method, {
        '@context': 'https://w3id.org/security/multikey/v1',
        id: `${did}#${publicKeyMultibase}`,
        type: 'Multikey',
        controller: did,
        publicKeyMultibase,
      });
    });
  }

  test('a P-521 did:key and damaged P-256 and P-384 ones are refused', async () => {
    const { publicKeyMultibase } = await EcdsaMultikey.generate({ curve: 'P-521' });
    await assert.rejects(load(`did:key:${publicKeyMultibase}`), /Only Ed25519, P-256 and P-384/);
    await assert.rejects(load('did:key:zDnaeNotAKey'));
    await assert.rejects(load('did:key:z82LkNotAKey'));
  });
});
