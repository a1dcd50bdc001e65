import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { allRoles } from '../../src/platform/roles.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { cookieHeader, newPerson } from '../support/learners.ts';
import { unsafeRoutes } from '../support/route-list.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

// Audit, issue 12, point 2: the token was only checked for exactly-lowercase form content types, while bodies were
// parsed whatever their case, so a mixed-case form from a sibling subdomain created an administrator.

const PUBLIC_URL = 'http://app.stackable.test:3999';
const ALL_ROLES = [...allRoles];

/** The fields of a forged "invite an administrator" form, sent to every route. */
const forgedFields = (email: string): Record<string, string> => ({
  name: 'Forged Administrator',
  email,
  roles: 'admin',
  // Four fields: the verification upload refuses more before the CSRF check could see them.
  text: 'forged',
});

function multipart(fields: Record<string, string>, boundary: string): string {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** The body each content type would carry, as a browser form or a `no-cors` fetch would send it. */
function forgedBodies(email: string): { type: string; body: string }[] {
  const fields = forgedFields(email);
  const urlencoded = new URLSearchParams(fields).toString();
  const boundary = `----forged${randomBytes(6).toString('hex')}`;
  return [
    { type: 'APPLICATION/X-WWW-FORM-URLENCODED', body: urlencoded },
    { type: 'application/x-www-form-urlencoded; charset=utf-8', body: urlencoded },
    { type: 'Application/X-Www-Form-Urlencoded;charset=UTF-8', body: urlencoded },
    { type: `MULTIPART/FORM-DATA; boundary=${boundary}`, body: multipart(fields, boundary) },
    { type: `multipart/form-data; BOUNDARY=${boundary}`, body: multipart(fields, boundary) },
    {
      type: 'text/plain',
      body: Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join('\r\n'),
    },
    { type: 'TEXT/PLAIN; charset=utf-8', body: urlencoded },
    { type: 'application/json', body: JSON.stringify(fields) },
    { type: 'Application/JSON; charset=utf-8', body: JSON.stringify(fields) },
  ];
}

/** Fills each `:param` of a routed path with a well-formed id that names nothing. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());

async function tableCounts(app: TestApp): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name
  `.execute(app.database.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(
      app.database.db,
    );
    counts[name] = Number(result.rows[0]?.n);
  }
  return counts;
}

const usersWithEmail = async (app: TestApp, email: string) =>
  (await app.database.db.selectFrom('users').select('id').where('email', '=', email).execute()).length;

/** Routes exempt from the token, each refusing on its own what does not answer this browser's sign-in. */
const SIGNED_PROVIDER_ANSWERS = ['POST /sso/saml/:slug/acs'];

describe(`CSRF on every state-changing route on ${testBackend}`, () => {
  let app: TestApp;
  let browser: BrowserSession;
  let token: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, env: { PUBLIC_URL } });
    // Every role, so the access rules let each request through and only the CSRF check can refuse it.
    ({ browser } = await newPerson(app, 'Ada Everyrole', ALL_ROLES));
    token = await browser.csrfToken();
  });
  after(() => app.close());

  const invite = (email: string, headers: Record<string, string> = {}, withToken = true) =>
    app.http.inject({
      method: 'POST',
      url: '/admin/users',
      payload: new URLSearchParams({
        ...(withToken ? { _csrf: token } : {}),
        name: 'Invited Person',
        email,
        roles: 'admin',
      }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: cookieHeader(browser),
        ...headers,
      },
    });

  test('the route list covers the forms that matter', () => {
    const listed = unsafeRoutes(app.http).map((r) => `${r.method} ${r.url}`);
    for (const route of ['POST /admin/users', 'POST /login', 'POST /credentials/issue', 'POST /verify']) {
      assert.ok(listed.includes(route), `${route} missing from ${listed.join(', ')}`);
    }
  });

  test('a signed-in form with its token still works (the refusals below are the check, not a broken form)', async () => {
    const email = `invited.${randomBytes(3).toString('hex')}@mail.example`;
    const response = await invite(email);
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(await usersWithEmail(app, email), 1);
  });

  test('no state-changing route accepts a cookie-carrying request without a token, whatever its content type', async () => {
    const email = `forged.${randomBytes(3).toString('hex')}@mail.example`;
    const before = await tableCounts(app);
    const accepted: string[] = [];
    for (const route of unsafeRoutes(app.http)) {
      for (const { type, body } of forgedBodies(email)) {
        const response = await app.http.inject({
          method: route.method as 'POST',
          url: concrete(route.url),
          payload: body,
          headers: { 'content-type': type, cookie: cookieHeader(browser), accept: 'application/json' },
        });
        // A provider's signed answer is posted from the provider's site and carries no token by design: it is
        // refused unless it answers a sign-in this browser started (test/security/sso-saml.db.test.ts).
        const isSignedAnswer = SIGNED_PROVIDER_ANSWERS.includes(`${route.method} ${route.url}`);
        const refused =
          (response.statusCode === 403 && response.json().code === 'CSRF_FAILED') ||
          response.statusCode === 415 ||
          (isSignedAnswer && response.statusCode >= 400);
        if (!refused) accepted.push(`${route.method} ${route.url} [${type}] → ${response.statusCode}`);
      }
    }
    assert.deepEqual(accepted, [], `accepted without a token:\n${accepted.join('\n')}`);
    assert.equal(await usersWithEmail(app, email), 0, 'the forged administrator was created');
    assert.deepEqual(await tableCounts(app), before, 'a refused request wrote something');
  });

  test('a request with no content type and no body needs the token too', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: cookieHeader(browser), accept: 'application/json' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'CSRF_FAILED');
  });

  test('a content type no route reads is refused with 415', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/admin/users',
      payload: '<user><name>x</name></user>',
      headers: {
        'content-type': 'application/xml',
        'x-csrf-token': token,
        cookie: cookieHeader(browser),
        accept: 'application/json',
      },
    });
    assert.equal(response.statusCode, 415);
    assert.equal(response.json().code, 'UNSUPPORTED_MEDIA');
  });

  test('a request from a sibling subdomain is refused even with a valid token', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://evil.stackable.test:3999' },
      { origin: 'null' },
      { origin: 'http://app.stackable.test:4000' },
      { origin: 'https://app.stackable.test:3999' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'Same-Site' },
      { origin: PUBLIC_URL, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      const email = `sibling.${randomBytes(3).toString('hex')}@mail.example`;
      const response = await invite(email, { ...headers, accept: 'application/json' });
      assert.equal(response.statusCode, 403, JSON.stringify(headers));
      assert.equal(response.json().code, 'CSRF_FAILED');
      assert.equal(await usersWithEmail(app, email), 0, JSON.stringify(headers));
    }
  });

  test('our own origin, and the address the browser used, are accepted', async () => {
    const cases: Record<string, string>[] = [
      { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      // Local development on another name for the same machine: Origin matches the Host the browser used.
      { origin: 'http://127.0.0.1:3999', host: '127.0.0.1:3999', 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of cases) {
      const email = `own.${randomBytes(3).toString('hex')}@mail.example`;
      const response = await invite(email, headers);
      assert.equal(response.statusCode, 303, `${JSON.stringify(headers)}: ${response.body}`);
      assert.equal(await usersWithEmail(app, email), 1);
    }
  });

  test('a JSON API call with the session cookie needs the token in x-csrf-token', async () => {
    const payload = { program: 'no-such-program', recipient: { email: 'someone@mail.example' } };
    const headers = { cookie: cookieHeader(browser), accept: 'application/json' };
    const without = await app.http.inject({ method: 'POST', url: '/credentials/issue', payload, headers });
    assert.equal(without.statusCode, 403);
    assert.equal(without.json().code, 'CSRF_FAILED');
    const wrong = await app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      payload,
      headers: { ...headers, 'x-csrf-token': 'not-the-token' },
    });
    assert.equal(wrong.statusCode, 403);
    const withToken = await app.http.inject({
      method: 'POST',
      url: '/credentials/issue',
      payload,
      headers: { ...headers, 'x-csrf-token': token },
    });
    // Past the CSRF check: the service answers about the unknown program.
    assert.notEqual(withToken.statusCode, 403, withToken.body);
  });

  test('anonymous verification without cookies keeps working from any site', async () => {
    for (const headers of [
      { 'content-type': 'application/json' },
      {
        'content-type': 'Application/JSON',
        origin: 'https://verifier.example',
        'sec-fetch-site': 'cross-site',
      },
      { 'content-type': 'text/plain', origin: 'null', 'sec-fetch-site': 'cross-site' },
    ]) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/credentials/verify',
        payload: headers['content-type'] === 'text/plain' ? 'not a badge' : { verifiableCredential: {} },
        headers,
      });
      assert.notEqual(response.statusCode, 403, `${JSON.stringify(headers)}: ${response.body}`);
      assert.ok(response.statusCode < 500, response.body);
    }
  });

  test('a cookie-less form post still needs its token (no signing someone in from another site)', async () => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/login',
      payload: 'EMAIL=x%40mail.example&email=x%40mail.example&password=whatever',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded', accept: 'application/json' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'CSRF_FAILED');
  });
});
