import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openSealedSecret } from '../platform/sealed-secret.ts';
import {
  decryptPrivateKey,
  didDocumentFor,
  didKeyFor,
  didWebDocumentUrl,
  didWebFor,
  encryptPrivateKey,
  generateIssuerKeyPair,
} from './issuer-keys.ts';

const SECRET = 'a-long-enough-app-secret-for-tests';

describe('issuer keys', () => {
  test('generates distinct Ed25519 Multikey pairs', async () => {
    const [first, second] = await Promise.all([generateIssuerKeyPair(), generateIssuerKeyPair()]);
    assert.match(first.publicKeyMultibase, /^z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
    assert.match(first.secretKeyMultibase, /^z[1-9A-HJ-NP-Za-km-z]+$/);
    assert.notEqual(first.publicKeyMultibase, second.publicKeyMultibase);
  });

  test('didKeyFor prefixes the multibase and rejects non-Ed25519 keys', () => {
    assert.equal(didKeyFor('z6MkabcDEF'), 'did:key:z6MkabcDEF');
    assert.throws(() => didKeyFor('zDnaeabc'), /Ed25519/);
  });
});

describe('did:web identifiers', () => {
  const cases: [string, string][] = [
    ['https://example.edu', 'did:web:example.edu'],
    ['https://example.edu/', 'did:web:example.edu'],
    ['https://Example.EDU/badges/issuer/', 'did:web:example.edu:badges:issuer'],
    ['https://example.edu:8443/badges', 'did:web:example.edu%3A8443:badges'],
    ['http://localhost:3000', 'did:web:localhost%3A3000'],
  ];
  for (const [url, did] of cases) {
    test(`${url} → ${did}`, () => assert.equal(didWebFor(url), did));
  }

  test('rejects addresses that are not web addresses', () => {
    assert.throws(() => didWebFor('ftp://example.edu'), /web address/);
  });

  test('maps a did:web back to where its document is published', () => {
    assert.equal(didWebDocumentUrl('did:web:example.edu'), 'https://example.edu/.well-known/did.json');
    assert.equal(
      didWebDocumentUrl('did:web:example.edu%3A8443:badges:issuer'),
      'https://example.edu:8443/badges/issuer/did.json',
    );
    assert.throws(() => didWebDocumentUrl('did:key:z6Mkabc'), /did:web/);
  });
});

describe('DID documents', () => {
  test('lists every key, current and rotated, for verification and assertion', () => {
    const did = 'did:web:example.edu';
    const document = didDocumentFor(did, [
      { keyId: 'key-2025', publicKeyMultibase: 'z6MkOld' },
      { keyId: 'key-2026', publicKeyMultibase: 'z6MkNew' },
    ]);
    assert.deepEqual(document, {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#key-2025`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkOld' },
        { id: `${did}#key-2026`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkNew' },
      ],
      assertionMethod: [`${did}#key-2025`, `${did}#key-2026`],
    });
  });
});

describe('private key encryption', () => {
  test('round-trips and never repeats the sealed text', () => {
    const sealedOnce = encryptPrivateKey(SECRET, 'zSecretKeyMultibase');
    const sealedTwice = encryptPrivateKey(SECRET, 'zSecretKeyMultibase');
    assert.notEqual(sealedOnce, sealedTwice);
    assert.ok(!sealedOnce.includes('zSecretKeyMultibase'));
    assert.equal(decryptPrivateKey(SECRET, sealedOnce), 'zSecretKeyMultibase');
    assert.equal(decryptPrivateKey(SECRET, sealedTwice), 'zSecretKeyMultibase');
  });

  test('refuses the wrong secret and altered text', () => {
    const sealed = encryptPrivateKey(SECRET, 'zSecretKeyMultibase');
    assert.throws(() => decryptPrivateKey(`${SECRET}-other`, sealed), /could not be opened/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    assert.throws(() => decryptPrivateKey(SECRET, parts.join('.')), /could not be opened/);
    assert.throws(() => decryptPrivateKey(SECRET, 'v0.abc'), /format/);
  });

  test('opens a key sealed in the first format (v1), as installations and their backups hold them', () => {
    // Sealed by the code that wrote v1, before platform/sealed-secret.ts sealed every secret.
    const firstFormat =
      'v1.XkwOfvcX6iJ9gDktWVD2UQ.lpki4zoavODHaat1.ZS67kUPi4FGj0Sy_ViMk2Q.UU8RK6qg8E-141ZxJZ_VPh4BxhAzspYIC5aXg5YAEm0';
    const secret = 'a-test-secret-of-enough-length';
    assert.equal(decryptPrivateKey(secret, firstFormat), 'zSealedBeforeSealedSecretExisted');
    assert.throws(() => decryptPrivateKey(`${secret}-other`, firstFormat), /could not be opened/);
    // New keys are sealed in the one format every secret uses, and v1 is no way in for any other purpose.
    assert.match(encryptPrivateKey(secret, 'zKey'), /^s1\./);
    assert.throws(() => openSealedSecret(secret, 'client secret', firstFormat), /format/);
  });

  test('refuses a short app secret', () => {
    assert.throws(() => encryptPrivateKey('short', 'zKey'), /at least 16/);
  });
});
