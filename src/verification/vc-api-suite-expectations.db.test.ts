import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { postAsVerifierSuite } from '../../test/support/verify-api.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { newDidKeySigningKey } from '../credentials/test-fixtures.ts';
import { aClr, anEndorsement, signedBy } from './credential-kind-fixtures.ts';

// What the W3C CCG VC-API verifier suite (w3c-ccg/vc-api-verifier-test-suite, tests/10-vc-di.js) asks of
// POST /credentials/verify, checked here against our own credentials: 200 for a valid credential sent as
// { verifiableCredential, options: { checks: ['proof'] } }, and 400 (not 422, not 500) for each malformed one.

type Problem = { errors: { field: string; reason: string }[] };
type Json = Record<string, unknown>;

describe(`the VC-API verifier answers as the W3C VC-API verifier suite expects, on ${testBackend}`, () => {
  let app: TestApp;
  let key: SigningKey;
  let valid: Json;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const admin = await aStaffMember(app, 'admin');
    key = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: key.did, name: 'Harbour Industry Panel' });
    valid = await signedBy(
      anEndorsement(key.did, 'https://college.example/achievements/rigging', 'Safe and thorough.'),
      key,
    );
  });
  after(() => app.close());

  const post = (verifiableCredential: unknown) => postAsVerifierSuite(app, verifiableCredential);

  /** A copy of the valid credential with `change` made to it (a property set, or removed when undefined). */
  const changed = (change: (copy: Json) => void): Json => {
    const copy = structuredClone(valid);
    change(copy);
    return JSON.parse(JSON.stringify(copy));
  };
  const proofOf = (copy: Json) => copy.proof as Json;

  test('a valid credential, with the options the suite sends, answers 200 verified', async () => {
    const response = await post(valid);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().verified, true);
  });

  test('a credential missing a property the suite removes answers 400 naming it', async () => {
    const cases: [string, (copy: Json) => void, string][] = [
      ['@context', (copy) => delete copy['@context'], 'verifiableCredential.@context'],
      ['type', (copy) => delete copy.type, 'verifiableCredential.type'],
      ['issuer', (copy) => delete copy.issuer, 'verifiableCredential.issuer'],
      [
        'credentialSubject',
        (copy) => delete copy.credentialSubject,
        'verifiableCredential.credentialSubject',
      ],
      ['proof', (copy) => delete copy.proof, 'verifiableCredential.proof'],
      ['proof.type', (copy) => delete proofOf(copy).type, 'verifiableCredential.proof.type'],
      [
        'proof.verificationMethod',
        (copy) => delete proofOf(copy).verificationMethod,
        'verifiableCredential.proof.verificationMethod',
      ],
      [
        'proof.proofValue',
        (copy) => delete proofOf(copy).proofValue,
        'verifiableCredential.proof.proofValue',
      ],
      [
        'proof.proofPurpose',
        (copy) => delete proofOf(copy).proofPurpose,
        'verifiableCredential.proof.proofPurpose',
      ],
    ];
    for (const [what, change, field] of cases) {
      const response = await post(changed(change));
      assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
      const fields = (response.json() as Problem).errors.map((error) => error.field);
      assert.ok(fields.includes(field), `${what}: ${fields.join(', ')}`);
    }
  });

  test('a property of the wrong kind answers 400, whatever the wrong value', async () => {
    const wrong: [string, unknown[]][] = [
      ['@context', ['string', {}, null, 10, true, [[]], [{}], [null], [10], [true]]],
      ['type', ['string', {}, null, 10, true, [[]], [{}], [null], [10], [true]]],
      ['issuer', [[], null, 10, true, '', {}]],
      ['credentialSubject', ['string', null, 10, true, []]],
      ['proof', ['string', null, 10, true, []]],
    ];
    for (const [property, values] of wrong) {
      for (const value of values) {
        const response = await post(changed((copy) => Object.assign(copy, { [property]: value })));
        assert.equal(response.statusCode, 400, `${property} = ${JSON.stringify(value)}: ${response.body}`);
        const fields = (response.json() as Problem).errors.map((error) => error.field);
        assert.ok(fields.includes(`verifiableCredential.${property}`), `${property}: ${fields.join(', ')}`);
      }
    }
  });

  test('what VC 2.0 allows stays allowed: a list of proofs or subjects, an issuer URL, a proof without created', async () => {
    const allowed: [string, Json][] = [
      ['a list of one proof', changed((copy) => Object.assign(copy, { proof: [copy.proof] }))],
      [
        'a proof without created (Data Integrity makes it optional)',
        changed((copy) => delete proofOf(copy).created),
      ],
      ['an issuer given as its URL alone', changed((copy) => Object.assign(copy, { issuer: key.did }))],
      [
        'a list of subjects',
        changed((copy) => Object.assign(copy, { credentialSubject: [copy.credentialSubject] })),
      ],
    ];
    for (const [what, credential] of allowed) {
      const response = await post(credential);
      assert.notEqual(response.statusCode, 400, `${what}: ${response.body}`);
    }
    // A well-formed CLR is judged, not refused.
    const clr = await signedBy(aClr(key.did, ['Rigging']), key);
    const response = await post(clr);
    assert.equal(response.statusCode, 200, response.body);
  });

  test('a well-formed credential that does not hold up answers 422 with its reasons, not 400', async () => {
    const response = await post(changed((copy) => Object.assign(copy, { name: 'Another endorsement' })));
    assert.equal(response.statusCode, 422, response.body);
    const answer = response.json() as { verified: boolean; errors: { check: string }[] };
    assert.equal(answer.verified, false);
    assert.ok(answer.errors.some((error) => error.check === 'proof'));
  });

  test('an Ed25519Signature2020 proof must carry created, as its specification requires', async () => {
    const older = changed((copy) => {
      const proof = proofOf(copy);
      proof.type = 'Ed25519Signature2020';
      delete proof.cryptosuite;
      delete proof.created;
    });
    const response = await post(older);
    assert.equal(response.statusCode, 400, response.body);
    const fields = (response.json() as Problem).errors.map((error) => error.field);
    assert.deepEqual(fields, ['verifiableCredential.proof.created']);
  });

  test('the credential itself as application/vc is held to the same shape', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      headers: { 'content-type': 'application/vc' },
      payload: JSON.stringify(changed((copy) => delete copy.issuer)),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal((response.json() as Problem).errors[0]?.field, 'body.issuer');
  });
});
