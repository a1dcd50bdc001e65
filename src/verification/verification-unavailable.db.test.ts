import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { CliIo } from '../cli/command-io.ts';
import { runCredentialCommand } from '../cli/credential-commands.ts';
import { EXIT_UNAVAILABLE } from '../cli/exit-codes.ts';
import type { IssuedCredential } from '../credentials/award-credentials.ts';

// The database closes under a running app: every way of verifying says "could not check now", never a verdict,
// and never the driver's own words.
const INTERNAL_WORDS = /destroyed|PGlite|pool|driver|Connection terminated/i;
const NO_VERDICT = /Not verified|"verified"|Verified/;

describe(`verification with the database gone, on ${testBackend}`, () => {
  let app: TestApp;
  let issued: IssuedCredential;
  let cookie: string;
  let csrfToken: string;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
    issued = await app.services.credentials.issueCredential(
      { system: 'verification test' },
      { slug: 'social-media-strategy', learner: { email: 'priya.learner@example.org', name: 'Priya Shah' } },
    );
    // A visitor who opened the verify page while all was well, and now submits its form.
    const browser = new BrowserSession(app);
    csrfToken = await browser.csrfToken();
    assert.equal((await browser.get('/verify')).statusCode, 200);
    cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await app.database.close();
  });
  after(() => app.close());

  test('the API answers a 503 problem with Retry-After, not a verdict', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: issued.credential },
    });
    assert.equal(response.statusCode, 503, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.headers['retry-after'], '30');
    const problem = response.json() as Record<string, unknown>;
    assert.equal(problem.code, 'UNAVAILABLE');
    assert.match(String(problem.title), /cannot be checked just now.*try again/i);
    assert.equal('verified' in problem, false);
    assert.doesNotMatch(response.body, INTERNAL_WORDS);
  });

  test('the verify page, asked about one of our badges, says it could not check now', async () => {
    const response = await app.http.inject({
      method: 'GET',
      url: `/verify?credential=${encodeURIComponent(issued.credential.id)}`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 503);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['retry-after'], '30');
    assert.match(response.body, /Badges cannot be checked just now/);
    assert.doesNotMatch(response.body, NO_VERDICT);
    assert.doesNotMatch(response.body, INTERNAL_WORDS);
  });

  test('a badge pasted into the verify page gets the same answer', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/verify',
      payload: new URLSearchParams({ _csrf: csrfToken, text: JSON.stringify(issued.credential) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
    assert.equal(response.statusCode, 503, response.body.slice(0, 500));
    assert.match(response.body, /Badges cannot be checked just now/);
    assert.doesNotMatch(response.body, NO_VERDICT);
    assert.doesNotMatch(response.body, INTERNAL_WORDS);
  });

  test('the command line exits with its own code and a clear message, not "not verified"', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      readInput: async () => new TextEncoder().encode(JSON.stringify(issued.credential)),
      writeOutput: async () => undefined,
    };
    const code = await runCredentialCommand(app, ['verify', 'badge.json'], io);
    assert.equal(code, EXIT_UNAVAILABLE);
    assert.deepEqual(out, []);
    assert.match(err.join('\n'), /Badges cannot be checked just now/);
    assert.doesNotMatch(err.join('\n'), INTERNAL_WORDS);
  });
});
