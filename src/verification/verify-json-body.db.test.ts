import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anIssuedBadge } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

/** The problem Fastify's JSON parser led to, as the error handler words it: no verdict. */
const UNREADABLE = {
  status: 400,
  type: 'application/problem+json; charset=utf-8',
  code: 'BAD_REQUEST',
  detail: 'The request could not be read. Check its format and try again.',
};
function unreadable(response: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  const { code, detail } = JSON.parse(response.body) as { code: string; detail: string };
  return { status: response.statusCode, type: response.headers['content-type'], code, detail };
}

// The verification API parses its JSON bodies itself (platform/http/json-body.ts): a credential goes through as
// before, and what Fastify's parser refused is refused the same way.
describe(`the verification API's JSON bodies, on ${testBackend}`, () => {
  let app: TestApp;
  let issued: { credential: Record<string, unknown> };

  before(async () => {
    app = await startTestApp({ runJobs: false });
    const { credentialId } = await anIssuedBadge(app);
    const row = await app.database.db
      .selectFrom('credentials')
      .select('json')
      .where('id', '=', credentialId)
      .executeTakeFirstOrThrow();
    issued = {
      credential: (typeof row.json === 'string' ? JSON.parse(row.json) : row.json) as Record<string, unknown>,
    };
  });
  after(() => app.close());

  const post = (payload: string, contentType = 'application/json') =>
    app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      headers: { 'content-type': contentType },
      payload,
    });

  test('a badge sent as JSON text verifies', async () => {
    const response = await post(JSON.stringify({ verifiableCredential: issued.credential }));
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().verified, true);
  });

  test('a body with a __proto__ or constructor.prototype key is refused as invalid JSON, however spelled', async () => {
    const credential = JSON.stringify(issued.credential);
    for (const payload of [
      `{"verifiableCredential":${credential},"__proto__":{"verified":true}}`,
      `{"verifiableCredential":${credential.replace('{', '{"\\u005f_proto__":{},')}}`,
      `{"verifiableCredential":${credential},"constructor":{"prototype":{"verified":true}}}`,
    ]) {
      const response = await post(payload);
      assert.deepEqual(unreadable(response), UNREADABLE, payload.slice(0, 80));
    }
  });

  test('a credential sent as itself (application/vc and the JSON-LD types) is refused with a __proto__ key too', async () => {
    const credential = JSON.stringify(issued.credential);
    for (const type of ['application/vc', 'application/vc+ld+json', 'application/ld+json']) {
      const plain = await post(credential, type);
      assert.equal(plain.statusCode, 200, type);
      assert.equal(plain.json().verified, true, type);
      for (const payload of [
        credential.replace('{', '{"__proto__":{"verified":true},'),
        credential.replace('{', '{"constructor":{"prototype":{"verified":true}},'),
      ]) {
        const refused = await post(payload, type);
        assert.equal(refused.statusCode, 400, `${type}: ${payload.slice(0, 60)}`);
        assert.deepEqual(
          refused.json().errors.map((problem: { field: string }) => problem.field),
          ['body'],
        );
      }
    }
  });

  test('a NUL in the credential is named, escaped as JSON carries it', async () => {
    const credential = { ...issued.credential, name: 'Social\u0000Media' };
    const response = await post(JSON.stringify({ verifiableCredential: credential }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json().errors.map((problem: { field: string }) => problem.field),
      ['body.verifiableCredential.name'],
    );
  });

  test('empty and broken bodies are refused as before', async () => {
    assert.deepEqual(unreadable(await post('')), UNREADABLE);
    assert.deepEqual(unreadable(await post('{"verifiableCredential":')), UNREADABLE);
  });
});
