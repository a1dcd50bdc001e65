// The course list of a new install said "0 courses.", as a search that found nothing does; Departments and Terms
// say "No departments yet." A search that finds nothing says so in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aStaffMember } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`an empty course list on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('a catalog with no courses yet says so, and a search that finds none says that', async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const empty = textOf((await registrar.get('/admin/courses')).body);
    assert.match(empty, /No courses yet\./);
    assert.doesNotMatch(empty, /0 courses/);
    const search = textOf((await registrar.get('/admin/courses?q=nothing-like-this')).body);
    assert.match(search, /No course matches that search\./);
  });
});
