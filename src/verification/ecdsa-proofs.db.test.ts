import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import * as vc from '@digitalcredentials/vc';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aStaffMember } from '../../test/support/builders.ts';
import { type HttpsIssuer, startAppWithIssuer } from '../../test/support/https-issuer.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { verifyThroughApi } from '../../test/support/verify-api.ts';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { createDocumentLoader, type DocumentLoader } from '../credentials/document-loader.ts';
import { didWebFor } from '../credentials/issuer-keys.ts';
import { sampleBadgeInput } from '../credentials/test-fixtures.ts';

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';

/**
 * Another issuer's ECDSA key (P-256 unless said), made fresh, under a did:key, or under a given did:web or https
 * controller with a named key.
 */
async function p256Key(did?: string, curve: 'P-256' | 'P-384' = 'P-256') {
  const key = await EcdsaMultikey.generate({ curve });
  const controller = did ?? `did:key:${key.publicKeyMultibase}`;
  key.controller = controller;
  key.id = did
    ? `${did}#key-${curve === 'P-256' ? 'p256' : 'p384'}`
    : `${controller}#${key.publicKeyMultibase}`;
  const method = await key.export({ publicKey: true, includeContext: true });
  const { '@context': _context, ...listed } = method;
  const didDocument = {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: controller,
    verificationMethod: [listed],
    assertionMethod: [key.id],
  };
  return { key, did: controller, method, didDocument };
}
type P256Key = Awaited<ReturnType<typeof p256Key>>;

/** The signer's own loader, as their software would have: our bundled contexts plus their own keys. */
function signersLoader(signer: P256Key): DocumentLoader {
  const contexts = createDocumentLoader();
  return async (url) => {
    if (url === signer.key.id) return { contextUrl: null, documentUrl: url, document: signer.method };
    if (url === signer.did) return { contextUrl: null, documentUrl: url, document: signer.didDocument };
    return contexts(url);
  };
}

const badgeBy = (did: string) =>
  buildOpenBadgeCredential(sampleBadgeInput(did, { status: undefined })) as unknown as Record<
    string,
    unknown
  >;

/** Signs as another issuer's software would, with an ecdsa-rdfc-2019 Data Integrity proof. */
function signRdfc(credential: object, signer: P256Key) {
  const suite = new DataIntegrityProof({ signer: signer.key.signer(), cryptosuite: ecdsaRdfc2019 });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: signersLoader(signer) });
}

/** An ecdsa-sd-2023 base proof (issuer to holder), and the derived credential a holder would show a verifier. */
async function signSd(credential: object, signer: P256Key, disclose: string[]) {
  const documentLoader = signersLoader(signer);
  const base = await vc.issue({
    credential: structuredClone(credential),
    suite: new DataIntegrityProof({
      signer: signer.key.signer(),
      cryptosuite: ecdsaSd2023.createSignCryptosuite({ mandatoryPointers: ['/issuer'] }),
    }),
    documentLoader,
  });
  const derived = await vc.derive({
    verifiableCredential: base,
    suite: new DataIntegrityProof({
      cryptosuite: ecdsaSd2023.createDiscloseCryptosuite({ selectivePointers: disclose }),
    }),
    documentLoader,
  });
  return { base, derived };
}

/**
 * Issue 16: credentials other issuers sign with P-256 keys under the W3C ECDSA cryptosuites (ecdsa-rdfc-2019, and
 * ecdsa-sd-2023 in its derived form) are verified by the VC-API and the public page; changed ones are not, with the
 * reason.
 */
