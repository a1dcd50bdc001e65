// Issue 14: integrations call the API with OAuth client credentials. A client secret and the access tokens it
// obtains are bearer secrets: whoever reads one acts as the integration. They are shown once to the administrator
// who made them and must turn up nowhere else; the token endpoint takes no cookies' word for anything; and a
// token opens only what its scopes name, to nobody but an administrator managing clients.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createLogger } from '../../src/platform/logger.ts';
import type { Role } from '../../src/platform/roles.ts';
import type { BrowserSession } from '../support/browser-session.ts';
import { anApiClient, aStaffMember } from '../support/builders.ts';
import { cookieHeader } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const PUBLIC_URL = 'http://app.stackable.test:3999';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';
const UNKNOWN_ROW = 'student_id,course_code,term,grade,credits\nC99999999,NOPE 999,2026 Winter,A,3\n';

describe(`API client secrets and tokens on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;
  const lines: string[] = [];

  const tokenRequest = (payload: string, headers: Record<string, string>, url = '/oauth/token') =>
    app.http.inject({ method: 'POST', url, payload, headers: { 'content-type': FORM, ...headers } });
  const tokenCount = async () =>
    Number(
      (
        await app.database.db
          .selectFrom('api_access_tokens')
          .select((eb) => eb.fn.countAll().as('n'))
          .execute()
      )[0]?.n,
    );
  const secretOn = (html: string) => /<code>(stks_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];

  before(async () => {
    // Everything logged at the most talkative level, kept to be searched.
    const logger = createLogger('trace', { write: (line: string) => lines.push(line) });
    app = await startTestApp({ runJobs: false, logger, env: { PUBLIC_URL } });
    admin = await (await aStaffMember(app, 'admin')).signIn();
  });
  after(() => app.close());

  test('a secret and its tokens appear in no log line, audit entry, mail or later page', async () => {
    const created = await admin.postForm('/admin/api-clients', {
      name: 'Leak check',
      scopes: ['completions:write'],
    });
    const first = secretOn(created.body);
    const clientId = /<code>(stk_[A-Za-z0-9_-]+)<\/code>/.exec(created.body)?.[1];
    assert.ok(first && clientId);
    const id = (
      await app.database.db
        .selectFrom('api_clients')
        .select('id')
        .where('client_id', '=', clientId)
        .executeTakeFirstOrThrow()
    ).id;
    const second = secretOn((await admin.postForm(`/admin/api-clients/${id}/rotate`, {})).body);
    assert.ok(second);

    const viaBasic = await tokenRequest('grant_type=client_credentials', {
      authorization: basic(clientId, second),
    });
    const viaPost = await tokenRequest(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: second,
      }).toString(),
      {},
    );
    const tokens = [viaBasic.json().access_token, viaPost.json().access_token] as string[];
    assert.ok(tokens.every((t) => typeof t === 'string' && t.length > 40));
    // A careless integration putting its secret in the address is refused, and the address is logged blanked.
    const inAddress = await tokenRequest(
      'grant_type=client_credentials',
      {},
      `/oauth/token?client_id=${clientId}&client_secret=${second}`,
    );
    assert.equal(inAddress.statusCode, 400);
    const imported = await app.http.inject({
      method: 'POST',
      url: '/api/imports/completions',
      payload: UNKNOWN_ROW,
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${tokens[0]}` },
    });
    assert.equal(imported.statusCode, 201, imported.body);

    const secrets = [first, second, ...tokens];
    const found = (where: string, text: string) => secrets.filter((s) => text.includes(s)).map(() => where);
    const audit = await sql<{ row: string }>`select row_to_json(a)::text as row from audit_log a`.execute(
      app.database.db,
    );
    const outbox = await sql<{ row: string }>`select row_to_json(m)::text as row from mail_outbox m`.execute(
      app.database.db,
    );
    const stored = await sql<{ row: string }>`
      select row_to_json(c)::text as row from api_clients c
      union all select row_to_json(t)::text from api_access_tokens t
    `.execute(app.database.db);
    const leaks = [
      ...found('log', lines.join('\n')),
      ...found('audit log', audit.rows.map((r) => r.row).join('\n')),
      ...found('mail outbox', outbox.rows.map((r) => r.row).join('\n')),
      ...found('stored rows', stored.rows.map((r) => r.row).join('\n')),
      ...found('clients page', (await admin.get('/admin/api-clients')).body),
      ...found('audit page', (await admin.get('/admin/audit')).body),
    ];
    assert.ok(
      lines.some((line) => line.includes('/oauth/token')),
      'requests were logged at all',
    );
    assert.ok(
      audit.rows.some((r) => r.row.includes('api_client.token_issued')),
      'the grants were audited',
    );
    assert.deepEqual(leaks, []);
  });

  test('the token endpoint checks a cookie-carrying request like any browser form', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write'] });
    const payload = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
    }).toString();
    const before = await tokenCount();

    const withCookie = await tokenRequest(payload, {
      cookie: cookieHeader(admin),
      accept: 'application/json',
    });
    assert.equal(withCookie.statusCode, 403, withCookie.body);
    assert.equal(withCookie.json().code, 'CSRF_FAILED');
    const fromElsewhere = await tokenRequest(`${payload}&_csrf=${await admin.csrfToken()}`, {
      cookie: cookieHeader(admin),
      origin: 'https://evil.example',
    });
    assert.equal(fromElsewhere.statusCode, 403);
    assert.equal(await tokenCount(), before, 'no token was handed out');

    // The exemption is for requests that bring their own credentials and no cookie.
    assert.equal((await tokenRequest(payload, {})).statusCode, 200);
  });

  test('a bearer token beside a cookie neither skips the CSRF check nor borrows the person’s roles', async () => {
    const readOnly = await anApiClient(app, { scopes: ['learners:read'] });
    const { access_token: token } = (
      await tokenRequest('grant_type=client_credentials', {
        authorization: basic(readOnly.clientId, readOnly.secret),
      })
    ).json();
    const send = (headers: Record<string, string>) =>
      app.http.inject({
        method: 'POST',
        url: '/api/imports/completions',
        payload: UNKNOWN_ROW,
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}`, ...headers },
      });
    const noToken = await send({ cookie: cookieHeader(admin) });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().code, 'CSRF_FAILED');
    // An administrator's session and its CSRF token do not add up with a token lacking the scope.
    const mixed = await send(await admin.apiHeaders());
    assert.equal(mixed.statusCode, 403);
    assert.match(String(mixed.headers['www-authenticate']), /insufficient_scope/);
  });

  test('only administrators see or manage API clients; no role, and no token, reaches the screen', async () => {
    const target = await anApiClient(app, { scopes: ['learners:read'] });
    const everyScope = await anApiClient(app);
    const { access_token: token } = (
      await tokenRequest('grant_type=client_credentials', {
        authorization: basic(everyScope.clientId, everyScope.secret),
      })
    ).json();
    const roles: Role[] = [
      'learner',
      'program_lead',
      'approver',
      'credentials_office',
      'registrar',
      'bursar',
    ];
    const countBefore = (await app.database.db.selectFrom('api_clients').select('id').execute()).length;
    const accepted: string[] = [];
    for (const role of roles) {
      const browser = await (await aStaffMember(app, role)).signIn();
      const attempts = [
        await browser.get('/admin/api-clients'),
        await browser.postForm('/admin/api-clients', { name: 'Mine', scopes: ['credentials:issue'] }),
        await browser.postForm(`/admin/api-clients/${target.id}/rotate`, {}),
        await browser.postForm(`/admin/api-clients/${target.id}/revoke`, {}),
      ];
      attempts.forEach((r, i) => {
        if (r.statusCode !== 403) accepted.push(`${role} #${i} → ${r.statusCode}`);
        if (secretOn(r.body)) accepted.push(`${role} #${i} saw a secret`);
      });
    }
    const byToken = await app.http.inject({
      method: 'POST',
      url: `/admin/api-clients/${target.id}/rotate`,
      payload: '',
      headers: { 'content-type': FORM, authorization: `Bearer ${token}` },
    });
    if (byToken.statusCode !== 403) accepted.push(`token → ${byToken.statusCode}`);
    assert.deepEqual(accepted, []);
    assert.equal(
      (await app.database.db.selectFrom('api_clients').select('id').execute()).length,
      countBefore,
    );
    const row = await app.database.db
      .selectFrom('api_clients')
      .select(['revoked_at', 'secret_rotated_at'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { revoked_at: null, secret_rotated_at: null });
  });
});
