import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsigs from '@digitalcredentials/jsonld-signatures';
import * as vc from '@digitalcredentials/vc';
import { anIssuedBadge, aStaffMember } from '../../test/support/builders.ts';
import { type HttpsIssuer, startAppWithIssuer } from '../../test/support/https-issuer.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { didDocumentFor } from '../credentials/issuer-keys.ts';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../credentials/local-contexts.ts';
import { prepareSigner } from '../credentials/prepared-signer.ts';
import { newDidKeySigningKey, newDidWebSigningKey } from '../credentials/test-fixtures.ts';

type Answer = {
  verified: boolean;
  presentationResult: {
    verified: boolean;
    proofless: boolean;
    signer: string | null;
    checks: { id: string; status: string; message: string }[];
  };
  credentialResults: { verified: boolean; errors: { check: string; message: string }[] }[];
  errors: { path: string; check: string; message: string }[];
  verifiablePresentation?: unknown;
};

const loader = createDocumentLoader();
const CHALLENGE = 'c0ffee-7d1e-4b55-9a0e-presentations';
const DOMAIN = 'verifier.example';

/** Signs any credential the way another issuer's software would. */
async function signed(credential: object, key: SigningKey): Promise<Record<string, unknown>> {
  const { suite } = await prepareSigner(key);
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: loader });
}

const endorsementBy = (did: string) => ({
  '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
  id: 'urn:uuid:6a0f2c1e-8e0b-4d8e-a0c4-3b4f0e9d7a12',
  type: ['VerifiableCredential', 'EndorsementCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Coastal Skills Board' },
  validFrom: '2026-01-01T00:00:00Z',
  name: 'Endorsement of a data programme',
  credentialSubject: {
    id: 'https://university.example/achievements/data',
    type: ['EndorsementSubject'],
    endorsementComment: 'Prepares people well for analyst roles.',
  },
});

const unsignedPresentation = (holder: string, credentials: object[]) => ({
  '@context': [VC_V2_CONTEXT],
  type: ['VerifiablePresentation'],
  holder,
  verifiableCredential: credentials,
});

/** A presentation signed by its holder with an eddsa-rdfc-2022 proof, as a wallet makes one. */
async function presentation(
  holder: SigningKey,
  credentials: object[],
  proof: { challenge?: string; domain?: string; purpose?: object; holderId?: string } = {},
) {
  const { suite } = await prepareSigner(holder);
  return vc.signPresentation({
    presentation: unsignedPresentation(proof.holderId ?? holder.did, structuredClone(credentials)),
    suite,
    documentLoader: loader,
    challenge: proof.challenge ?? CHALLENGE,
    domain: proof.domain ?? DOMAIN,
    ...(proof.purpose ? { purpose: proof.purpose } : {}),
  });
}

