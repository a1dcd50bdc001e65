// The public home page counts what the institution offers in plain sentences, and says so plainly when nothing is
// offered yet: a new install showed "offers 0 micro-credentials across 0 departments" under an empty heading, and
// its first program "1 micro-credentials across 1 departments".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anInstitution, aProgram } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`the public home page's counts on ${testBackend}`, () => {
  let app: TestApp;
  const home = async () => textOf((await app.http.inject({ method: 'GET', url: '/' })).body);

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app, { name: 'Public Home Test University' });
  });
  after(() => app.close());

  test('with nothing offered yet, it says so and lists no recent programs', async () => {
    const page = await home();
    assert.match(page, /Public Home Test University has no micro-credentials open yet\./);
    assert.doesNotMatch(page, /offers 0/);
    assert.doesNotMatch(page, /Recently updated/);
  });

  test('one program in one department is counted in the singular', async () => {
    await aProgram(app, { title: 'Public Home Counted Program', status: 'pilot' });
    const page = await home();
    assert.match(page, /Public Home Test University offers 1 micro-credential across 1 department\./);
    assert.match(page, /Recently updated Public Home Counted Program/);
  });
});