describe(`ECDSA Data Integrity proofs of other issuers on ${testBackend}`, () => {
  let app: TestApp;
  let site: HttpsIssuer;
  let browser: BrowserSession;
  let known: P256Key;

  before(async () => {
    ({ site, app } = await startAppWithIssuer());
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
    known = await p256Key();
    const admin = await aStaffMember(app, 'admin');
    await app.services.trustedIssuers.addIssuer(admin, { did: known.did, name: 'Harbour Skills Board' });
    browser = new BrowserSession(app);
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  const verify = (credential: unknown) => verifyThroughApi(app, credential);
  const pageVerdict = async (credential: unknown) => {
    const response = await browser.postForm('/verify', { text: JSON.stringify(credential) });
    return { status: response.statusCode, html: response.body };
  };
  const heading = (html: string) => /<h2 id="result-heading">([^<]+)<\/h2>/.exec(html)?.[1];

  test('an Open Badge signed with ecdsa-rdfc-2019 by a P-256 did:key verifies on the API and the page', async () => {
    const signed = await signRdfc(badgeBy(known.did), known);
    const { status, answer, proof } = await verify(signed);
    assert.equal(status, 200, proof.message);
    assert.equal(answer.verified, true);
    assert.equal(answer.trusted, true, 'an administrator trusts this issuer');
    assert.match(proof.message, /ecdsa-rdfc-2019 signature is valid/);
    assert.equal(answer.issuerTrust.signer, known.did);
    const page = await pageVerdict(signed);
    assert.equal(page.status, 200);
    assert.equal(heading(page.html), 'Verified');
  });

  test('a changed ecdsa-rdfc-2019 badge is not verified, on the API and the page, and says why', async () => {
    const signed = await signRdfc(badgeBy(known.did), known);
    const changed = { ...signed, name: 'Data Analysis Mastery' };
    const { status, answer, proof } = await verify(changed);
    assert.equal(status, 422);
    assert.equal(answer.verified, false);
    assert.equal(proof.status, 'failed');
    assert.match(proof.message, /changed after it was signed/);
    assert.ok(answer.errors.some((error) => error.check === 'proof'));
    const page = await pageVerdict(changed);
    assert.equal(heading(page.html), 'Not verified');
    assert.match(page.html, /changed after it was signed/);
  });

  test('a signature by another P-256 key than the one the proof names fails', async () => {
    const impostor = await p256Key();
    const signed = (await signRdfc(badgeBy(known.did), impostor)) as { proof: Record<string, unknown> };
    const proofs = Array.isArray(signed.proof) ? signed.proof : [signed.proof];
    const named = { ...signed, proof: proofs.map((p) => ({ ...p, verificationMethod: known.key.id })) };
    const { status, proof } = await verify(named);
    assert.equal(status, 422);
    assert.match(proof.message, /changed after it was signed, or signed with another key/);
  });

  test('a did:web issuer with a P-256 Multikey on its HTTPS site verifies', async () => {
    const did = didWebFor(site.origin);
    const signer = await p256Key(did);
    site.serve('/.well-known/did.json', signer.didDocument);
    const { status, answer, proof } = await verify(await signRdfc(badgeBy(did), signer));
    assert.equal(status, 200, proof.message);
    assert.equal(answer.issuerTrust.signer, did);
    assert.equal(answer.trusted, false, 'nobody here knows this issuer');
  });

  test('a badge signed with ecdsa-rdfc-2019 by a P-384 did:key verifies on the API and the page', async () => {
    const signer = await p256Key(undefined, 'P-384');
    assert.match(signer.did, /^did:key:z82/);
    const signed = await signRdfc(badgeBy(signer.did), signer);
    const { status, answer, proof } = await verify(signed);
    assert.equal(status, 200, proof.message);
    assert.match(proof.message, /ecdsa-rdfc-2019 signature is valid/);
    assert.equal(answer.issuerTrust.signer, signer.did);
    const page = await pageVerdict(signed);
    assert.equal(page.status, 200);
    assert.equal(heading(page.html), 'Signature valid, issuer not known');
  });

  test('a changed P-384 badge, and one whose proof names the P-384 key of another, fail with the reason', async () => {
    const signer = await p256Key(undefined, 'P-384');
    const signed = await signRdfc(badgeBy(signer.did), signer);
    const changed = await verify({ ...signed, name: 'Data Analysis Mastery' });
    assert.equal(changed.status, 422);
    assert.equal(changed.answer.verified, false);
    assert.match(changed.proof.message, /changed after it was signed/);
    const impostor = await p256Key(undefined, 'P-384');
    const forged = (await signRdfc(badgeBy(signer.did), impostor)) as { proof: Record<string, unknown> };
    const proofs = Array.isArray(forged.proof) ? forged.proof : [forged.proof];
    const named = await verify({
      ...forged,
      proof: proofs.map((p) => ({ ...p, verificationMethod: signer.key.id })),
    });
    assert.equal(named.status, 422);
    assert.match(named.proof.message, /signed with another key/);
  });

  test('a did:web issuer (with a path) and a P-384 Multikey in its DID document verifies', async () => {
    const did = didWebFor(`${site.origin}/issuers/dw384`);
    const signer = await p256Key(did, 'P-384');
    site.serve('/issuers/dw384/did.json', signer.didDocument);
    const { status, answer, proof } = await verify(await signRdfc(badgeBy(did), signer));
    assert.equal(status, 200, proof.message);
    assert.equal(answer.issuerTrust.signer, did);
  });

  test('an issuer at an https address with a P-384 Multikey there (OB 3.0 §8) verifies', async () => {
    const issuerId = `${site.origin}/issuers/p384`;
    const signer = await p256Key(issuerId, 'P-384');
    site.serve('/issuers/p384', signer.didDocument);
    const { status, answer, proof } = await verify(await signRdfc(badgeBy(issuerId), signer));
    assert.equal(status, 200, proof.message);
    assert.equal(answer.issuerTrust.signer, issuerId);
  });

  test('an ecdsa-sd-2023 credential in its derived form verifies, showing only what was disclosed', async () => {
    const disclose = ['/id', '/type', '/name', '/validFrom', '/credentialSubject'];
    const { derived } = await signSd(badgeBy(known.did), known, disclose);
    assert.equal('description' in derived, false, 'the description was not disclosed');
    const { status, answer, proof } = await verify(derived);
    assert.equal(status, 200, JSON.stringify(answer.errors));
    assert.match(proof.message, /ecdsa-sd-2023 signature is valid/);
    const page = await pageVerdict(derived);
    assert.equal(heading(page.html), 'Verified');
  });

  test('a changed derived ecdsa-sd-2023 credential, and a base proof, are not verified', async () => {
    const disclose = ['/id', '/type', '/name', '/validFrom', '/credentialSubject'];
    const { base, derived } = await signSd(badgeBy(known.did), known, disclose);
    const changed = await verify({ ...derived, name: 'Data Analysis Mastery' });
    assert.equal(changed.status, 422);
    assert.match(changed.proof.message, /changed after it was signed/);
    // The base proof is the issuer's message to the holder; a verifier is shown only derived proofs.
    const baseProof = await verify(base);
    assert.equal(baseProof.status, 422);
    assert.equal(baseProof.proof.status, 'failed');
    assert.match(baseProof.proof.message, /base proof, which an issuer gives only to the holder/);
  });
});
