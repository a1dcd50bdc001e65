import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { anIssuedBadge } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { postingForms, postMultipartForm } from '../support/uploads.ts';

// A walk-through found the verify page's file and paste forms posting to `/verify?_csrf=<token>`: the token stayed in
// the address bar, the browser's history and any Referer the result page sent. It must travel in the body only.

describe(`the verify page's CSRF token never travels in an address on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  test('the file and paste forms post to /verify and carry the token as a hidden field', async () => {
    const forms = postingForms((await new BrowserSession(app).get('/verify')).body).filter((form) =>
      form.action.startsWith('/verify'),
    );
    assert.equal(forms.length, 2, 'the file form and the paste form');
    for (const form of forms) {
      assert.equal(form.action, '/verify');
      assert.ok(form.token, 'the token is in the form body');
    }
  });

  test('the form as the page wrote it verifies a badge, with the token only in its body', async () => {
    const { credentialId } = await anIssuedBadge(app);
    const browser = new BrowserSession(app);
    const badge = (await browser.get(`/credentials/${credentialId}`)).body;
    const form = postingForms((await browser.get('/verify')).body).find((f) =>
      f.action.startsWith('/verify'),
    )!;
    // Posted where a browser posts it, to /verify itself: the token is the form's hidden field and nothing else.
    const response = await postMultipartForm(app, browser, '/verify', {
      _csrf: form.token ?? '',
      text: badge,
    });
    assert.equal(response.statusCode, 200, textOf(response.body).slice(0, 300));
    assert.match(textOf(response.body), /Verified/);
  });

  test('without the token, or with another browser’s, the form is still refused', async () => {
    const browser = new BrowserSession(app);
    await browser.get('/verify');
    const stranger = new BrowserSession(app);
    const strangersToken = postingForms((await stranger.get('/verify')).body)[0]!.token!;
    const attempts: Record<string, string>[] = [
      { text: '{}' },
      { _csrf: strangersToken, text: '{}' },
      { _csrf: '', text: '{}' },
    ];
    for (const fields of attempts) {
      const response = await postMultipartForm(app, browser, '/verify', fields);
      assert.equal(response.statusCode, 403, JSON.stringify(Object.keys(fields)));
      assert.match(textOf(response.body), /This form has expired or did not come from this site/);
    }
  });

  test('a post from another site is refused before its body is read', async () => {
    const browser = new BrowserSession(app);
    const token = postingForms((await browser.get('/verify')).body)[0]!.token!;
    const response = await app.http.inject({
      method: 'POST',
      url: '/verify',
      payload: `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--b--\r\n`,
      headers: {
        'content-type': 'multipart/form-data; boundary=b',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: 'https://elsewhere.example',
      },
    });
    assert.equal(response.statusCode, 403);
    assert.match(textOf(response.body), /came from another site/);
  });
});
