import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCourse,
  anApiClient,
  anInstitution,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

let counter = 0;

describe(`the certificates editor's JSON API on ${testBackend}`, () => {
  let app: TestApp;
  let office: Person;
  let officeBrowser: BrowserSession;
  let courses: { code: string }[];

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    office = await aStaffMember(app, 'credentials_office');
    officeBrowser = await office.signIn();
    courses = [await aCourse(app, { credits: 3 }), await aCourse(app, { credits: 4 })];
  });
  after(() => app.close());

  /** A complete, valid certificate; each test changes what it is about. */
  const aCertificate = (fields: Record<string, unknown> = {}) => {
    counter += 1;
    return {
      title: `Certificate in Interfaces ${counter}`,
      description: 'A certificate made by one test of the JSON API.',
      level: 'undergraduate',
      creditsRequired: 12,
      isTranscripted: true,
      badgesRequired: null,
      outcome: 'Design interfaces with care.',
      requiredCourses: [courses[0]!.code],
      electiveCourses: [courses[1]!.code],
      ...fields,
    };
  };
  const send = async (method: 'POST' | 'PUT', url: string, body: unknown) =>
    app.http.inject({
      method,
      url,
      payload: body as object,
      headers: { ...(await officeBrowser.apiHeaders()), accept: 'application/json' },
    });
  const bearer = async (scopes: ('certificates:read' | 'certificates:write')[]) => {
    const { clientId, secret } = await anApiClient(app, { scopes });
    const answer = await app.http.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(answer.statusCode, 200, answer.body);
    return { authorization: `Bearer ${answer.json().access_token}` };
  };

  test('POST creates version 1 as a draft the public does not see, with its slug made from the title', async () => {
    const body = aCertificate();
    const created = await send('POST', '/api/certificates', body);
    assert.equal(created.statusCode, 201, created.body);
    const json = created.json();
    assert.equal(json.slug, body.title.toLowerCase().replaceAll(' ', '-'));
    assert.equal(created.headers.location, `/api/certificate-drafts/${json.slug}`);
    assert.equal(json.draftVersion, 1);
    assert.equal(json.publishedVersion, null);
    assert.deepEqual(json.requiredCourses, [courses[0]!.code]);
    assert.equal(json.creditsRequired, 12);
    assert.equal(json.isTranscripted, true);
    assert.equal((await app.http.inject({ url: `/catalog/certificates/${json.slug}` })).statusCode, 404);
    assert.equal((await app.http.inject({ url: `/api/certificates/${json.slug}` })).statusCode, 404);
    const audit = await app.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_type', '=', 'certificate')
      .where('entity_id', '=', json.slug)
      .execute();
    assert.deepEqual(audit, [{ action: 'certificate.created', actor_id: office.id }]);
  });

  test('PUT saves the open draft again, and after publishing opens the next version', async () => {
    const { slug } = (await send('POST', '/api/certificates', aCertificate())).json();
    const again = await send('PUT', `/api/certificates/${slug}`, aCertificate({ creditsRequired: 10 }));
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().draftVersion, 1, 'the open draft is saved again, not a new version');
    assert.equal(again.json().creditsRequired, 10);

    assert.equal((await officeBrowser.postForm(`/certificates/${slug}/publish`, {})).statusCode, 303);
    const next = await send(
      'PUT',
      `/api/certificates/${slug}`,
      aCertificate({ creditsRequired: 9, note: 'One course fewer', slug }),
    );
    assert.equal(next.statusCode, 200, next.body);
    assert.equal(next.json().publishedVersion, 1);
    assert.equal(next.json().draftVersion, 2);
    const versions = next.json().versions as { version: number; isCurrent: boolean }[];
    assert.deepEqual(
      versions.map((v) => [v.version, v.isCurrent]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [1, true],
        [2, false],
      ],
    );
    // The public pathway still shows the published version.
    const pathway = await app.http.inject({ url: `/api/certificates/${slug}` });
    assert.equal(pathway.statusCode, 200);
    assert.equal(pathway.json().credits, 10);
  });

  test('refused values are a 422 naming each field, with the screen’s rules, and nothing is written', async () => {
    const before = await app.database.db.selectFrom('certificates').select('slug').execute();
    const refused = await send(
      'POST',
      '/api/certificates',
      aCertificate({ title: 'X', creditsRequired: 999, requiredCourses: ['NOPE 999'], level: 'doctoral' }),
    );
    assert.equal(refused.statusCode, 422, refused.body);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const fields = (refused.json().errors as { field: string }[]).map((e) => e.field).sort();
    assert.deepEqual(fields, ['creditsRequired', 'level', 'title']);
    const unknownCourse = await send(
      'POST',
      '/api/certificates',
      aCertificate({ requiredCourses: ['NOPE 999'] }),
    );
    assert.equal(unknownCourse.statusCode, 422);
    assert.match(unknownCourse.json().errors[0].reason, /NOPE 999, not in the course catalog/);
    assert.deepEqual(await app.database.db.selectFrom('certificates').select('slug').execute(), before);
  });

  test('a malformed body is a 400 from the schema, never a 500', async () => {
    const wrongType = await send('POST', '/api/certificates', aCertificate({ creditsRequired: 'twelve' }));
    assert.equal(wrongType.statusCode, 400);
    const extra = await send('POST', '/api/certificates', aCertificate({ owner: 'someone' }));
    assert.equal(extra.statusCode, 400);
  });

  test('the drafts list and one certificate read back with a session or a certificates:read token', async () => {
    const { slug, title } = (await send('POST', '/api/certificates', aCertificate())).json();
    const listed = await officeBrowser.get('/api/certificate-drafts', { accept: 'application/json' });
    assert.equal(listed.statusCode, 200);
    assert.ok(listed.json().certificates.some((c: { slug: string }) => c.slug === slug));
    const token = await bearer(['certificates:read']);
    const one = await app.http.inject({ url: `/api/certificate-drafts/${slug}`, headers: token });
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json().title, title);
    assert.equal(one.json().draftVersion, 1);
  });

  test('a certificates:write token creates and saves drafts, audited as the integration', async () => {
    const token = await bearer(['certificates:write']);
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: token,
      payload: aCertificate(),
    });
    assert.equal(created.statusCode, 201, created.body);
    const { slug } = created.json();
    const saved = await app.http.inject({
      method: 'PUT',
      url: `/api/certificates/${slug}`,
      headers: token,
      payload: aCertificate({ creditsRequired: 7 }),
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const entry = await app.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_label'])
      .where('entity_id', '=', slug)
      .where('action', '=', 'certificate.draft_saved')
      .executeTakeFirst();
    assert.equal(entry?.actor_id, null);
    assert.match(entry?.actor_label ?? '', /^API client/);
  });
});
