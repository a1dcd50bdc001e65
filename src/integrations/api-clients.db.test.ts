import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { anApiClient, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { hashToken } from '../platform/ids.ts';

const clock = fixedClock('2026-04-14T08:30:00Z');
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const UNKNOWN_ROW = 'student_id,course_code,term,grade,credits\nC99999999,NOPE 999,2026 Winter,A,3\n';

describe(`the API clients screen on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;

  const clientRow = (clientId: string) =>
    app.database.db
      .selectFrom('api_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();

  /** What the page says in a line of text, without markup. */
  const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  const tokenStatus = async (clientId: string, secret: string) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: 'grant_type=client_credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(clientId, secret),
      },
    });
    return {
      status: response.statusCode,
      token: response.statusCode === 200 ? response.json().access_token : '',
    };
  };

  const importWith = async (token: string) =>
    (
      await app.http.inject({
        method: 'POST',
        url: '/api/imports/completions',
        payload: UNKNOWN_ROW,
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      })
    ).statusCode;

  /** Creates a client through the form and reads the id and secret off the page that shows them once. */
  const createThroughScreen = async (name: string, scopes: string[]) => {
    const response = await admin.postForm('/admin/api-clients', { name, scopes });
    assert.equal(response.statusCode, 200, response.body);
    const clientId = /<code>(stk_[A-Za-z0-9_-]+)<\/code>/.exec(response.body)?.[1];
    const secret = /<code>(stks_[A-Za-z0-9_-]+)<\/code>/.exec(response.body)?.[1];
    assert.ok(clientId && secret, 'the page shows the client id and the secret');
    return { response, clientId, secret };
  };

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    admin = await (await aStaffMember(app, 'admin')).signIn();
  });
  after(() => app.close());

  test('an administrator creates a client and sees its secret once, on a page no cache keeps', async () => {
    const { response, clientId, secret } = await createThroughScreen('Student information system', [
      'completions:write',
      'learners:read',
    ]);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(textOf(response.body), /copy the secret now/);
    assert.ok(secret.length >= 5 + 43, 'at least 32 random bytes');

    const later = await admin.get('/admin/api-clients');
    assert.equal(later.statusCode, 200);
    assert.ok(later.body.includes(clientId), 'the list names the client');
    assert.ok(!later.body.includes(secret), 'the secret is not shown again');
    assert.match(textOf(later.body), /Student information system .* completions:write, learners:read/);
  });

  test('the secret is kept only as its SHA-256 digest', async () => {
    const { clientId, secret } = await createThroughScreen('Hashed at rest', ['learners:read']);
    const row = await clientRow(clientId);
    assert.equal(row?.secret_hash, hashToken(secret));
    assert.ok(!JSON.stringify(row).includes(secret));
    assert.deepEqual(row?.scopes, ['learners:read']);
  });

  test('a form without a name or a scope is shown again with the problems linked to the fields', async () => {
    const before = await app.database.db.selectFrom('api_clients').select('id').execute();
    const response = await admin.postForm('/admin/api-clients', { name: '  ' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<a href="#name">Name must be 1 to 120 characters\.<\/a>/);
    assert.match(response.body, /<a href="#scopes">Scopes must include at least one scope\.<\/a>/);
    const unknown = await admin.postForm('/admin/api-clients', { name: 'Odd', scopes: ['root:everything'] });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Scopes must be chosen from the list/);
    assert.equal(
      (await app.database.db.selectFrom('api_clients').select('id').execute()).length,
      before.length,
    );
  });

  test('rotating the secret shows a new one; the old secret and its tokens stop working', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write'] });
    const old = await tokenStatus(client.clientId, client.secret);
    assert.equal(old.status, 200);
    assert.equal(await importWith(old.token), 201);

    const rotated = await admin.postForm(`/admin/api-clients/${client.id}/rotate`, {});
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    const secret = /<code>(stks_[A-Za-z0-9_-]+)<\/code>/.exec(rotated.body)?.[1];
    assert.ok(secret && secret !== client.secret);

    assert.equal((await tokenStatus(client.clientId, client.secret)).status, 401);
    assert.equal(await importWith(old.token), 401);
    const fresh = await tokenStatus(client.clientId, secret);
    assert.equal(fresh.status, 200);
    assert.equal(await importWith(fresh.token), 201);
    const audit = await app.services.audit.list({ entityId: client.id, limit: 10, offset: 0 });
    assert.ok(audit.some((e) => e.action === 'api_client.secret_rotated'));
  });

  test('revoking a client ends its secret and tokens, and the list says so', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write'], name: 'Retired tool' });
    const { token } = await tokenStatus(client.clientId, client.secret);
    const revoked = await admin.postForm(`/admin/api-clients/${client.id}/revoke`, {});
    assert.equal(revoked.statusCode, 303);
    assert.equal(await importWith(token), 401);
    assert.equal((await tokenStatus(client.clientId, client.secret)).status, 401);
    const page = textOf((await admin.get('/admin/api-clients?done=revoked')).body);
    assert.match(page, /Retired tool .* Revoked April 14, 2026, 08:30 UTC/);
    assert.doesNotMatch(page, /Rotate the secret of Retired tool/);
    const again = await admin.postForm(`/admin/api-clients/${client.id}/revoke`, {});
    assert.equal(again.statusCode, 422);
  });

  test('the list shows when each client last used the API', async () => {
    const client = await anApiClient(app, { scopes: ['completions:write'], name: 'Nightly grades' });
    assert.match(textOf((await admin.get('/admin/api-clients')).body), /Nightly grades .* Never Active/);
    clock.set('2026-04-14T09:15:00Z');
    try {
      const { token } = await tokenStatus(client.clientId, client.secret);
      clock.set('2026-04-14T09:40:00Z');
      assert.equal(await importWith(token), 201);
    } finally {
      clock.set('2026-04-14T08:30:00Z');
    }
    assert.equal((await clientRow(client.clientId))?.last_used_at?.toISOString(), '2026-04-14T09:40:00.000Z');
    assert.match(
      textOf((await admin.get('/admin/api-clients')).body),
      /Nightly grades .* April 14, 2026, 09:40 UTC Active/,
    );
  });

  test('creating, rotating and revoking are audit-logged under the administrator’s name', async () => {
    const { clientId } = await createThroughScreen('Audited tool', ['courses:write']);
    const id = (await clientRow(clientId))!.id;
    await admin.postForm(`/admin/api-clients/${id}/rotate`, {});
    await admin.postForm(`/admin/api-clients/${id}/revoke`, {});
    const entries = await app.services.audit.list({ entityId: id, limit: 10, offset: 0 });
    assert.deepEqual(entries.map((e) => e.action).sort(), [
      'api_client.created',
      'api_client.revoked',
      'api_client.secret_rotated',
    ]);
    assert.ok(entries.every((e) => e.actor_id !== null && /@builders\.example>$/.test(e.actor_label)));
  });
});
