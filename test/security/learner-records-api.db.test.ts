// Issue 14: the learners API hands out every learner's name, e-mail and student ID. Only the records offices and
// integrations granted `learners:read` may read it, and only `learners:write` may change it: a token the student
// system holds for completions, a learner's own session or a program lead's (who sees only their programs' learners
// on the pages) must get nothing from it, and a session's write still needs the page's CSRF token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anAccessToken } from '../support/api-token.ts';
import { aLearner, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`who may read and write learner records through the API on ${testBackend}`, () => {
  let app: TestApp;
  let studentId: string;
  let email: string;
  const change = {
    givenName: 'Taken',
    familyName: 'Over',
    email: 'attacker@evil.example',
    status: 'current',
  };

  const storedEmail = async () =>
    (
      await app.database.db
        .selectFrom('learners')
        .select('email')
        .where('student_id', '=', studentId)
        .executeTakeFirstOrThrow()
    ).email;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    ({ studentId, email } = await aLearner(app, { account: false }));
  });
  after(() => app.close());

  test('a token with completions:write can neither read nor write learner records', async () => {
    const { token } = await anAccessToken(app, ['completions:write']);
    const authorization = `Bearer ${token}`;
    for (const url of [
      '/api/learners',
      `/api/learners?studentId=${studentId}`,
      `/api/learners/${studentId}`,
    ]) {
      const read = await app.http.inject({ url, headers: { authorization } });
      assert.equal(read.statusCode, 403, url);
      assert.match(String(read.headers['www-authenticate']), /insufficient_scope.*learners:read/, url);
      assert.ok(!read.body.includes(email), url);
    }
    const before = await storedEmail();
    const put = await app.http.inject({
      method: 'PUT',
      url: `/api/learners/${studentId}`,
      payload: change,
      headers: { authorization },
    });
    assert.equal(put.statusCode, 403);
    const bulk = await app.http.inject({
      method: 'POST',
      url: '/api/learners',
      payload: [{ studentId, ...change }],
      headers: { authorization },
    });
    assert.equal(bulk.statusCode, 403);
    assert.equal(await storedEmail(), before);
  });

  test('a learner’s session and a program lead’s session cannot list learners or change one', async () => {
    const learner = (await aLearner(app)).account!;
    const lead = await aStaffMember(app, 'program_lead');
    for (const person of [learner, lead]) {
      const browser = await person.signIn();
      const list = await browser.get('/api/learners');
      assert.equal(list.statusCode, 403, person.roles.join());
      assert.ok(!list.body.includes(email), person.roles.join());
      assert.equal((await browser.get(`/api/learners/${studentId}`)).statusCode, 403);
      const put = await app.http.inject({
        method: 'PUT',
        url: `/api/learners/${studentId}`,
        payload: change,
        headers: await browser.apiHeaders(),
      });
      assert.equal(put.statusCode, 403, person.roles.join());
      assert.equal(put.json().code, 'FORBIDDEN');
    }
    assert.notEqual(await storedEmail(), change.email);
  });

  test('a records office session writes nothing without the CSRF token, whatever the content type', async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const { cookie } = await registrar.apiHeaders();
    for (const [type, payload] of [
      ['application/json', JSON.stringify(change)],
      ['text/plain', JSON.stringify(change)],
    ] as const) {
      const put = await app.http.inject({
        method: 'PUT',
        url: `/api/learners/${studentId}`,
        payload,
        headers: { cookie: cookie!, 'content-type': type },
      });
      assert.equal(put.statusCode, 403, type);
    }
    assert.notEqual(await storedEmail(), change.email);
  });
});
