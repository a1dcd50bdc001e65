import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCourse,
  aDepartment,
  anInstitution,
  aProgram,
  aStaffMember,
  type Person,
} from '../../test/support/builders.ts';
import { proposalValues } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`academic structure screens and API on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: Person;
  let registrarBrowser: BrowserSession;

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
    registrar = await aStaffMember(app, 'registrar');
    registrarBrowser = await registrar.signIn();
  });
  after(() => app.close());

  const auditOf = (entityType: string, entityId: string) =>
    app.services.audit.list({ entityType, entityId, limit: 20, offset: 0 });
  const api = async (browser: BrowserSession, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.http.inject({
      method,
      url,
      headers: { ...(await browser.apiHeaders()), 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  test('only the registrar and administrators open the screens and the API; others are refused', async () => {
    for (const role of ['program_lead', 'credentials_office', 'learner'] as const) {
      const other = await (await aStaffMember(app, role)).signIn();
      for (const url of ['/admin/departments', '/admin/terms', '/admin/courses', '/admin/courses/import']) {
        assert.equal((await other.get(url)).statusCode, 403, `${role} ${url}`);
      }
      assert.equal((await api(other, 'GET', '/api/courses')).statusCode, 403);
      const posted = await api(other, 'POST', '/api/departments', { code: 'X', name: 'X' });
      assert.equal(posted.statusCode, 403);
      const form = await other.postForm('/admin/departments', { code: 'HACK', name: 'Hacked' });
      assert.equal(form.statusCode, 403);
    }
    assert.equal((await app.http.inject({ url: '/admin/courses' })).statusCode, 303);
    assert.equal((await app.http.inject({ url: '/api/terms' })).statusCode, 401);
    const admin = await (await aStaffMember(app, 'admin')).signIn();
    assert.equal((await admin.get('/admin/terms')).statusCode, 200);
    assert.equal((await api(admin, 'GET', '/api/departments')).statusCode, 200);
  });

  test('a department is added with its head, shown in the list, and audited', async () => {
    const head = await aStaffMember(app, 'program_lead', { name: 'Ada Head' });
    const added = await registrarBrowser.postForm('/admin/departments', {
      code: 'jour',
      name: 'Journalism',
      head: head.email.toUpperCase(),
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, '/admin/departments?done=created');
    const list = await registrarBrowser.get('/admin/departments?done=created');
    assert.match(list.body, /The department is added\./);
    assert.match(list.body, /JOUR<\/a><\/td><td>Journalism<\/td><td>Ada Head/);
    const [entry] = await auditOf('department', 'JOUR');
    assert.equal(entry?.action, 'department.created');
    assert.deepEqual(entry?.after, { name: 'Journalism', head: head.email });
  });

  test('the notice after adding a term or a course names what was added', async () => {
    assert.match((await registrarBrowser.get('/admin/terms?done=created')).body, /The term is added\./);
    assert.match((await registrarBrowser.get('/admin/courses?done=created')).body, /The course is added\./);
  });

  test('a refused form is shown again with its values and each problem linked to its field', async () => {
    const refused = await registrarBrowser.postForm('/admin/departments', {
      code: 'two words',
      name: '',
      head: 'nobody@nowhere.example',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /There is a problem/);
    assert.match(refused.body, /<a href="#code">Code must be 1 to 20 letters or digits/);
    assert.match(refused.body, /<a href="#name">Name is required\.<\/a>/);
    assert.match(refused.body, /value="two words"/);
    const unknownHead = await registrarBrowser.postForm('/admin/departments', {
      code: 'GHOST',
      name: 'Ghosts',
      head: 'nobody@nowhere.example',
    });
    assert.equal(unknownHead.statusCode, 400);
    assert.match(unknownHead.body, /is not the e-mail address of anyone with an account here/);
    assert.equal((await auditOf('department', 'GHOST')).length, 0);
  });

  test('terms: added, refused when the end comes first or the code is taken, and edited', async () => {
    const form = { code: '202510', name: 'Fall 2025', startsOn: '2025-08-25', endsOn: '2025-12-12' };
    assert.equal((await registrarBrowser.postForm('/admin/terms', form)).statusCode, 303);
    const again = await registrarBrowser.postForm('/admin/terms', form);
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /202510 already exists/);
    const backwards = await registrarBrowser.postForm('/admin/terms', {
      ...form,
      code: '202520',
      endsOn: '2025-01-01',
    });
    assert.match(backwards.body, /Last day must be after the first day of the term/);
    const edited = await registrarBrowser.postForm('/admin/terms/202510', { ...form, name: 'Autumn 2025' });
    assert.equal(edited.headers.location, '/admin/terms?done=updated');
    const terms = (await api(registrarBrowser, 'GET', '/api/terms')).json().terms;
    assert.deepEqual(terms, [
      { code: '202510', name: 'Autumn 2025', startsOn: '2025-08-25', endsOn: '2025-12-12' },
    ]);
    const actions = (await auditOf('term', '202510')).map((e) => e.action);
    assert.deepEqual(actions, ['term.updated', 'term.created']);
  });

  test('courses: created by form, edited, deactivated and found again by search', async () => {
    const department = await aDepartment(app, { code: 'FORM', name: 'Formal Studies' });
    const created = await registrarBrowser.postForm('/admin/courses', {
      subject: 'form',
      number: '101',
      title: 'Forms',
      credits: '3',
      department: department.code,
      level: 'undergraduate',
    });
    assert.equal(created.statusCode, 303);
    const edited = await registrarBrowser.postForm('/admin/courses/FORM%20101', {
      title: 'Forms and Fields',
      credits: '4',
      department: department.code,
      level: 'undergraduate',
    });
    assert.equal(edited.headers.location, '/admin/courses/FORM%20101?done=updated');
    const off = await registrarBrowser.postForm('/admin/courses/FORM%20101/active', { active: 'no' });
    assert.equal(off.statusCode, 303);
    const page = await registrarBrowser.get('/admin/courses?q=fields');
    assert.match(page.body, /FORM 101<\/a><\/td><td>Forms and Fields<\/td><td>4<\/td>/);
    assert.match(page.body, /Confirmed · inactive/);
    const bad = await registrarBrowser.postForm('/admin/courses', {
      subject: 'FORM',
      number: '102',
      title: 'x',
      credits: 'lots',
      department: 'NOPE',
      level: 'undergraduate',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Credits must be a whole number of credits from 0 to 30/);
    assert.match(bad.body, /Department NOPE is not a department here/);
    const actions = (await auditOf('course', 'FORM 101')).map((e) => e.action);
    assert.deepEqual(actions, ['course.deactivated', 'course.updated', 'course.created']);
  });

  test('the API upserts one record or many, previews with dryRun, and refuses a bad batch whole with 422', async () => {
    await aDepartment(app, { code: 'API', name: 'Interfaces' });
    const courses = Array.from({ length: 30 }, (_, i) => ({
      subject: 'API',
      number: String(100 + i),
      title: `Interfaces ${i}`,
      credits: 3,
      department: 'API',
    }));
    const preview = await api(registrarBrowser, 'POST', '/api/courses?dryRun=true', courses);
    assert.equal(preview.statusCode, 200);
    assert.deepEqual(preview.json().counts, { create: 30, update: 0, unchanged: 0, error: 0 });
    assert.equal((await api(registrarBrowser, 'GET', '/api/courses?q=api')).json().total, 0);

    const written = await api(registrarBrowser, 'POST', '/api/courses', courses);
    assert.deepEqual(written.json().counts, { create: 30, update: 0, unchanged: 0, error: 0 });
    const same = await api(registrarBrowser, 'POST', '/api/courses', courses);
    assert.deepEqual(same.json().counts, { create: 0, update: 0, unchanged: 30, error: 0 });

    const one = await api(registrarBrowser, 'POST', '/api/courses', { ...courses[0], title: 'Renamed' });
    assert.deepEqual(one.json().items[0].changes, ['title']);

    const broken = await api(registrarBrowser, 'POST', '/api/courses', [
      { ...courses[1], title: 'Would change' },
      { ...courses[2], credits: 2.5 },
      { subject: 'API', number: '999' },
    ]);
    assert.equal(broken.statusCode, 422);
    assert.equal(broken.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(broken.json().code, 'UNPROCESSABLE');
    const fields = broken.json().errors.map((e: { field: string }) => e.field);
    assert.deepEqual(fields, ['[1].credits', '[2].title', '[2].credits', '[2].department']);
    const indexes = broken.json().errors.map((e: { index: number }) => e.index);
    assert.deepEqual(indexes, [1, 2, 2, 2], 'each problem names its item by position');
    const page2 = (await api(registrarBrowser, 'GET', '/api/courses?q=api&page=2')).json();
    assert.equal(page2.total, 30);
    assert.equal(page2.pageCount, 2);
    assert.equal(page2.courses.length, 5);
    assert.ok(!JSON.stringify(page2).includes('Would change'), 'nothing of the refused batch was written');

    const screen = await registrarBrowser.get('/admin/courses?q=api&page=2');
    assert.match(screen.body, /30 courses, page 2 of 2/);
    assert.match(screen.body, /Previous courses/);
  });

  test('the API is in the OpenAPI document', async () => {
    const spec = (await app.http.inject({ url: '/docs/json' })).json();
    for (const path of ['/api/departments', '/api/terms', '/api/courses']) {
      assert.ok(spec.paths[path]?.get && spec.paths[path]?.post, path);
    }
  });

  test('a proposal may name a new course: it is added as proposed and waits for another person to confirm it', async () => {
    await anInstitution(app);
    const department = await aDepartment(app, { code: 'PROP' });
    const known = await aCourse(app, { code: 'PROP 101' });
    const lead = await aStaffMember(app, 'program_lead');
    const drafting = app.services.programs.drafting;
    await assert.rejects(
      drafting.draftProposal(lead, proposalValues({ department: department.code, courses: 'PROP 999' }), []),
      (error: { fields: { field: string; reason: string }[] }) =>
        error.fields.some((f) => f.field === 'courses' && f.reason.includes('"PROP 999 | title | credits"')),
    );
    await drafting.draftProposal(
      lead,
      proposalValues({
        department: department.code,
        courses: `${known.code}\nprop 499 | Podcast Studio | 3`,
      }),
      [],
    );
    const proposed = (await api(registrarBrowser, 'GET', '/api/courses?status=proposed')).json().courses;
    assert.deepEqual(
      proposed.map((c: { code: string; status: string; department: string }) => [
        c.code,
        c.status,
        c.department,
      ]),
      [['PROP 499', 'proposed', 'PROP']],
    );
    const list = await registrarBrowser.get('/admin/courses');
    assert.match(list.body, /1 course was named in program proposals/);

    // The public page of a program naming it says it is not yet in the catalog.
    const program = await aProgram(app, {
      status: 'pilot',
      courses: ['PROP 499'],
      department: department.code,
    });
    const publicPage = await app.http.inject({ url: `/catalog/${program.slug}` });
    assert.match(publicPage.body, /Podcast Studio \(a new course, not yet in the course catalog\)/);

    // A registrar may not confirm a course they proposed themselves.
    const leadRegistrar = await app.services.accounts.createUser(app.database.db, {
      email: 'both@builders.example',
      name: 'Lead and Registrar',
      password: 'builder-password-long-enough',
      roles: ['program_lead', 'registrar'],
    });
    const self = {
      id: leadRegistrar,
      name: 'Lead and Registrar',
      email: 'both@builders.example',
      roles: ['program_lead', 'registrar'] as const,
    };
    await drafting.draftProposal(
      { ...self, roles: [...self.roles] },
      proposalValues({ department: department.code, courses: 'PROP 498 | Own Course | 3' }),
      [],
    );
    await assert.rejects(
      app.services.structure.confirmCourse({ ...self, roles: [...self.roles] }, 'PROP 498'),
      /You proposed this course/,
    );

    const confirm = await registrarBrowser.postForm('/admin/courses/PROP%20499/confirm', {});
    assert.equal(confirm.headers.location, '/admin/courses/PROP%20499?done=confirmed');
    const actions = (await auditOf('course', 'PROP 499')).map((e) => e.action);
    assert.deepEqual(actions, ['course.confirmed', 'course.proposed']);
    const after = await app.http.inject({ url: `/catalog/${program.slug}` });
    assert.doesNotMatch(after.body, /not yet in the course catalog/);
  });
});
