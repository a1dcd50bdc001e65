import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aLearner,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

/** A whole profile that passes every check; tests change the fields they are about. */
const profile = (over: Record<string, string> = {}) => ({
  name: 'Lakeshore Polytechnic',
  shortName: 'LP',
  url: 'https://lakeshore.example',
  email: 'badges@lakeshore.example',
  phone: '',
  address: '',
  timeZone: 'America/Chicago',
  academicYearStartMonth: '8',
  introduction: '',
  primaryColour: '#1d4b3a',
  accentColour: '#e0a526',
  defaultFee: '10',
  currency: 'USD',
  feePolicy: '',
  transcriptAnswer: '',
  financialAidAnswer: '',
  ...over,
});

describe(`the institution's admissions address, on ${testBackend}`, () => {
  let app: TestApp;
  let admin: BrowserSession;
  let learner: BrowserSession;
  let program: BuiltProgram;

  const putProfile = async (body: Record<string, string>) =>
    app.http.inject({
      method: 'PUT',
      url: '/api/institution',
      payload: body,
      headers: { ...(await admin.apiHeaders()), accept: 'application/json' },
    });
  /** The program page and the enrolment pages, as a visitor and as a signed-in learner, for the new-student path. */
  const pagesOfNewStudents = async () => [
    (await app.http.inject({ url: `/catalog/${program.slug}` })).body,
    (await app.http.inject({ url: `/enrol/${program.slug}` })).body,
    (await learner.get(`/enrol/${program.slug}`)).body,
    (await learner.get(`/enrol/${program.slug}?path=new`)).body,
  ];

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app, { url: 'https://builders.example' });
    program = await aProgram(app, { enrolmentPaths: ['new', 'non_degree', 'current'] });
    admin = await (await aStaffMember(app, 'admin')).signIn();
    learner = await (await aLearner(app)).account!.signIn();
  });
  after(() => app.close());

  test('without an admissions address, no page guesses one: they say whom to ask instead', async () => {
    for (const html of await pagesOfNewStudents()) {
      assert.doesNotMatch(html, /\/admissions/);
      assert.match(html, /how to apply/);
      assert.ok(html.includes('href="mailto:credentials@builders.example"'));
    }
  });

  test('the address an administrator saves is where every page sends new students', async () => {
    const saved = await putProfile(profile({ admissionsUrl: 'https://apply.lakeshore.example/micro' }));
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().admissionsUrl, 'https://apply.lakeshore.example/micro');
    for (const html of await pagesOfNewStudents()) {
      assert.ok(html.includes('href="https://apply.lakeshore.example/micro"'), html);
      assert.match(html, /Apply for admission/);
    }
  });

  test('the admin screen shows the saved address in its own field', async () => {
    const page = await admin.get('/admin/institution');
    assert.match(page.body, /<label for="admissionsUrl">/);
    assert.match(page.body, /value="https:\/\/apply\.lakeshore\.example\/micro"/);
  });

  test('only an http or https address is taken; the field names the problem', async () => {
    for (const bad of ['javascript:alert(1)', 'apply.lakeshore.example', 'ftp://lakeshore.example/apply']) {
      const refused = await putProfile(profile({ admissionsUrl: bad }));
      assert.equal(refused.statusCode, 422, bad);
      assert.deepEqual(
        refused.json().errors.map((e: { field: string }) => e.field),
        ['admissionsUrl'],
      );
    }
    const form = await admin.postForm('/admin/institution', profile({ admissionsUrl: 'not an address' }));
    assert.equal(form.statusCode, 422);
    assert.match(form.body, /Admissions page must be an http:\/\/ or https:\/\/ address/);
  });

  test('a caller that leaves the field out keeps the stored address; a blank one clears it', async () => {
    await putProfile(profile({ admissionsUrl: 'https://apply.lakeshore.example/micro' }));
    const kept = await putProfile(profile());
    assert.equal(kept.json().admissionsUrl, 'https://apply.lakeshore.example/micro');

    const cleared = await putProfile(profile({ admissionsUrl: '' }));
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().admissionsUrl, '');
    for (const html of await pagesOfNewStudents()) {
      assert.doesNotMatch(html, /apply\.lakeshore\.example|\/admissions/);
      assert.ok(html.includes('href="mailto:badges@lakeshore.example"'));
    }
  });
});
