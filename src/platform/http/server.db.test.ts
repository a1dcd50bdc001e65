import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { testInstitutionNames } from '../../../test/support/institution-names.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../../../test/support/test-app.ts';
import { testBackend } from '../../../test/support/test-database.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { buildHttpServer } from './server.ts';

describe(`HTTP plumbing on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('/healthz answers while the process is up', async () => {
    const response = await app.http.inject({ url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  test('/readyz reports the database and migrations', async () => {
    const response = await app.http.inject({ url: '/readyz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().checks, { database: 'ok', migrations: 'applied' });
  });

  test('API callers get RFC 9457 problem documents', async () => {
    const response = await app.http.inject({
      url: '/api/nothing-here',
      headers: { accept: 'application/json' },
    });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json();
    assert.equal(problem.status, 404);
    assert.equal(problem.code, 'NOT_FOUND');
    assert.equal(problem.instance, '/api/nothing-here');
  });

  test('people get a friendly HTML 404 page', async () => {
    const response = await app.http.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /We could not find that page/);
    assert.match(response.body, /<main id="main"/);
  });

  test('validation problems name each field and its reason', async () => {
    const response = await app.http.inject({
      method: 'GET',
      url: '/admin/audit?page=zero',
      headers: { accept: 'application/json' },
    });
    // Signed out, the access rule answers before validation would.
    assert.equal(response.statusCode, 401);
    const invalid = await app.http.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 5 },
      headers: { accept: 'application/json' },
    });
    assert.equal(invalid.statusCode, 400);
    const problem = invalid.json();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    const fields = problem.errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('body.password'), `fields: ${fields}`);
  });

  test('pages carry security headers', async () => {
    const response = await app.http.inject({ url: '/' });
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['x-frame-options']), /SAMEORIGIN|DENY/);
  });

  test('the OpenAPI description is served at /docs', async () => {
    const json = await app.http.inject({ url: '/docs/json' });
    assert.equal(json.statusCode, 200);
    const spec = json.json();
    assert.match(spec.openapi, /^3\./);
    assert.ok(spec.paths['/readyz']);
    const ui = await app.http.inject({ url: '/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });

  test('a route without an access rule is closed (deny by default)', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      STACKABLE_SECRET: TEST_SECRET,
      STACKABLE_DATA_DIR: tmpdir(),
    });
    const { app: server } = await buildHttpServer(config, createLogger('silent'), {
      resolveSession: async () => null,
      institutionNames: async () => testInstitutionNames(),
    });
    server.get('/forgotten-rule', async () => ({ secret: 'data' }));
    server.get('/open', { config: { access: 'public' } }, async () => ({ open: true }));
    await server.ready();
    try {
      const closed = await server.inject({ url: '/forgotten-rule', headers: { accept: 'application/json' } });
      assert.equal(closed.statusCode, 403);
      assert.doesNotMatch(closed.body, /secret/);
      assert.equal((await server.inject({ url: '/open' })).statusCode, 200);
    } finally {
      await server.close();
    }
  });
});
