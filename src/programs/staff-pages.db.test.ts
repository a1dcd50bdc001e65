import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aCourse,
  aDepartment,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { proposalValues, syllabus } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

const titlesIn = (html: string) =>
  [...html.matchAll(/<th scope="row"><a href="\/programs\/[^"]+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);

describe(`staff pages with many programs on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let office: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead', { name: 'Busy Lead' });
    office = await aStaffMember(app, 'credentials_office');
    const department = (await aDepartment(app)).code;
    const courses = [(await aCourse(app)).code, (await aCourse(app)).code];
    // 23 programs led by one person, as the walk-through found, and seven more by nobody in particular.
    for (let i = 1; i <= 30; i++) {
      await aProgram(app, {
        title: `Scale Program ${String(i).padStart(2, '0')}`,
        lead: i <= 23 ? lead : null,
        department,
        courses,
      });
    }
  });
  after(() => app.close());

  test('the programs list comes 25 at a time, with a pager that keeps the status filter', async () => {
    const browser = await office.signIn();
    const first = (await browser.get('/programs')).body;
    assert.equal(titlesIn(first).length, 25);
    assert.match(first, /Page 1 of 2/);
    assert.match(first, /<a href="\/programs\?page=2">More programs<\/a>/);
    const second = (await browser.get('/programs?page=2')).body;
    assert.deepEqual(titlesIn(second), [
      'Scale Program 26',
      'Scale Program 27',
      'Scale Program 28',
      'Scale Program 29',
      'Scale Program 30',
    ]);
    const filtered = (await browser.get('/programs?status=established&page=2')).body;
    assert.match(filtered, /<a href="\/programs\?status=established&amp;page=1">Previous programs<\/a>/);
    assert.match(
      first,
      /<td class="nowrap">[A-Z][a-z]+ \d{1,2}, \d{4}<\/td>/,
      'last-change dates do not wrap',
    );
  });

  test('a lead with 23 programs sees them ten at a time on their home', async () => {
    const browser = await lead.signIn();
    const first = (await browser.get('/home')).body;
    assert.match(first, /Programs I lead \(23\)/);
    assert.equal(titlesIn(first).length, 10);
    assert.match(first, /Page 1 of 3/);
    const last = (await browser.get('/home?programs=3')).body;
    assert.deepEqual(titlesIn(last), ['Scale Program 21', 'Scale Program 22', 'Scale Program 23']);
  });

  test('a missing MOU is said where the Request signatures button would be', async () => {
    const department = (await aDepartment(app)).code;
    const courses = [(await aCourse(app)).code, (await aCourse(app)).code];
    const id = await app.services.programs.drafting.draftProposal(
      lead,
      proposalValues({
        department,
        courses: courses.join('\n'),
        contacts: '',
        is_interdisciplinary: 'on',
      }),
      [syllabus()],
    );
    const page = (await (await lead.signIn()).get(`/programs/${id}`)).body;
    assert.doesNotMatch(page, /value="request_signatures"/);
    assert.match(page, /<strong>Request signatures:<\/strong> An MOU is required for an interdisciplinary/);
    assert.doesNotMatch(page, /Nothing waits for you on this program right now/);
  });
});
