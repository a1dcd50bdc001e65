import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { testBackend } from '../../../test/support/test-database.ts';

// Everywhere, not only when verifying: with the database out of reach a request gets "try again shortly" (503 and
// Retry-After), never a 500 and never the driver's own words, and the error page is drawn without the database.
const INTERNAL_WORDS = /destroyed|PGlite|pool|driver|Connection terminated|\bat async\b|\.ts:\d/i;

describe(`requests while the database is gone, on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await app.database.close();
  });
  after(() => app.close());

  test('a page that reads the database answers a 503 page', async () => {
    const response = await app.http.inject({ method: 'GET', url: '/catalog' });
    assert.equal(response.statusCode, 503, response.body.slice(0, 300));
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['retry-after'], '30');
    assert.match(response.body, /cannot reach its records just now/);
    assert.doesNotMatch(response.body, INTERNAL_WORDS);
  });

  test('an API caller gets a 503 problem document', async () => {
    const response = await app.http.inject({
      method: 'GET',
      url: '/catalog',
      headers: { accept: 'application/json' },
    });
    assert.equal(response.statusCode, 503);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal((response.json() as { code: string }).code, 'UNAVAILABLE');
    assert.doesNotMatch(response.body, INTERNAL_WORDS);
  });
});
