// Issue 17, point 15: pages showed internal ids and validator text ("Comment f0e132ee-… is required",
// "querystring.level must be equal to one of the allowed values"). People read field names in words and reasons
// in plain language; the API keeps the field's path for machines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { aBadgeRequest, anInstitution, aStaffMember } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const validatorWords = /must be equal to|must match|querystring\.|allowed values|must NOT/;

describe(`plain messages on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app?.close());

  test('a bad filter in the address names the field in words, with a plain reason', async () => {
    const response = await new BrowserSession(app).get('/catalog?level=postdoctoral');
    assert.equal(response.statusCode, 400);
    const page = textOf(response.body);
    assert.match(page, /Level is not one of the choices offered/);
    assert.doesNotMatch(page, validatorWords);
  });

  test('a refused decision names the comment, not the id of its field', async () => {
    const { request } = await aBadgeRequest(app);
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    const response = await admin.postForm(`/progress/requests/${request.id}/decision`, {
      decision: 'return',
    });
    assert.equal(response.statusCode, 400);
    const summary =
      /<div class="notice notice-bad" role="alert">([\s\S]*?)<\/div>/.exec(response.body)?.[1] ?? '';
    assert.match(textOf(summary), /Comment is required to return a request/);
    assert.doesNotMatch(textOf(summary), uuid);
  });

  test('the API keeps the field path for machines, with the same plain reason', async () => {
    const response = await app.http.inject({ url: '/api/certificates/Not_A_Slug' });
    assert.equal(response.statusCode, 400);
    const problem = response.json();
    assert.equal(problem.errors[0].field, 'params.slug');
    assert.doesNotMatch(response.body, validatorWords);
  });
});
