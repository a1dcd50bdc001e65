import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as vc from '@digitalcredentials/vc';
import { SignJWT } from 'jose';
import { anInstitution, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { buildOpenBadgeCredential } from '../credentials/build-credential.ts';
import { eddsaJwtKey, envelopeJwt, jwtClaimsFor, jwtHeaderFor } from '../credentials/credential-jwt.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../credentials/local-contexts.ts';
import { prepareSigner } from '../credentials/prepared-signer.ts';
import { newDidKeySigningKey, sampleBadgeInput } from '../credentials/test-fixtures.ts';

type Answer = {
  verified: boolean;
  trusted: boolean;
  issuerTrust: { level: string; signer: string | null };
  warnings: { check: string; message: string; type?: string }[];
  errors: { check: string; message: string }[];
  details: { id: string; status: string; message: string }[];
};

/** Signs any credential (not only an Open Badge) the way another issuer's software would. */
async function signed(credential: object, key: SigningKey): Promise<Record<string, unknown>> {
  const { suite } = await prepareSigner(key);
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: createDocumentLoader() });
}

const endorsementBy = (did: string) => ({
  '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
  id: 'urn:uuid:0d6f4b8e-55a4-4a0c-9d4e-7a1f8b9c2e31',
  type: ['VerifiableCredential', 'EndorsementCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Regional Data Council' },
  validFrom: '2026-01-01T00:00:00Z',
  name: 'Endorsement of Data Analysis Foundations',
  credentialSubject: {
    id: 'https://northfield.example/achievements/data-analysis-foundations',
    type: ['EndorsementSubject'],
    endorsementComment: 'Meets the council’s standard for entry-level analysts.',
  },
});

