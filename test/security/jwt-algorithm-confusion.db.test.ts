import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, type JWK, SignJWT } from 'jose';
import { generateJwtKeyPair } from '../../src/credentials/jwt-keys.ts';
import { anInstitution, aProgram, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

/**
 * Issue 16: the verifier now takes EdDSA, ES256 and RS256 VC-JWTs and keys from `kid` or a `jwk` header. Each way a
 * forger could pick the algorithm or the key must be refused: `alg: none`, an HMAC "signature" keyed with the
 * issuer's public key (the classic algorithm confusion), an algorithm the named key was not made for, and a key the
 * forger attaches in the header.
 */
describe(`VC-JWT algorithm confusion on ${testBackend}`, () => {
  let app: TestApp;
  let jwt: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL: 'https://badges.confusion.example' } });
    await anInstitution(app);
    const admin = await aStaffMember(app, 'admin');
    const { values } = await app.services.institution.profile(admin);
    await app.services.institution.updateProfile(admin, { ...values, vcJwt: 'RS256' });
    const { slug } = await aProgram(app);
    const issued = await app.services.credentials.issueCredential(
      { system: 'security test' },
      { slug, learner: { email: 'kim@example.org' }, format: 'jwt' },
    );
    jwt = issued.jwt!;
  });
  after(() => app.close());

  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const proofOf = async (text: string) => {
    const report = await app.services.verification.verifyText(text);
    return { verified: report.verified, proof: report.checks.find((check) => check.id === 'proof')! };
  };
  const publishedKey = async (kid: string): Promise<JWK> => {
    const didDocument = (await app.http.inject({ url: '/.well-known/did.json' })).json();
    return didDocument.verificationMethod.find((method: { id: string }) => method.id === kid).publicKeyJwk;
  };

  test('the genuine RS256 JWT verifies (so the refusals below are about the forgery)', async () => {
    const { verified, proof } = await proofOf(jwt);
    assert.equal(verified, true, proof.message);
  });

  test('alg "none" with the genuine payload is refused', async () => {
    const [header, payload] = jwt.split('.');
    const forged = `${part({ ...JSON.parse(Buffer.from(header!, 'base64url').toString()), alg: 'none' })}.${payload}.`;
    const { verified, proof } = await proofOf(forged);
    assert.equal(verified, false);
    assert.equal(proof.status, 'failed');
    assert.match(proof.message, /not signed/);
  });

  test('HS256 keyed with the published RSA public key is refused, whatever the secret', async () => {
    const { kid } = decodeProtectedHeader(jwt);
    const publicJwk = await publishedKey(kid!);
    const secret = createSecretKey(Buffer.from(JSON.stringify(publicJwk)));
    const forged = await new SignJWT({ ...decodeJwt(jwt), name: 'Forged Mastery' })
      .setProtectedHeader({ alg: 'HS256', typ: 'vc+jwt', kid })
      .sign(secret);
    const { verified, proof } = await proofOf(forged);
    assert.equal(verified, false);
    assert.match(proof.message, /signed with HS256, which Stackable does not accept/);
  });

  test('an algorithm the named key was not made for is refused before the signature is checked', async () => {
    const { kid } = decodeProtectedHeader(jwt);
    const [, payload, signature] = jwt.split('.');
    const forged = `${part({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', kid })}.${payload}.${signature}`;
    const { verified, proof } = await proofOf(forged);
    assert.equal(verified, false);
    assert.match(proof.message, /says it is signed with ES256, but the issuer's key .* is an RS256 key/);
  });

  test("a forger's own key in a jwk header, with or without the issuer's kid, is refused", async () => {
    const forger = await generateJwtKeyPair('RS256');
    const { kid } = decodeProtectedHeader(jwt);
    const claims = { ...decodeJwt(jwt), name: 'Forged Mastery' };
    const sign = (header: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'vc+jwt', jwk: forger.publicJwk, ...header })
        .sign(forger.privateJwk as JWK);
    const alone = await proofOf(await sign({}));
    assert.equal(alone.verified, false);
    assert.match(alone.proof.message, /does not publish that key/);
    const beside = await proofOf(await sign({ kid }));
    assert.equal(beside.verified, false);
    assert.match(beside.proof.message, /"jwk" header is not the key its "kid" names/);
  });
});
