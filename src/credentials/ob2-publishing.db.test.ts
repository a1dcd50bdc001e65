import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anInstitution, aProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

const system = { system: 'ob2 publishing test' };

type Json = Record<string, unknown>;

describe(`every badge as a hosted Open Badges 2.0 assertion on ${testBackend}`, () => {
  let app: TestApp;
  let program: { id: string; slug: string; title: string };
  let n = 0;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
    program = await aProgram(app, { title: 'Data Literacy', creditType: 'non_credit' });
  });
  after(() => app.close());

  const anAward = async () => {
    n += 1;
    const email = `learner.${n}@ob2.example`;
    const issued = await app.services.credentials.issueCredential(system, {
      slug: program.slug,
      learner: { email, name: `Learner ${n}` },
    });
    return { id: issued.id, email };
  };

  const get = (url: string, accept = 'application/ld+json') =>
    app.http.inject({ method: 'GET', url, headers: { accept } });
  const pathOf = (url: string) => new URL(url).pathname;

  async function verify(assertion: unknown, recipientEmail?: string) {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: {
        verifiableCredential: assertion,
        ...(recipientEmail ? { options: { recipientEmail } } : {}),
      },
    });
    // The VC-API answers 200 for a verified credential and 422 (with its reasons) for one that is not.
    assert.equal(response.statusCode, response.json().verified ? 200 : 422, response.body);
    return response.json() as {
      verified: boolean;
      issuerTrust: { level: string };
      ours: { id: string; status: string } | null;
      details: { id: string; status: string; message: string }[];
    };
  }

  test('an assertion, its BadgeClass and the issuer Profile are served, linked by their ids', async () => {
    const award = await anAward();
    const response = await get(`/ob2/assertions/${award.id}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/ld\+json/);
    const assertion = response.json() as Json;
    assert.equal(assertion['@context'], 'https://w3id.org/openbadges/v2');
    assert.equal(assertion.type, 'Assertion');
    assert.equal(pathOf(assertion.id as string), `/ob2/assertions/${award.id}`);
    assert.deepEqual(assertion.verification, { type: 'hosted' });
    assert.equal(assertion.revoked, undefined);
    const recipient = assertion.recipient as Json;
    assert.equal(recipient.type, 'email');
    assert.equal(recipient.hashed, true);
    const expected = createHash('sha256')
      .update(award.email + String(recipient.salt))
      .digest('hex');
    assert.equal(recipient.identity, `sha256$${expected}`);
    assert.doesNotMatch(response.body, new RegExp(award.email.replace('.', '\\.')));

    const badgeClass = (await get(pathOf(assertion.badge as string))).json() as Json;
    assert.equal(badgeClass.type, 'BadgeClass');
    assert.equal(badgeClass.id, assertion.badge);
    assert.equal(badgeClass.name, 'Data Literacy');
    const profile = (await get(pathOf(badgeClass.issuer as string))).json() as Json;
    assert.equal(profile.type, 'Issuer');
    assert.equal(profile.id, badgeClass.issuer);
    assert.equal(profile.name, 'Lakeshore Polytechnic');
  });

  test('a client that accepts only application/json gets application/json', async () => {
    const award = await anAward();
    const response = await get(`/ob2/assertions/${award.id}`, 'application/json');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
  });

  test('our own hosted assertion verifies with our own 2.0 verifier, as ours, and its recipient matches', async () => {
    const award = await anAward();
    const assertion = (await get(`/ob2/assertions/${award.id}`)).json();
    const body = await verify(assertion, award.email.toUpperCase());
    assert.equal(body.verified, true, JSON.stringify(body.details));
    assert.equal(body.issuerTrust.level, 'ours');
    assert.equal(body.ours?.id, award.id);
    assert.equal(body.details.find((check) => check.id === 'recipient')?.status, 'passed');
    const other = await verify(assertion, 'not.the.learner@ob2.example');
    assert.equal(other.verified, false);
  });

  test('a revoked badge is served revoked, with only its public category as reason, and fails verification', async () => {
    const award = await anAward();
    await app.services.credentials.changeStatus(system, award.id, 'revoke', 'Private note for staff only', {
      category: 'issued_in_error',
    });
    const response = await get(`/ob2/assertions/${award.id}`);
    assert.equal(response.statusCode, 200);
    const assertion = response.json() as Json;
    assert.equal(assertion.revoked, true);
    assert.equal(typeof assertion.revocationReason, 'string');
    assert.doesNotMatch(response.body, /Private note/);
    const body = await verify(assertion);
    assert.equal(body.verified, false);
    assert.equal(body.details.find((check) => check.id === 'status')?.status, 'failed');
    const page = await new BrowserSession(app).get(
      `/verify?credential=${encodeURIComponent(String(assertion.id))}`,
    );
    assert.match(page.body, /Revocation and suspension: Failed/);
  });

  test('a badge its holder hid, an unknown id and a program with no award publish nothing', async () => {
    const award = await anAward();
    await app.services.credentials.setPublic(system, award.id, false);
    assert.equal((await get(`/ob2/assertions/${award.id}`)).statusCode, 404);
    assert.equal((await get('/ob2/assertions/not-an-id')).statusCode, 404);
    const unawarded = await aProgram(app, { status: 'draft' });
    assert.equal((await get(`/ob2/badges/${unawarded.id}`)).statusCode, 404);
  });
});