describe(`the VC-API verifier on ${testBackend}`, () => {
  let app: TestApp;
  let known: SigningKey;
  let endorsement: Record<string, unknown>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    const admin = await aStaffMember(app, 'admin');
    known = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: known.did, name: 'Regional Data Council' });
    endorsement = await signed(endorsementBy(known.did), known);
  });
  after(() => app.close());

  const verify = (payload: unknown, contentType?: string) =>
    app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: payload as string,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
    });

  test('an EndorsementCredential from a known issuer verifies with 200, checked against its OB 3.0 schema', async () => {
    const response = await verify({ verifiableCredential: endorsement });
    assert.equal(response.statusCode, 200, response.body);
    const answer = response.json() as Answer;
    assert.equal(answer.verified, true);
    assert.match(answer.details[0]?.message ?? '', /An endorsement \(Open Badges 3\.0\)/);
    const schema = answer.details.find((check) => check.id === 'schema');
    assert.equal(schema?.status, 'passed');
    assert.match(schema?.message ?? '', /EndorsementCredential schema/);
  });

  test('a signed endorsement that breaks the EndorsementCredential schema answers 422 naming the field', async () => {
    // Signed as it is: the signature holds, but OB 3.0 requires an endorsement to have a name.
    const { name: _name, ...nameless } = endorsementBy(known.did);
    const response = await verify({ verifiableCredential: await signed(nameless, known) });
    assert.equal(response.statusCode, 422, response.body);
    const answer = response.json() as Answer;
    assert.equal(answer.details.find((check) => check.id === 'proof')?.status, 'passed');
    assert.deepEqual(
      answer.errors.map(({ check }) => check),
      ['schema'],
    );
    assert.match(
      answer.errors[0]?.message ?? '',
      /does not follow the Open Badges 3\.0 EndorsementCredential schema: name/,
    );
  });

  test('the credential itself is accepted as application/vc', async () => {
    const response = await verify(JSON.stringify(endorsement), 'application/vc');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal((response.json() as Answer).verified, true);
  });

  test('a changed credential answers 422 with the signature problem in errors', async () => {
    const response = await verify({ verifiableCredential: { ...endorsement, name: 'Something else' } });
    assert.equal(response.statusCode, 422, response.body);
    const answer = response.json() as Answer;
    assert.equal(answer.verified, false);
    assert.deepEqual(
      answer.errors.map((error) => error.check),
      ['proof'],
    );
  });

  test('an unknown cryptosuite answers 422 with a reason, never an empty errors list', async () => {
    const proof = { ...(endorsement.proof as object), cryptosuite: 'eddsa-2022' };
    const response = await verify({ verifiableCredential: { ...endorsement, proof } });
    assert.equal(response.statusCode, 422, response.body);
    const [error] = (response.json() as Answer).errors;
    assert.equal(error?.check, 'proof');
    assert.match(error?.message ?? '', /unsupported cryptosuite or proof type eddsa-2022/);
  });

  test('a valid signature by an issuer nobody here knows is verified, with the untrusted issuer reported apart', async () => {
    const stranger = await newDidKeySigningKey();
    const response = await verify({
      verifiableCredential: await signed(endorsementBy(stranger.did), stranger),
    });
    assert.equal(response.statusCode, 200, response.body);
    const answer = response.json() as Answer;
    assert.equal(answer.verified, true, 'VC 2.0: proof, dates and status hold');
    assert.deepEqual(answer.errors, []);
    assert.equal(answer.trusted, false);
    assert.equal(answer.issuerTrust.level, 'unknown');
    assert.equal(answer.issuerTrust.signer, stranger.did);
    const [warning] = answer.warnings;
    assert.equal(warning?.type, 'UntrustedIssuer');
    assert.equal(warning?.check, 'issuer');
    assert.match(warning?.message ?? '', new RegExp(`${stranger.did}, which is not a known issuer`));
  });

  test('a credential from a known issuer is trusted, with no trust warning', async () => {
    const answer = (await verify({ verifiableCredential: endorsement })).json() as Answer;
    assert.equal(answer.trusted, true);
    assert.equal(answer.issuerTrust.level, 'known');
    assert.deepEqual(answer.warnings, []);
  });

  test('a signature that vouches for another issuer than the one named is not verified', async () => {
    const stranger = await newDidKeySigningKey();
    // Signed by a stranger's key, but naming the known issuer as its issuer.
    const claimed = { ...endorsementBy(stranger.did), issuer: { ...endorsementBy(known.did).issuer } };
    const response = await verify({ verifiableCredential: await signed(claimed, stranger) });
    assert.equal(response.statusCode, 422, response.body);
    const answer = response.json() as Answer;
    assert.equal(answer.verified, false);
    assert.equal(answer.trusted, false);
    // The key must belong to the issuer the credential names: the proof check refuses it first.
    assert.ok(answer.errors.length > 0, response.body);
  });

  test('a VC-JWT whose credential fails the OB 3.0 schema answers 422 with the schema problem', async () => {
    const badge = buildOpenBadgeCredential(sampleBadgeInput(known.did, { status: undefined }));
    const { achievement: _left, ...subject } = badge.credentialSubject;
    const jwtKey = await eddsaJwtKey(known);
    const jwt = await new SignJWT({ ...jwtClaimsFor(badge), ...badge, credentialSubject: subject })
      .setProtectedHeader(jwtHeaderFor(jwtKey))
      .sign(jwtKey.privateJwk as Parameters<SignJWT['sign']>[0]);
    for (const verifiableCredential of [jwt, envelopeJwt(jwt)]) {
      const response = await verify({ verifiableCredential });
      assert.equal(response.statusCode, 422, response.body);
      const answer = response.json() as Answer;
      assert.equal(answer.verified, false);
      assert.deepEqual(
        answer.errors.map((error) => error.check),
        ['schema'],
      );
      assert.equal(answer.details.find((check) => check.id === 'proof')?.status, 'passed');
    }
  });

  test('something that is no credential answers 400 naming the field', async () => {
    const response = await verify({ verifiableCredential: { hello: 'world' } });
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json() as { errors: { field: string; reason: string }[] };
    // Each missing part of a verifiable credential is named (tests in vc-api-suite-expectations.db.test.ts).
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      [
        'verifiableCredential.@context',
        'verifiableCredential.type',
        'verifiableCredential.issuer',
        'verifiableCredential.credentialSubject',
        'verifiableCredential.proof',
      ],
    );
    assert.match(problem.errors[0]?.reason ?? '', /must be a list of contexts/);
  });

  test('the OpenAPI document states the status codes the VC-API routes answer with', async () => {
    const spec = (await app.http.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    assert.deepEqual(Object.keys(spec.paths['/credentials/verify']?.post?.responses ?? {}).sort(), [
      '200',
      '400',
      '422',
    ]);
    assert.deepEqual(Object.keys(spec.paths['/credentials/issue']?.post?.responses ?? {}), ['201']);
  });
});
