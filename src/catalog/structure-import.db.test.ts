import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { aDepartment, aStaffMember } from '../../test/support/builders.ts';
import { cookieHeader } from '../../test/support/learners.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

const bannerTerms = [
  'STVTERM_CODE,STVTERM_DESC,STVTERM_START_DATE,STVTERM_END_DATE,STVTERM_FA_PROC_YR',
  '202510,Fall 2025,25-AUG-2025,12-DEC-2025,2526',
  '202520,Spring 2026,12-JAN-2026,08-MAY-2026,2526',
].join('\r\n');

const peopleSoftCourses = [
  'CRSE_ID,SUBJECT,CATALOG_NBR,DESCR,COURSE_TITLE_LONG,UNITS_MINIMUM,ACAD_ORG,ACAD_CAREER,EFF_STATUS',
  '000101,IMP,101,Intro,Introduction to Imports,3,IMP,UGRD,A',
  '000102,IMP,510,Adv Imports,"Advanced Imports, Graduate",3.0,IMP,GRAD,A',
  '000103,IMP,120,Old,Retired Imports,1,IMP,UGRD,I',
].join('\n');

describe(`academic structure CSV imports on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: BrowserSession;

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
    await aDepartment(app, { code: 'IMP', name: 'Imports' });
  });
  after(() => app.close());

  /** Uploads a file through the import page's form, with the CSRF token in the action URL. */
  async function upload(
    browser: BrowserSession,
    kind: string,
    content: string,
    options: { csrf?: boolean } = {},
  ) {
    const boundary = `----structure${randomBytes(8).toString('hex')}`;
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${kind}.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    );
    const token = options.csrf === false ? '' : `?_csrf=${encodeURIComponent(await browser.csrfToken())}`;
    return app.http.inject({
      method: 'POST',
      url: `/admin/${kind}/import${token}`,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: cookieHeader(browser) },
    });
  }
  const apply = (browser: BrowserSession, kind: string, csv: string) =>
    browser.postForm(`/admin/${kind}/import/apply`, { csv, fileName: `${kind}.csv` });
  const courses = async () =>
    (await app.http.inject({ url: '/api/courses?q=imp', headers: await registrar.apiHeaders() })).json()
      .courses;

  test('Banner terms: the preview lists what would be created, nothing is saved until confirmed', async () => {
    const preview = await upload(registrar, 'terms', bannerTerms);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /terms\.csv<\/strong>: 2 new, 0 changed, 0 unchanged, 0 not accepted/);
    assert.match(preview.body, /<td>2<\/td><td>202510<\/td><td>New<\/td>/);
    assert.match(preview.body, /name="csv" value="STVTERM_CODE,/);
    assert.match((await registrar.get('/admin/terms')).body, /No terms yet/);

    const applied = await apply(registrar, 'terms', bannerTerms);
    assert.equal(applied.statusCode, 303);
    assert.equal(applied.headers.location, '/admin/terms?done=imported');
    const list = await registrar.get('/admin/terms?done=imported');
    assert.match(
      list.body,
      /202510<\/a><\/td><td>Fall 2025<\/td><td class="nowrap">August 25, 2025<\/td><td class="nowrap">December 12, 2025<\/td>/,
    );
  });

  test('PeopleSoft courses import, and importing the same file again changes nothing', async () => {
    const preview = await upload(registrar, 'courses', peopleSoftCourses);
    assert.match(preview.body, /3 new, 0 changed, 0 unchanged, 0 not accepted/);
    assert.equal((await apply(registrar, 'courses', peopleSoftCourses)).statusCode, 303);
    const stored = await courses();
    assert.deepEqual(
      stored.map((c: Record<string, unknown>) => [c.code, c.title, c.credits, c.level, c.active, c.status]),
      [
        ['IMP 101', 'Introduction to Imports', 3, 'undergraduate', true, 'confirmed'],
        ['IMP 120', 'Retired Imports', 1, 'undergraduate', false, 'confirmed'],
        ['IMP 510', 'Advanced Imports, Graduate', 3, 'graduate', true, 'confirmed'],
      ],
    );
    const audited = await app.services.audit.list({ entityType: 'course', limit: 50, offset: 0 });
    assert.equal(audited.filter((e) => e.action === 'course.created').length, 3);

    const again = await upload(registrar, 'courses', peopleSoftCourses);
    assert.match(again.body, /0 new, 0 changed, 3 unchanged, 0 not accepted/);
    assert.match(again.body, /already saved; there is nothing to do/);
    assert.doesNotMatch(again.body, /name="csv"/);
    assert.equal((await apply(registrar, 'courses', peopleSoftCourses)).statusCode, 303);
    const afterwards = await app.services.audit.list({ entityType: 'course', limit: 50, offset: 0 });
    assert.equal(afterwards.length, audited.length, 'a re-import writes no audit entries');
  });

  test('Banner courses update what changed, line by line', async () => {
    const banner = [
      'SCBCRSE_SUBJ_CODE,SCBCRSE_CRSE_NUMB,SCBCRSE_TITLE,SCBCRSE_CREDIT_HR_LOW,SCBCRSE_DEPT_CODE,SCBCRSE_CSTA_CODE',
      'IMP,101,Introduction to Imports,4.000,IMP,A',
      'IMP,120,Retired Imports,1.000,IMP,A',
      'IMP,601,Import Seminar,3.000,IMP,A',
    ].join('\n');
    const preview = await upload(registrar, 'courses', banner);
    assert.match(preview.body, /1 new, 2 changed, 0 unchanged, 0 not accepted/);
    assert.match(preview.body, /<td>2<\/td><td>IMP 101<\/td><td>Changed<\/td><td>credits<\/td>/);
    assert.match(preview.body, /<td>3<\/td><td>IMP 120<\/td><td>Changed<\/td><td>active<\/td>/);
    await apply(registrar, 'courses', banner);
    const seminar = (await courses()).find((c: { code: string }) => c.code === 'IMP 601');
    assert.equal(seminar.level, 'graduate', 'a 600-level course without a level column is graduate');
  });

  test('lines with problems are listed with their line numbers, and nothing is saved', async () => {
    const file = [
      'subject,number,title,credits,department,level,active',
      'IMP,130,Fine Course,3,IMP,undergraduate,yes',
      'IMP,131,,3,IMP,undergraduate,yes',
      'IMP,132,Too Heavy,45,NOPE,doctoral,yes',
      'IMP,130,Fine Course Again,3,IMP,undergraduate,yes',
    ].join('\n');
    const preview = await upload(registrar, 'courses', file);
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /1 new, 0 changed, 0 unchanged, 3 not accepted/);
    assert.match(preview.body, /<td>3<\/td><td><\/td><td>Not accepted<\/td><td>title is required<\/td>/);
    assert.match(
      preview.body,
      /<td>4<\/td>.*credits must be a whole number.*level must be undergraduate or graduate.*department NOPE is not a department here/,
    );
    assert.match(
      preview.body,
      /<td>5<\/td><td>IMP 130<\/td><td>Not accepted<\/td><td>number repeats IMP 130, given earlier at 2/,
    );
    assert.match(preview.body, /Nothing is saved while any line has a problem/);
    assert.doesNotMatch(preview.body, /name="csv"/);

    const forced = await apply(registrar, 'courses', file);
    assert.equal(forced.statusCode, 422);
    assert.match(forced.body, /3 not accepted/);
    assert.equal(
      (await courses()).some((c: { code: string }) => c.code === 'IMP 130'),
      false,
    );
  });

  test('a file that cannot be used is refused on the upload page with the reason', async () => {
    const missing = await upload(registrar, 'departments', 'DEPT,DESCRIPTION\nX,Y\n');
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /The file was not read: the header row has no column for code/);
    const empty = await upload(registrar, 'terms', '');
    assert.match(empty.body, /The file was not read: it is empty/);
  });

  test('departments import by Banner header, with a head found by e-mail', async () => {
    const head = await aStaffMember(app, 'program_lead', { email: 'head.imports@builders.example' });
    const file = `STVDEPT_CODE,STVDEPT_DESC,HEAD_EMAIL\nIMP,Imports and Exports,${head.email}\nNEW,New Department,\n`;
    const preview = await upload(registrar, 'departments', file);
    assert.match(preview.body, /1 new, 1 changed, 0 unchanged, 0 not accepted/);
    await apply(registrar, 'departments', file);
    const list = (
      await app.http.inject({ url: '/api/departments', headers: await registrar.apiHeaders() })
    ).json();
    assert.deepEqual(list.departments, [
      { code: 'IMP', name: 'Imports and Exports', head: head.email },
      { code: 'NEW', name: 'New Department', head: null },
    ]);
  });

  test('the import needs its CSRF token and the registrar’s role', async () => {
    assert.equal((await upload(registrar, 'terms', bannerTerms, { csrf: false })).statusCode, 403);
    const lead = await (await aStaffMember(app, 'program_lead')).signIn();
    assert.equal((await upload(lead, 'terms', bannerTerms)).statusCode, 403);
    assert.equal((await apply(lead, 'terms', bannerTerms)).statusCode, 403);
  });
});
