// Issue 14: the academic structure (departments, terms, courses) is the registrar's. Every way of changing it
// (forms, CSV import, JSON API) refuses other staff, and a course a person proposed in their own program
// proposal is confirmed by someone else, never by them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/platform/actor.ts';
import { aCourse, aDepartment, anAccount, aStaffMember } from '../support/builders.ts';
import { proposalValues } from '../support/programs.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`academic structure access on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
  });
  after(() => app.close());

  test('staff other than the registrar and administrators change nothing, by form, import or API', async () => {
    await aDepartment(app, { code: 'SEC' });
    const course = await aCourse(app, { code: 'SEC 101', title: 'Kept As It Was' });
    for (const role of ['program_lead', 'credentials_office', 'approver', 'bursar', 'learner'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      const forms: [string, Record<string, string>][] = [
        ['/admin/departments', { code: 'EVIL', name: 'Evil' }],
        ['/admin/departments/SEC', { name: 'Renamed' }],
        ['/admin/terms', { code: '1', name: 'T', startsOn: '2025-01-01', endsOn: '2025-02-01' }],
        [
          '/admin/courses',
          { subject: 'SEC', number: '1', title: 'T', credits: '3', department: 'SEC', level: 'graduate' },
        ],
        [
          '/admin/courses/SEC%20101',
          { title: 'Renamed', credits: '3', department: 'SEC', level: 'graduate' },
        ],
        ['/admin/courses/SEC%20101/active', { active: 'no' }],
        ['/admin/courses/SEC%20101/confirm', {}],
        ['/admin/courses/import/apply', { csv: 'subject,number,title,credits,department\nSEC,2,T,3,SEC' }],
      ];
      for (const [url, fields] of forms) {
        assert.equal((await browser.postForm(url, fields)).statusCode, 403, `${role} ${url}`);
      }
      const headers = { ...(await browser.apiHeaders()), 'content-type': 'application/json' };
      for (const kind of ['departments', 'terms', 'courses']) {
        const posted = await app.http.inject({ method: 'POST', url: `/api/${kind}`, headers, payload: '[]' });
        assert.equal(posted.statusCode, 403, `${role} POST /api/${kind}`);
        assert.equal((await app.http.inject({ url: `/api/${kind}`, headers })).statusCode, 403);
      }
    }
    const audit = await app.services.audit.list({ entityType: 'course', limit: 10, offset: 0 });
    assert.equal(audit.length, 0);
    const [stored] = await app.services.structure
      .courses({ id: 'x', name: 'x', email: 'x@x.example', roles: ['admin'] }, { q: course.code })
      .then((list) => list.courses);
    assert.equal(stored?.title, 'Kept As It Was');
  });

  test('a registrar who proposed a course may not confirm it; another registrar may', async () => {
    const department = await aDepartment(app, { code: 'OWN' });
    await aCourse(app, { code: 'OWN 100' });
    const both = await anAccount(app, { roles: ['program_lead', 'registrar'] });
    const actor: Actor = { id: both.id, name: both.name, email: both.email, roles: both.roles };
    await app.services.programs.drafting.draftProposal(
      actor,
      proposalValues({ department: department.code, courses: 'OWN 100\nOWN 499 | Own Course | 3' }),
      [],
    );
    const self = await both.signIn();
    const page = await self.get('/admin/courses/OWN%20499');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Confirm OWN 499/);
    const refused = await self.postForm('/admin/courses/OWN%20499/confirm', {});
    assert.equal(refused.statusCode, 403);
    // Nor by re-sending it through the API: the record is saved, but stays proposed.
    const headers = { ...(await self.apiHeaders()), 'content-type': 'application/json' };
    const viaApi = await app.http.inject({
      method: 'POST',
      url: '/api/courses',
      headers,
      payload: JSON.stringify({
        subject: 'OWN',
        number: '499',
        title: 'Own Course',
        credits: 3,
        department: 'OWN',
        level: 'undergraduate',
      }),
    });
    assert.equal(viaApi.json().items[0].outcome, 'unchanged');

    const other = await (await aStaffMember(app, 'registrar')).signIn();
    const confirmed = await other.postForm('/admin/courses/OWN%20499/confirm', {});
    assert.equal(confirmed.statusCode, 303);
    const entries = await app.services.audit.list({
      entityType: 'course',
      entityId: 'OWN 499',
      limit: 5,
      offset: 0,
    });
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor_id === both.id]),
      [
        ['course.confirmed', false],
        ['course.proposed', true],
      ],
    );
  });
});