describe(`POST /presentations/verify on ${testBackend}`, () => {
  let app: TestApp;
  let holder: SigningKey;
  let ours: object;
  let theirs: Record<string, unknown>;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const admin = await aStaffMember(app, 'admin');
    const { credentialId } = await anIssuedBadge(app, { issuer: admin });
    const row = await app.services.credentials.findPublic(credentialId);
    assert.ok(row, 'the issued badge is public');
    ours = row.json as object;
    const board = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: board.did, name: 'Coastal Skills Board' });
    theirs = await signed(endorsementBy(board.did), board);
    holder = await newDidKeySigningKey();
  });
  after(() => app.close());

  const verify = async (body: unknown) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: body as object,
    });
    return {
      status: response.statusCode,
      body: response.body,
      get answer() {
        return response.json() as Answer;
      },
    };
  };
  const options = { challenge: CHALLENGE, domain: DOMAIN };
  const failedChecks = (answer: Answer) => answer.errors.map(({ path, check }) => `${path}:${check}`);

  test("a holder's did:key presentation of our badge and another issuer's credential verifies with 200", async () => {
    const verifiablePresentation = await presentation(holder, [ours, theirs]);
    const { status, answer, body } = await verify({ verifiablePresentation, options });
    assert.equal(status, 200, body);
    assert.equal(answer.verified, true);
    assert.equal(answer.presentationResult.signer, holder.did);
    assert.deepEqual(
      answer.presentationResult.checks.map((check) => `${check.id}:${check.status}`),
      ['format:passed', 'proof:passed', 'challenge:passed', 'domain:passed', 'holder:passed'],
    );
    assert.deepEqual(
      answer.credentialResults.map((result) => result.verified),
      [true, true],
    );
    assert.deepEqual(answer.errors, []);
    assert.equal(answer.verifiablePresentation, undefined, 'returned only when asked for');
  });

  test('a proof made for another challenge fails on the challenge', async () => {
    const verifiablePresentation = await presentation(holder, [ours], { challenge: 'an-older-request' });
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation:challenge']);
    assert.match(answer.errors[0]?.message ?? '', /an-older-request/);
    assert.equal(answer.credentialResults[0]?.verified, true, 'the credential itself is still good');
  });

  test('a proof made for another domain fails on the domain', async () => {
    const verifiablePresentation = await presentation(holder, [ours], { domain: 'elsewhere.example' });
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation:domain']);
    assert.match(answer.errors[0]?.message ?? '', /elsewhere\.example/);
  });

  test('a presentation changed after the holder signed it fails on its proof', async () => {
    const signedOne = await presentation(holder, [ours, theirs]);
    const verifiablePresentation = { ...signedOne, verifiableCredential: [ours] };
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation:proof']);
    assert.match(answer.errors[0]?.message ?? '', /does not match the presentation/);
    assert.equal(answer.presentationResult.signer, null);
  });

  test('a changed credential fails on its own proof even when the holder signed over it', async () => {
    const changed = { ...theirs, name: 'Endorsement of something else' };
    const verifiablePresentation = await presentation(holder, [ours, changed]);
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.equal(answer.presentationResult.verified, true);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation.verifiableCredential[1]:proof']);
    assert.deepEqual(
      answer.credentialResults.map((result) => result.verified),
      [true, false],
    );
  });

  test('a holder proof for assertionMethod instead of authentication fails, naming the purpose', async () => {
    const purpose = new jsigs.purposes.AssertionProofPurpose();
    const verifiablePresentation = await presentation(holder, [ours], { purpose });
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation:proof']);
    assert.match(answer.errors[0]?.message ?? '', /proofPurpose assertionMethod, not authentication/);
  });

  test('a presentation naming someone else as its holder fails on the holder', async () => {
    const someoneElse = await newDidKeySigningKey();
    const verifiablePresentation = await presentation(holder, [ours], { holderId: someoneElse.did });
    const { status, answer } = await verify({ verifiablePresentation, options });
    assert.equal(status, 422);
    assert.deepEqual(failedChecks(answer), ['verifiablePresentation:holder']);
  });

  test('an unsigned verifiablePresentation fails; the same as a proofless presentation is checked by its credentials', async () => {
    const unsigned = unsignedPresentation(holder.did, [ours, theirs]);
    const refused = await verify({ verifiablePresentation: unsigned });
    assert.equal(refused.status, 422);
    assert.deepEqual(failedChecks(refused.answer), ['verifiablePresentation:proof']);

    const proofless = await verify({ presentation: unsigned, options: { returnPresentation: true } });
    assert.equal(proofless.status, 200, proofless.body);
    assert.equal(proofless.answer.presentationResult.proofless, true);
    assert.equal(proofless.answer.presentationResult.signer, null);
    assert.deepEqual(proofless.answer.verifiablePresentation, unsigned);

    const challenged = await verify({ presentation: unsigned, options: { challenge: CHALLENGE } });
    assert.equal(challenged.status, 422);
    assert.deepEqual(failedChecks(challenged.answer), ['presentation:challenge']);
  });

  test('a body without a readable presentation answers 400 naming the field', async () => {
    const notOne = await verify({ verifiablePresentation: { '@context': [VC_V2_CONTEXT], type: ['Thing'] } });
    assert.equal(notOne.status, 400, notOne.body);
    const problem = JSON.parse(notOne.body) as { errors: { field: string; reason: string }[] };
    assert.equal(problem.errors[0]?.field, 'verifiablePresentation.type');

    const empty = await verify({ options });
    assert.equal(empty.status, 400);
    assert.equal(
      (JSON.parse(empty.body) as { errors: { field: string }[] }).errors[0]?.field,
      'body.verifiablePresentation',
    );

    const badChallenge = await verify({ verifiablePresentation: {}, options: { challenge: 42 } });
    assert.equal(badChallenge.status, 400);
  });

  test('the OpenAPI document states the status codes the route answers with', async () => {
    const spec = (await app.http.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    assert.deepEqual(Object.keys(spec.paths['/presentations/verify']?.post?.responses ?? {}).sort(), [
      '200',
      '400',
      '422',
    ]);
  });
});

describe(`a did:web holder on ${testBackend}, with the network allowed`, () => {
  let site: HttpsIssuer;
  let app: TestApp;
  let holder: SigningKey;
  let theirs: Record<string, unknown>;

  before(async () => {
    ({ site, app } = await startAppWithIssuer());
    const admin = await aStaffMember(app, 'admin');
    const board = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: board.did, name: 'Coastal Skills Board' });
    theirs = await signed(endorsementBy(board.did), board);
    holder = await newDidWebSigningKey(site.origin);
  });
  after(async () => {
    await app.close();
    await site.close();
  });

  const publish = (relationships: { authentication: boolean }) => {
    const document = didDocumentFor(holder.did, [holder]);
    site.serve('/.well-known/did.json', {
      ...document,
      ...(relationships.authentication ? { authentication: document.assertionMethod } : {}),
    });
  };
  const verify = async (verifiablePresentation: object) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { verifiablePresentation, options: { challenge: CHALLENGE, domain: DOMAIN } },
    });
    return { status: response.statusCode, answer: response.json() as Answer, body: response.body };
  };

  test('a presentation signed with a key its did:web lists for authentication verifies', async () => {
    publish({ authentication: true });
    const { status, answer, body } = await verify(await presentation(holder, [theirs]));
    assert.equal(status, 200, body);
    assert.equal(answer.presentationResult.signer, holder.did);
  });

  test('a key its did:web lists only for assertions cannot sign a presentation', async () => {
    publish({ authentication: false });
    const { status, answer } = await verify(await presentation(holder, [theirs]));
    assert.equal(status, 422);
    assert.deepEqual(
      answer.errors.map(({ check }) => check),
      ['proof'],
    );
    assert.match(answer.errors[0]?.message ?? '', /not one its owner lists for authentication/);
  });
});
