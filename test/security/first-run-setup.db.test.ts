// Issue 14: the first-run setup page makes an administrator, so it must open for nobody but the person who can
// read the server's log, once, and never again once an administrator exists.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`the first-run setup page on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  const setupFields = (token: string, email: string) => ({
    token,
    name: 'Someone Setting Up',
    email,
    password: 'a long setup passphrase',
    confirm: 'a long setup passphrase',
  });

  // One journey: every step needs the database to have no administrator until the token is used.
  test('it is closed without the token, with a wrong one, after use and once an administrator exists', async () => {
    const token = await app.services.firstAdmin.openSetup();
    // A second start before anyone used the first token prints another; both work until an administrator exists.
    const otherStart = await app.services.firstAdmin.openSetup();
    assert.ok(token && otherStart, 'the database starts without an administrator');
    const visitor = new BrowserSession(app);

    assert.equal((await visitor.get('/setup')).statusCode, 404, 'no token');
    assert.equal((await visitor.get('/setup?token=')).statusCode, 404, 'an empty token');
    const wrong = `${token.slice(0, -2)}xx`;
    assert.equal((await visitor.get(`/setup?token=${wrong}`)).statusCode, 404, 'a wrong token');
    const forged = await visitor.postForm('/setup', setupFields(wrong, 'forger@example.org'));
    assert.equal(forged.statusCode, 404, 'a wrong token cannot post the form');
    assert.equal((await app.services.accounts.listUsers('forger@example.org')).length, 0);

    // The page must still be usable in a real browser: `no-referrer` made Chromium post the form with
    // `Origin: null`, which the CSRF check refused. strict-origin keeps the token's address out of any Referer.
    const form = await visitor.get(`/setup?token=${token}`);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['referrer-policy'], 'strict-origin');

    const noCsrf = await visitor.postForm('/setup', setupFields(token, 'no.csrf@example.org'), {
      csrf: false,
    });
    assert.equal(noCsrf.statusCode, 403, 'the CSRF check applies');
    assert.equal((await app.services.accounts.listUsers('no.csrf@example.org')).length, 0);

    const made = await visitor.postForm('/setup', setupFields(token, 'first@example.org'));
    assert.equal(made.statusCode, 303);

    const reuse = new BrowserSession(app);
    assert.equal((await reuse.get(`/setup?token=${token}`)).statusCode, 404, 'the token works once');
    const again = await reuse.postForm('/setup', setupFields(token, 'second@example.org'));
    assert.equal(again.statusCode, 404);
    assert.equal((await app.services.accounts.listUsers('second@example.org')).length, 0);

    assert.equal((await reuse.get(`/setup?token=${otherStart}`)).statusCode, 404, 'every token dies with it');
    const late = await reuse.postForm('/setup', setupFields(otherStart, 'late@example.org'));
    assert.equal(late.statusCode, 404);
    assert.equal((await app.services.accounts.listUsers('late@example.org')).length, 0);
    assert.equal(
      await app.services.firstAdmin.openSetup(),
      null,
      'no new token once an administrator exists',
    );
    const stored = await app.database.db.selectFrom('setup_tokens').select('token_hash').execute();
    assert.ok(
      stored.every((row) => row.token_hash !== token),
      'only the hash is stored',
    );
  });
});
