import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  aCourse,
  aLearner,
  anApiClient,
  anInstitution,
  aProgram,
  aStaffMember,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { ApiScope } from '../platform/api-scopes.ts';
import { fixedClock } from '../platform/clock.ts';

const clock = fixedClock('2026-03-02T09:00:00Z');
/** A file the import takes (201) whatever the database holds: its one row names nobody, so it is reported back. */
const UNKNOWN_ROW = 'student_id,course_code,term,grade,credits\nC99999999,NOPE 999,2026 Winter,A,3\n';
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe(`the OAuth token endpoint and bearer tokens on ${testBackend}`, () => {
  let app: TestApp;
  // Each call comes from an address of its own, so the endpoint's rate limit only meets the test that tests it.
  let caller = 0;
  const nextAddress = () => {
    caller += 1;
    return `198.51.100.${caller % 250}`;
  };

  const postToken = (
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
    remoteAddress = nextAddress(),
  ) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      remoteAddress,
    });
  };

  /** A token for a new client holding `scopes` (all of them by default). */
  const tokenFor = async (scopes?: ApiScope[]) => {
    const client = await anApiClient(app, { scopes });
    const response = await postToken(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, client.secret) },
    );
    assert.equal(response.statusCode, 200, response.body);
    return { client, token: response.json().access_token as string };
  };

  const refusal = (response: LightMyRequestResponse, status: number, error: string) => {
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.json().error, error, response.body);
    assert.equal(typeof response.json().error_description, 'string');
    assert.equal(response.headers['cache-control'], 'no-store');
  };

  const importCsv = (token: string, csv: string) =>
    app.http.inject({
      method: 'POST',
      url: '/api/imports/completions?fileName=nightly.csv',
      payload: csv,
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    });

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
  });
  after(() => app.close());

  test('client_secret_basic gets a Bearer token with every scope of the client, not to be cached', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write', 'learners:read'] });
    const response = await postToken(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, client.secret) },
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = response.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'completions:write learners:read');
    assert.match(body.access_token, /^stka_[A-Za-z0-9_-]{43}$/);
  });

  test('client_secret_post works too, and a narrower scope is granted as asked', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write', 'learners:read'] });
    const response = await postToken({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
      scope: 'learners:read',
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().scope, 'learners:read');
  });

  test('the grant type must be given and must be client_credentials', async () => {
    const client = await anApiClient(app);
    const auth = { authorization: basic(client.clientId, client.secret) };
    refusal(await postToken({}, auth), 400, 'invalid_request');
    refusal(await postToken({ grant_type: 'password' }, auth), 400, 'unsupported_grant_type');
    refusal(
      await postToken({ grant_type: 'authorization_code', code: 'x' }, auth),
      400,
      'unsupported_grant_type',
    );
  });

  test('a client that does not authenticate is invalid_client with a challenge', async () => {
    const client = await anApiClient(app);
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ grant_type: 'client_credentials' }, {}],
      [{ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, `${client.secret}x`) }],
      [{ grant_type: 'client_credentials' }, { authorization: basic('stk_nobodyatallhere', client.secret) }],
      [{ grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }],
      [{ grant_type: 'client_credentials', client_id: client.clientId }, {}],
      [{ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wrong' }, {}],
    ];
    for (const [fields, headers] of cases) {
      const response = await postToken(fields, headers);
      refusal(response, 401, 'invalid_client');
      assert.match(String(response.headers['www-authenticate']), /^Basic realm="Stackable"/);
    }
  });

  test('malformed requests are invalid_request: two ways to authenticate, repeats, JSON, a secret in the address', async () => {
    const client = await anApiClient(app);
    const auth = { authorization: basic(client.clientId, client.secret) };
    const grant = { grant_type: 'client_credentials' };
    refusal(await postToken({ ...grant, client_secret: client.secret }, auth), 400, 'invalid_request');
    refusal(
      await postToken({ ...grant, client_id: 'stk_someoneelseentirely' }, auth),
      400,
      'invalid_request',
    );
    refusal(
      await postToken({ grant_type: ['client_credentials', 'client_credentials'] }, auth),
      400,
      'invalid_request',
    );
    const json = await app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: grant,
      headers: { ...auth, 'content-type': 'application/json' },
      remoteAddress: nextAddress(),
    });
    refusal(json, 400, 'invalid_request');
    const inAddress = await app.http.inject({
      method: 'POST',
      url: `/oauth/token?client_id=${client.clientId}&client_secret=${client.secret}`,
      payload: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: nextAddress(),
    });
    refusal(inAddress, 400, 'invalid_request');
  });

  test('a scope the client does not hold, or does not exist, is invalid_scope', async () => {
    const client = await anApiClient(app, { scopes: ['learners:read'] });
    const auth = { authorization: basic(client.clientId, client.secret) };
    for (const scope of ['completions:write', 'learners:read learners:write', 'everything', 'a"b']) {
      refusal(await postToken({ grant_type: 'client_credentials', scope }, auth), 400, 'invalid_scope');
    }
  });

  test('a bearer token with completions:write imports completions for a learner, named as the client', async () => {
    const { client, token } = await tokenFor(['completions:write']);
    const learner = await aLearner(app, { account: false });
    const course = await aCourse(app);
    const csv = `student_id,course_code,term,grade,credits\n${learner.studentId},${course.code},2026 Winter,A-,${course.credits}\n`;
    const response = await importCsv(token, csv);
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().counts.accepted, 1);
    const stored = await app.database.db
      .selectFrom('completions')
      .select(['grade', 'course_code'])
      .where('learner_id', '=', learner.id)
      .execute();
    assert.deepEqual(stored, [{ grade: 'A-', course_code: course.code }]);
    const entries = await app.services.audit.list({ action: 'completions.imported', limit: 10, offset: 0 });
    const entry = entries.find((e) => e.entity_id === response.json().id);
    assert.equal(entry?.actor_label, `API client "${client.name}" (${client.clientId})`);
    assert.equal(entry?.actor_id, null);
  });

  test('a token without the route’s scope is refused 403 insufficient_scope, and pages are closed to tokens', async () => {
    const { token } = await tokenFor(['learners:read']);
    const response = await importCsv(token, 'student_id,course_code,term,grade,credits\n');
    assert.equal(response.statusCode, 403, response.body);
    assert.match(
      String(response.headers['www-authenticate']),
      /error="insufficient_scope", scope="completions:write"/,
    );
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const page = await app.http.inject({ url: '/learners', headers: { authorization: `Bearer ${token}` } });
    assert.equal(page.statusCode, 403);
    assert.match(String(page.headers['www-authenticate']), /insufficient_scope/);
  });

  test('an unknown or malformed token is 401 invalid_token; no credentials at all is a plain challenge', async () => {
    for (const header of ['Bearer stka_not-a-token-we-ever-gave', 'Bearer', 'Bearer a b']) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/api/imports/completions',
        payload: 'x',
        headers: { 'content-type': 'text/csv', authorization: header },
      });
      assert.equal(response.statusCode, 401, header);
      assert.match(
        String(response.headers['www-authenticate']),
        /^Bearer realm="Stackable", error="invalid_token"$/,
      );
    }
    const anonymous = await app.http.inject({
      method: 'POST',
      url: '/api/imports/completions',
      payload: 'x',
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(
      anonymous.headers['www-authenticate'],
      'Bearer realm="Stackable", scope="completions:write"',
    );
  });

  test('VC-API: credentials:issue issues a badge and credentials:status revokes it, each only with its scope', async () => {
    await anInstitution(app);
    const program = await aProgram(app, { creditType: 'non_credit' });
    const issuer = await tokenFor(['credentials:issue']);
    const revoker = await tokenFor(['credentials:status']);
    const post = (url: string, token: string, payload: object) =>
      app.http.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    const issueBody = { program: program.slug, recipient: { email: 'casey@example.org', name: 'Casey Lin' } };

    assert.equal((await post('/credentials/issue', revoker.token, issueBody)).statusCode, 403);
    const issued = await post('/credentials/issue', issuer.token, issueBody);
    assert.equal(issued.statusCode, 201, issued.body);
    const id = String(issued.headers.location).split('/').pop()!;
    const change = { status: 'revoked', reason: 'Issued by mistake.', category: 'other' };
    assert.equal((await post(`/credentials/${id}/status`, issuer.token, change)).statusCode, 403);
    const revoked = await post(`/credentials/${id}/status`, revoker.token, change);
    assert.equal(revoked.statusCode, 200, revoked.body);

    const labels = (await app.services.audit.list({ entityId: id, limit: 10, offset: 0 })).map(
      (e) => e.actor_label,
    );
    assert.ok(labels.includes(`API client "${issuer.client.name}" (${issuer.client.clientId})`));
    assert.ok(labels.includes(`API client "${revoker.client.name}" (${revoker.client.clientId})`));
  });

  test('a token stops working when it expires, after an hour', async () => {
    const { token } = await tokenFor(['completions:write']);
    try {
      clock.set('2026-03-02T09:59:00Z');
      assert.equal((await importCsv(token, UNKNOWN_ROW)).statusCode, 201);
      clock.set('2026-03-02T10:00:01Z');
      const expired = await importCsv(token, UNKNOWN_ROW);
      assert.equal(expired.statusCode, 401);
      assert.match(String(expired.headers['www-authenticate']), /invalid_token/);
    } finally {
      clock.set('2026-03-02T09:00:00Z');
    }
  });

  test('a session still works on the same API, so staff and integrations share it', async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const response = await app.http.inject({
      method: 'POST',
      url: '/api/imports/completions',
      payload: UNKNOWN_ROW,
      headers: { 'content-type': 'text/csv', ...(await registrar.apiHeaders()) },
    });
    assert.equal(response.statusCode, 201, response.body);
  });

  test('the token endpoint is rate limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      statuses.push((await postToken({ grant_type: 'client_credentials' }, {}, '192.0.2.77')).statusCode);
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401));
    assert.equal(statuses[30], 429);
  });

  test('OpenAPI documents the token endpoint, the schemes and which routes take a token', async () => {
    const doc = (await app.http.inject({ url: '/docs/json' })).json();
    const schemes = doc.components.securitySchemes;
    assert.equal(schemes.oauth2.type, 'oauth2');
    assert.match(schemes.oauth2.flows.clientCredentials.tokenUrl, /\/oauth\/token$/);
    assert.ok('completions:write' in schemes.oauth2.flows.clientCredentials.scopes);
    assert.equal(schemes.session.in, 'cookie');
    assert.ok(doc.paths['/oauth/token'].post);
    assert.deepEqual(doc.paths['/api/imports/completions'].post.security, [
      { session: [] },
      { oauth2: ['completions:write'] },
    ]);
    assert.deepEqual(doc.paths['/credentials/issue'].post.security, [
      { session: [] },
      { oauth2: ['credentials:issue'] },
    ]);
    assert.deepEqual(doc.paths['/credentials/{id}/status'].post.security, [
      { session: [] },
      { oauth2: ['credentials:status'] },
    ]);
    assert.deepEqual(doc.paths['/credentials/verify'].post.security, []);
  });
});
