import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, anApiClient, anInstitution, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`who may write certificates through the JSON API on ${testBackend}`, () => {
  let app: TestApp;
  let body: Record<string, unknown>;

  const tokenWith = async (scopes: ('certificates:read' | 'certificates:write' | 'courses:write')[]) => {
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
    return { authorization: `Bearer ${answer.json().access_token}` };
  };
  const certificateCount = async () =>
    Number(
      (
        await app.database.db
          .selectFrom('certificates')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    const course = await aCourse(app);
    body = {
      title: 'Certificate Nobody May Make',
      description: 'Written by a caller who should be refused.',
      level: 'undergraduate',
      creditsRequired: 3,
      isTranscripted: false,
      requiredCourses: [course.code],
    };
  });
  after(() => app.close());

  test('a session without the CSRF token is refused, whatever the content type', async () => {
    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const { cookie } = await office.apiHeaders();
    const refused = await app.http.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: { cookie, 'content-type': 'application/json' },
      payload: body,
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(await certificateCount(), 0);
  });

  test('the registrar, who reads drafts, may not write them', async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const refused = await app.http.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: await registrar.apiHeaders(),
      payload: body,
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await registrar.get('/api/certificate-drafts')).statusCode, 200);
    assert.equal(await certificateCount(), 0);
  });

  test('a token without certificates:write cannot write, and one without certificates:read cannot read drafts', async () => {
    const readOnly = await tokenWith(['certificates:read']);
    const write = await app.http.inject({
      method: 'POST',
      url: '/api/certificates',
      headers: readOnly,
      payload: body,
    });
    assert.equal(write.statusCode, 403);
    assert.match(String(write.headers['www-authenticate']), /insufficient_scope.*certificates:write/);
    const other = await tokenWith(['courses:write']);
    const read = await app.http.inject({ url: '/api/certificate-drafts', headers: other });
    assert.equal(read.statusCode, 403);
    assert.equal(await certificateCount(), 0);
  });

  test('nobody signed in reads no drafts and writes nothing', async () => {
    assert.equal((await app.http.inject({ url: '/api/certificate-drafts' })).statusCode, 401);
    const write = await app.http.inject({ method: 'PUT', url: '/api/certificates/anything', payload: body });
    assert.ok([401, 403].includes(write.statusCode), String(write.statusCode));
    assert.equal(await certificateCount(), 0);
  });
});
