import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { aLearner } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { postingForms, postMultipartForm } from '../support/uploads.ts';

// As on the verify page (verify-form-token.db.test.ts): a learner's form to bring in another issuer's badge posted to
// `/backpack/import?_csrf=<token>`, and a refused badge left that address, token and all, in the address bar.

describe(`the badge import form's CSRF token never travels in an address on ${testBackend}`, () => {
  let app: TestApp;
  let browser: BrowserSession;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    browser = await (await aLearner(app)).account!.signIn();
  });
  after(() => app?.close());

  test('the upload form posts to /backpack/import with the token as a hidden field, and is read with it', async () => {
    const form = postingForms((await browser.get('/backpack/import')).body).find((f) =>
      f.action.startsWith('/backpack/import'),
    );
    assert.equal(form?.action, '/backpack/import');
    assert.ok(form.token);
    // A badge that cannot be read: refused for what it is (422), not as a forged form.
    const response = await postMultipartForm(app, browser, '/backpack/import', {
      _csrf: form.token,
      text: '{}',
    });
    assert.equal(response.statusCode, 422, textOf(response.body).slice(0, 300));
    assert.match(textOf(response.body), /The badge was not added/);
  });

  test('without the token it is refused as a forged form', async () => {
    const response = await postMultipartForm(app, browser, '/backpack/import', { text: '{}' });
    assert.equal(response.statusCode, 403);
    assert.match(textOf(response.body), /This form has expired or did not come from this site/);
  });
});
