import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CompactSign, exportSPKI, generateKeyPair } from 'jose';
import { bakePng } from '../../src/credentials/bake-png.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { anInstitution } from '../support/builders.ts';
import { type Ob2Issuer, startOb2Issuer } from '../support/ob2-issuer.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { pngOf } from '../support/uploads.ts';

/**
 * Issue 16: Open Badges 2.0 badges of other issuers, hosted and signed, checked against a real HTTPS issuer with a
 * CA of its own. Each forgery or mishap here once passed unnoticed, because 2.0 was not verified at all.
 */

const OB2 = 'https://w3id.org/openbadges/v2';
const LEARNER = 'sam.rivera@example.net';

interface Details {
  verified: boolean;
  trusted: boolean;
  warnings: { check: string; message: string; type?: string }[];
  issuerTrust: { level: string; signer: string | null; message: string };
  errors: { check: string; message: string }[];
  details: { id: string; status: string; message: string }[];
}

const statusOf = (body: Details, id: string) => body.details.find((check) => check.id === id)?.status;
const messageOf = (body: Details, id: string) => body.details.find((check) => check.id === id)?.message ?? '';

describe(`Open Badges 2.0 verification on ${testBackend}`, () => {
  let app: TestApp;
  // Harbour Community College's own site: its profile, key, revocation list and the "Safe Welding" badge class.
  let issuer: Ob2Issuer;

  before(async () => {
    issuer = await startOb2Issuer('Harbour Community College');
    app = await startTestApp({
      runJobs: false,
      env: { STACKABLE_ALLOW_NETWORK: 'true' },
      fetcher: issuer.fetcher,
    });
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
  });
  after(async () => {
    await app.close();
    await issuer.close();
  });

  /** An assertion to the learner, with the given verification and changes, not yet served. */
  const anAssertion = (id: string, verification: object, changes: object = {}) =>
    issuer.anAssertion(id, verification, LEARNER, changes);
  /** A hosted assertion to the learner served at its own id; returns what was served. */
  const aHostedBadge = (changes: object = {}, status?: number) =>
    issuer.hostedAssertion(LEARNER, changes, status);
  /** A signed assertion to the learner; the issuer's own key signs it, whatever key it names as `creator`. */
  const aSignedBadge = (changes: object = {}, creator?: string) =>
    issuer.signedAssertion(LEARNER, changes, creator);

  async function verify(badge: unknown, recipientEmail?: string): Promise<Details> {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: badge, ...(recipientEmail ? { options: { recipientEmail } } : {}) },
    });
    // The VC-API answers 200 for a verified credential and 422 (with its reasons) for one that is not.
    assert.equal(response.statusCode, response.json().verified ? 200 : 422, response.body);
    return response.json() as Details;
  }

  test('a hosted assertion fetched from its id passes every check, its issuer named only as it claims', async () => {
    const body = await verify(aHostedBadge());
    // Every check of the badge itself passed; that nobody here knows its issuer is reported apart.
    assert.deepEqual(body.errors, []);
    assert.deepEqual(
      body.warnings.map((warning) => [warning.check, warning.type]),
      [['issuer', 'UntrustedIssuer']],
    );
    assert.equal(statusOf(body, 'proof'), 'passed');
    assert.equal(statusOf(body, 'status'), 'passed');
    assert.equal(body.issuerTrust.level, 'unknown');
    assert.equal(body.issuerTrust.signer, issuer.issuerId);
    assert.match(
      body.issuerTrust.message,
      /^Published by .+ which is not a known issuer; it calls itself 'Harbour Community College'/,
    );
    // The VC-API's verified follows VC 2.0; trusted says whether the issuer is one we know.
    assert.equal(body.verified, true);
    assert.equal(body.trusted, false);
  });

  test('a hosted assertion the issuer marks revoked fails with its reason', async () => {
    const body = await verify(aHostedBadge({ revoked: true, revocationReason: 'Awarded in error' }));
    assert.equal(statusOf(body, 'status'), 'failed');
    assert.match(messageOf(body, 'status'), /Awarded in error/);
  });

  test('a hosted assertion answered with 410 Gone is revoked', async () => {
    const body = await verify(aHostedBadge({}, 410));
    assert.equal(statusOf(body, 'status'), 'failed');
    assert.match(messageOf(body, 'status'), /410/);
    assert.equal(body.verified, false);
  });

  test("a copy whose hosted id serves another assertion fails: only the issuer's copy counts", async () => {
    const served = aHostedBadge();
    const copyAddress = issuer.serve('/assertions/a-copy', { ...served });
    const claimed = { ...served, id: copyAddress };
    const body = await verify(claimed);
    assert.equal(statusOf(body, 'proof'), 'failed');
    assert.match(messageOf(body, 'proof'), /must be served at its own id/);
  });

  test('a hosted assertion outside the addresses its issuer allows fails', async () => {
    const assertion = anAssertion(`${issuer.origin}/elsewhere/1`, { type: 'hosted' });
    issuer.serve('/elsewhere/1', assertion);
    const body = await verify(assertion);
    assert.equal(statusOf(body, 'proof'), 'failed');
    assert.match(messageOf(body, 'proof'), /outside the addresses its issuer allows/);
  });

  test('a hosted assertion given by its address on the verify page is fetched and checked', async () => {
    const badge = aHostedBadge();
    const page = await new BrowserSession(app).get(`/verify?credential=${encodeURIComponent(badge.id)}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Digital signature: Passed<\/strong><br\/>Served at its own address/);
    assert.match(page.body, /Signature valid, issuer not known/);
  });

  test('a signed assertion checks out with a key its issuer lists and owns', async () => {
    const { jws } = await aSignedBadge();
    const body = await verify(jws);
    // Every check of the badge itself passed; only the trust warning says nobody here knows its issuer.
    assert.deepEqual(body.errors, []);
    assert.equal(body.verified, true);
    assert.equal(body.trusted, false);
    assert.deepEqual(
      body.warnings.map((warning) => warning.type),
      ['UntrustedIssuer'],
    );
    assert.match(messageOf(body, 'proof'), /belongs to the issuer profile/);
    assert.equal(statusOf(body, 'status'), 'passed');
  });

  test('a signed assertion changed after signing fails', async () => {
    const { jws } = await aSignedBadge();
    const [header, , signature] = jws.split('.');
    const forged = (await aSignedBadge({ issuedOn: '2020-01-01T00:00:00Z' })).jws.split('.')[1];
    const body = await verify(`${header}.${forged}.${signature}`);
    assert.equal(statusOf(body, 'proof'), 'failed');
    assert.match(messageOf(body, 'proof'), /signature does not match/);
  });

  test('a signed assertion naming a key its issuer does not list fails, however it was signed', async () => {
    const otherIssuer = `${issuer.origin}/someone-else`;
    const pair = await generateKeyPair('RS256', { extractable: true });
    const rogueKey = issuer.serve('/keys/rogue', {
      '@context': OB2,
      type: 'CryptographicKey',
      id: `${issuer.origin}/keys/rogue`,
      owner: otherIssuer,
      publicKeyPem: await exportSPKI(pair.publicKey),
    });
    const assertion = anAssertion(`urn:uuid:${randomUUID()}`, { type: 'SignedBadge', creator: rogueKey });
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(pair.privateKey);
    const body = await verify(jws);
    assert.equal(statusOf(body, 'proof'), 'failed');
    assert.match(messageOf(body, 'proof'), /does not list as its own/);
    assert.equal(body.issuerTrust.level, 'unverified');
  });

  test("a signed assertion on its issuer's revocation list is revoked", async () => {
    const { assertion, jws } = await aSignedBadge();
    issuer.serve('/revocations', {
      '@context': OB2,
      type: 'RevocationList',
      id: `${issuer.origin}/revocations`,
      revokedAssertions: [{ id: assertion.id, revocationReason: 'Policy breach' }],
    });
    const body = await verify(jws);
    assert.equal(statusOf(body, 'status'), 'failed');
    assert.match(messageOf(body, 'status'), /Policy breach/);
  });

  test('an e-mail address given is compared with the hashed recipient', async () => {
    const badge = aHostedBadge();
    const matching = await verify(badge, 'Sam.Rivera@example.net');
    assert.equal(statusOf(matching, 'recipient'), 'passed');
    const other = await verify(badge, 'someone.else@example.net');
    assert.equal(statusOf(other, 'recipient'), 'failed');
    assert.match(messageOf(other, 'recipient'), /was not awarded to someone\.else@example\.net/);
  });

  test('an expired assertion fails its dates', async () => {
    const body = await verify(aHostedBadge({ expires: '2025-07-01T00:00:00Z' }));
    assert.equal(statusOf(body, 'dates'), 'failed');
    assert.match(messageOf(body, 'dates'), /expired on July 1, 2025/);
  });

  test('a JWS made with a shared secret is refused as no issuer signature', async () => {
    const assertion = anAssertion(`urn:uuid:${randomUUID()}`, { type: 'SignedBadge', creator: issuer.keyId });
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a secret anyone could have chosen'));
    const body = await verify(jws);
    assert.equal(statusOf(body, 'proof'), 'failed');
    assert.match(messageOf(body, 'proof'), /HS256/);
  });

  test('a PNG with a signed 2.0 assertion baked in is read and checked', async () => {
    const { jws } = await aSignedBadge();
    const png = bakePng(pngOf(1, 1), jws, 'openbadges');
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: Buffer.from(png),
      headers: { 'content-type': 'image/png' },
    });
    const body = response.json() as Details & { source: string };
    assert.equal(body.source, 'png');
    // Every check of the badge itself passed; only the trust warning says nobody here knows its issuer.
    assert.deepEqual(body.errors, []);
    assert.equal(body.verified, true);
    assert.equal(body.trusted, false);
    assert.deepEqual(
      body.warnings.map((warning) => warning.type),
      ['UntrustedIssuer'],
    );
    assert.equal(statusOf(body, 'proof'), 'passed');
  });

  test('an SVG with a hosted 2.0 assertion baked in shows its checks on the verify page', async () => {
    const badge = aHostedBadge({ revoked: true, revocationReason: 'Withdrawn by the college' });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" viewBox="0 0 10 10"><openbadges:assertion verify="${badge.id}"><![CDATA[${JSON.stringify(badge)}]]></openbadges:assertion><rect width="10" height="10"/></svg>`;
    const browser = new BrowserSession(app);
    const page = await browser.postForm('/verify', { text: svg, email: LEARNER });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(
      page.body,
      /Revocation and suspension: Failed<\/strong><br\/>Revoked by its issuer\. The reason given: Withdrawn by the college/,
    );
    assert.match(page.body, /Recipient: Passed/);
    assert.match(page.body, /Harbour Community College/);
  });
});
