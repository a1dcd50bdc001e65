import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as vc from '@digitalcredentials/vc';
import { SignJWT } from 'jose';
import { anIssuedBadge, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { eddsaJwtKey } from '../credentials/credential-jwt.ts';
import type { JwtSigningKey, SigningKey } from '../credentials/credential-types.ts';
import { createDocumentLoader } from '../credentials/document-loader.ts';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../credentials/local-contexts.ts';
import { prepareSigner } from '../credentials/prepared-signer.ts';
import { newDidKeySigningKey } from '../credentials/test-fixtures.ts';

type Answer = {
  verified: boolean;
  presentationResult: {
    verified: boolean;
    signer: string | null;
    checks: { id: string; status: string; message: string }[];
  };
  credentialResults: { verified: boolean }[];
  errors: { path: string; check: string; message: string }[];
};

const CHALLENGE = 'b1a2c3-vp-jwt-request';
const DOMAIN = 'verifier.example';

const endorsementBy = (did: string) => ({
  '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
  id: 'urn:uuid:3e1d2f7a-9c4b-4b6e-8f0a-2d5c7e9b1a43',
  type: ['VerifiableCredential', 'EndorsementCredential'],
  issuer: { id: did, type: ['Profile'], name: 'Inland Trades Council' },
  validFrom: '2026-01-01T00:00:00Z',
  name: 'Endorsement of a welding programme',
  credentialSubject: {
    id: 'https://college.example/achievements/welding',
    type: ['EndorsementSubject'],
    endorsementComment: 'Graduates meet the council’s entry standard.',
  },
});

/** A presentation secured as a VC-JOSE-COSE JWT, as a wallet makes one: the payload is the presentation. */
function vpJwt(
  key: JwtSigningKey,
  credentials: object[],
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  return new SignJWT({
    '@context': [VC_V2_CONTEXT],
    type: ['VerifiablePresentation'],
    holder: key.did,
    verifiableCredential: credentials,
    nonce: CHALLENGE,
    aud: DOMAIN,
    ...claims,
  })
    .setProtectedHeader({ alg: key.algorithm, typ: 'vp+jwt', cty: 'vp', kid: key.kid, ...header })
    .setIssuedAt()
    .setExpirationTime((claims.exp as number | undefined) ?? '10m')
    .sign(key.privateJwk as Parameters<SignJWT['sign']>[0]);
}

const envelope = (jwt: string) => ({
  '@context': [VC_V2_CONTEXT],
  type: 'EnvelopedVerifiablePresentation',
  id: `data:application/vp+jwt,${jwt}`,
});

describe(`VP-JWT presentations on POST /presentations/verify, on ${testBackend}`, () => {
  let app: TestApp;
  let holder: JwtSigningKey;
  let ours: object;
  let theirs: object;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const admin = await aStaffMember(app, 'admin');
    const { credentialId } = await anIssuedBadge(app, { issuer: admin });
    ours = (await app.services.credentials.findPublic(credentialId))!.json as object;
    const council: SigningKey = await newDidKeySigningKey();
    await app.services.trustedIssuers.addIssuer(admin, { did: council.did, name: 'Inland Trades Council' });
    const { suite } = await prepareSigner(council);
    theirs = await vc.issue({
      credential: endorsementBy(council.did),
      suite,
      documentLoader: createDocumentLoader(),
    });
    holder = await eddsaJwtKey(await newDidKeySigningKey());
  });
  after(() => app.close());

  const verify = async (
    verifiablePresentation: unknown,
    options: object = { challenge: CHALLENGE, domain: DOMAIN },
  ) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { verifiablePresentation, options },
    });
    return { status: response.statusCode, body: response.body, answer: () => response.json() as Answer };
  };
  const statuses = (answer: Answer) => answer.presentationResult.checks.map((c) => `${c.id}:${c.status}`);
  const messageOf = (answer: Answer, id: string) =>
    answer.presentationResult.checks.find((check) => check.id === id)?.message ?? '';

  test('a VP-JWT, compact or enveloped, of our badge and a known issuer’s credential verifies with 200', async () => {
    const jwt = await vpJwt(holder, [ours, theirs]);
    for (const given of [jwt, envelope(jwt)]) {
      const { status, body, answer } = await verify(given);
      assert.equal(status, 200, body);
      assert.equal(answer().verified, true);
      assert.equal(answer().presentationResult.signer, holder.did);
      assert.deepEqual(statuses(answer()), [
        'format:passed',
        'proof:passed',
        'challenge:passed',
        'domain:passed',
        'holder:passed',
      ]);
      assert.match(messageOf(answer(), 'format'), /secured as a JWT \(VP-JWT\) holding 2 credentials/);
      assert.deepEqual(
        answer().credentialResults.map((result) => result.verified),
        [true, true],
      );
    }
  });

  test('another nonce or audience fails the challenge or the domain', async () => {
    const replayed = (await verify(await vpJwt(holder, [ours], { nonce: 'an-older-request' }))).answer();
    assert.deepEqual(
      replayed.errors.map((error) => error.check),
      ['challenge'],
    );
    const elsewhere = await verify(await vpJwt(holder, [ours], { aud: 'other.example' }));
    assert.equal(elsewhere.status, 422);
    assert.deepEqual(
      elsewhere.answer().errors.map((error) => error.check),
      ['domain'],
    );
  });

  test('a VP-JWT signed by someone other than the holder it names fails the holder check', async () => {
    const stranger = await eddsaJwtKey(await newDidKeySigningKey());
    const { status, answer } = await verify(await vpJwt(stranger, [ours], { holder: holder.did }));
    assert.equal(status, 422);
    assert.equal(answer().presentationResult.signer, stranger.did);
    assert.deepEqual(
      answer().errors.map((error) => error.check),
      ['holder'],
    );
  });

  test('a changed payload, a wrong typ, an HMAC algorithm and an expired JWT all fail the proof', async () => {
    const [header, , signature] = (await vpJwt(holder, [ours])).split('.');
    const changed = Buffer.from(
      JSON.stringify({
        '@context': [VC_V2_CONTEXT],
        type: ['VerifiablePresentation'],
        holder: holder.did,
        verifiableCredential: [ours, theirs],
        nonce: CHALLENGE,
        aud: DOMAIN,
      }),
    ).toString('base64url');
    const hmac = await new SignJWT({
      '@context': [VC_V2_CONTEXT],
      type: ['VerifiablePresentation'],
      nonce: CHALLENGE,
      aud: DOMAIN,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'vp+jwt', kid: holder.kid })
      .sign(new TextEncoder().encode('a shared secret anyone could guess'));
    const cases: [string, string, RegExp][] = [
      ['changed', `${header}.${changed}.${signature}`, /changed after it was signed/],
      ['typed vc+jwt', await vpJwt(holder, [ours], {}, { typ: 'vc+jwt' }), /not vp\+jwt/],
      ['HS256', hmac, /HS256, which Stackable does not accept/],
      ['expired', await vpJwt(holder, [ours], { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ];
    for (const [name, jwt, reason] of cases) {
      const { status, answer } = await verify(jwt);
      assert.equal(status, 422, name);
      assert.equal(answer().presentationResult.checks[1]?.status, 'failed', name);
      assert.match(messageOf(answer(), 'proof'), reason, name);
      assert.equal(answer().presentationResult.signer, null, name);
    }
  });

  test('a credential inside that does not verify is named by its path', async () => {
    const altered = { ...(theirs as Record<string, unknown>), name: 'Something else' };
    const { status, answer } = await verify(await vpJwt(holder, [ours, altered]));
    assert.equal(status, 422);
    assert.deepEqual(
      answer().errors.map((error) => `${error.path}:${error.check}`),
      ['verifiablePresentation.verifiableCredential[1]:proof'],
    );
  });

  test('a VP-JWT sent as a proofless presentation, or a broken envelope, is refused with 400 naming the field', async () => {
    const jwt = await vpJwt(holder, [ours]);
    const proofless = await app.http.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { presentation: jwt },
    });
    assert.equal(proofless.statusCode, 400, proofless.body);
    assert.match(proofless.body, /carries its own proof/);
    const broken = await verify({ ...envelope(jwt), id: `data:application/vc+jwt,${jwt}` });
    assert.equal(broken.status, 400, broken.body);
    assert.match(broken.body, /verifiablePresentation\.id/);
  });
});
