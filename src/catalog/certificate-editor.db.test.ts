import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { aCourse, anInstitution, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { CatalogSeedRepository } from './catalog-seed.repository.ts';

let counter = 0;

describe(`the certificates editor on ${testBackend}`, () => {
  let app: TestApp;
  let office: Person;
  let officeBrowser: BrowserSession;
  let courses: { code: string }[];

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
    await anInstitution(app, { name: 'Editor Test University' });
    office = await aStaffMember(app, 'credentials_office', { name: 'Olive Office' });
    officeBrowser = await office.signIn();
    courses = [await aCourse(app, { credits: 3 }), await aCourse(app, { credits: 4 })];
  });
  after(() => app.close());

  /** A complete, valid form; each test changes what it is about. */
  const aForm = (fields: Record<string, string | string[]> = {}) => {
    counter += 1;
    return {
      title: `Certificate in Testing ${counter}`,
      description: 'A certificate made by one test, to see what the editor does.',
      level: 'undergraduate',
      creditsRequired: '12',
      isTranscripted: 'yes',
      badgesRequired: '',
      outcome: 'Test things carefully.',
      requiredCourses: courses[0]!.code,
      electiveCourses: courses[1]!.code,
      note: '',
      ...fields,
    };
  };

  const create = async (fields: Record<string, string | string[]> = {}) => {
    const form = aForm(fields);
    const created = await officeBrowser.postForm('/certificates', form);
    assert.equal(created.statusCode, 303, created.body.slice(0, 400));
    const slug = /^\/certificates\/([a-z0-9-]+)\?done=created$/.exec(String(created.headers.location))?.[1];
    assert.ok(slug, String(created.headers.location));
    return { slug, form };
  };

  const publicPage = (slug: string) => app.http.inject({ url: `/catalog/certificates/${slug}` });
  const auditActions = async (slug: string) =>
    (
      await app.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('entity_type', '=', 'certificate')
        .where('entity_id', '=', slug)
        .orderBy('id')
        .execute()
    ).map((row) => `${row.action} by ${row.actor_id === office.id ? 'office' : row.actor_id}`);

  test('a new certificate gets a slug from its title and stays a staff-only draft until published', async () => {
    const { slug, form } = await create();
    assert.equal(slug, form.title.toLowerCase().replaceAll(' ', '-'));
    assert.equal((await publicPage(slug)).statusCode, 404);
    assert.doesNotMatch(
      (await app.http.inject({ url: '/catalog/certificates' })).body,
      new RegExp(form.title),
    );
    assert.doesNotMatch((await app.http.inject({ url: '/api/certificates' })).body, new RegExp(slug));
    const list = await officeBrowser.get('/certificates');
    assert.match(list.body, new RegExp(`${form.title}</a></td><td>Not yet</td><td>Version 1, not published`));

    const published = await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    assert.equal(published.statusCode, 303);
    const page = await publicPage(slug);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<h1>${form.title}</h1>`));
    assert.deepEqual(await auditActions(slug), [
      'certificate.created by office',
      'certificate.published by office',
    ]);
  });

  test('an edit is a new draft version; the public page keeps the published one until it is published', async () => {
    const { slug, form } = await create();
    await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    const edited = await officeBrowser.postForm(`/certificates/${slug}`, {
      ...form,
      slug,
      title: `${form.title} Revised`,
      note: 'Clearer title',
    });
    assert.equal(edited.statusCode, 303);
    assert.equal(edited.headers.location, `/certificates/${slug}?done=saved`);
    assert.match((await publicPage(slug)).body, new RegExp(`<h1>${form.title}</h1>`));

    // Saving again while the draft is open changes that draft, not a third version.
    await officeBrowser.postForm(`/certificates/${slug}`, {
      ...form,
      slug,
      title: `${form.title} Revised`,
      note: 'Clearer',
    });
    const editor = await officeBrowser.get(`/certificates/${slug}`);
    assert.match(editor.body, /Version 2 is a draft/);
    assert.match(editor.body, /Publish version 2/);

    await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    assert.match((await publicPage(slug)).body, new RegExp(`<h1>${form.title} Revised</h1>`));
    const versions = await app.database.db
      .selectFrom('certificate_versions')
      .select(['version', 'note', 'published_by'])
      .where('certificate_slug', '=', slug)
      .orderBy('version')
      .execute();
    assert.deepEqual(versions, [
      { version: 1, note: '', published_by: office.id },
      { version: 2, note: 'Clearer', published_by: office.id },
    ]);
    const history = await officeBrowser.get(`/certificates/${slug}`);
    assert.match(history.body, /2 \(current\)/);
    assert.match(history.body, /Olive Office, [A-Z][a-z]+ \d{1,2}, \d{4}, \d\d:\d\d UTC/);
    assert.deepEqual(await auditActions(slug), [
      'certificate.created by office',
      'certificate.published by office',
      'certificate.draft_saved by office',
      'certificate.draft_saved by office',
      'certificate.published by office',
    ]);
  });

  test('the badges chosen in the editor stack into the published certificate', async () => {
    const program = await aProgram(app, { title: 'Stacked Program' });
    const { slug } = await create({ programIds: [program.id] });
    await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    const api = await app.http.inject({ url: `/api/certificates/${slug}` });
    assert.deepEqual(
      api.json().microCredentials.map((m: { slug: string }) => m.slug),
      [program.slug],
    );
    assert.match(
      (await app.http.inject({ url: `/catalog/${program.slug}` })).body,
      new RegExp(`/catalog/certificates/${slug}`),
    );
  });

  test('bad input re-renders the form with each problem named, and writes nothing', async () => {
    const before = await app.database.db.selectFrom('certificates').select('slug').execute();
    const refused = await officeBrowser.postForm(
      '/certificates',
      aForm({ title: '', creditsRequired: 'twelve', requiredCourses: 'NOPE 999', badgesRequired: '0' }),
    );
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /There is a problem/);
    assert.match(refused.body, /<a href="#title">Title must be 3 to 200 characters\.<\/a>/);
    assert.match(
      refused.body,
      /<a href="#creditsRequired">Credits required must be a whole number from 0 to 200\.<\/a>/,
    );
    assert.match(refused.body, /Badges required must be left empty/);
    assert.match(refused.body, /aria-invalid="true"/);
    // What was typed is kept.
    assert.match(refused.body, /value="twelve"/);
    const unknownCourse = await officeBrowser.postForm(
      '/certificates',
      aForm({ requiredCourses: 'NOPE 999' }),
    );
    assert.equal(unknownCourse.statusCode, 400);
    assert.match(unknownCourse.body, /Required extra courses names NOPE 999, not in the course catalog\./);
    assert.deepEqual(await app.database.db.selectFrom('certificates').select('slug').execute(), before);
  });

  test('the slug may change before the first publication and never after', async () => {
    const { slug, form } = await create();
    const renamed = await officeBrowser.postForm(`/certificates/${slug}`, {
      ...form,
      slug: `${slug}-renamed`,
    });
    assert.equal(renamed.headers.location, `/certificates/${slug}-renamed?done=saved`);
    await officeBrowser.postForm(`/certificates/${slug}-renamed/publish`, {});
    const refused = await officeBrowser.postForm(`/certificates/${slug}-renamed`, {
      ...form,
      slug: `${slug}-again`,
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Web address name cannot change once the certificate is published/);
    assert.equal((await publicPage(`${slug}-renamed`)).statusCode, 200);
    const taken = await officeBrowser.postForm('/certificates', aForm({ slug: `${slug}-renamed` }));
    assert.match(taken.body, /Web address name is already used by another certificate/);
  });

  test('a certificate written before versioning keeps its published state as version 1 when edited', async () => {
    counter += 1;
    const slug = `older-certificate-${counter}`;
    await new CatalogSeedRepository().insertCertificates(app.database.db, [
      {
        slug,
        title: 'Older Certificate',
        description: 'Written before the editor existed.',
        badges_required: null,
        outcome: null,
        updated_at: new Date(),
      },
    ]);
    assert.equal((await publicPage(slug)).statusCode, 200);
    const form = aForm({ slug, title: 'Older Certificate, Renewed' });
    assert.equal((await officeBrowser.postForm(`/certificates/${slug}`, form)).statusCode, 303);
    const versions = await app.database.db
      .selectFrom('certificate_versions')
      .select(['version', 'published_at'])
      .where('certificate_slug', '=', slug)
      .orderBy('version')
      .execute();
    assert.deepEqual(
      versions.map((v) => [v.version, v.published_at !== null]),
      [
        [1, true],
        [2, false],
      ],
    );
    assert.match((await publicPage(slug)).body, /<h1>Older Certificate<\/h1>/);
  });

  test('publishing with no open draft is refused on the page, not with an error page', async () => {
    const { slug } = await create();
    await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    const again = await officeBrowser.postForm(`/certificates/${slug}/publish`, {});
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /There is no draft to publish/);
  });

  test('learners and program leads are refused; the registrar reads but may not change', async () => {
    const { slug, form } = await create();
    for (const role of ['learner', 'program_lead', 'bursar'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      assert.equal((await browser.get('/certificates')).statusCode, 403, role);
      assert.equal((await browser.get(`/certificates/${slug}`)).statusCode, 403, role);
      assert.equal((await browser.postForm('/certificates', aForm())).statusCode, 403, role);
      assert.equal((await browser.postForm(`/certificates/${slug}`, form)).statusCode, 403, role);
      assert.equal((await browser.postForm(`/certificates/${slug}/publish`, {})).statusCode, 403, role);
    }
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const page = await registrar.get(`/certificates/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Save the draft|Publish version/);
    assert.equal((await registrar.postForm(`/certificates/${slug}`, form)).statusCode, 403);
    assert.equal((await registrar.postForm(`/certificates/${slug}/publish`, {})).statusCode, 403);
    assert.equal((await publicPage(slug)).statusCode, 404);
  });

  test('staff get the staff navigation with the current section marked; learners keep the plain header', async () => {
    const page = await officeBrowser.get('/certificates');
    assert.match(page.body, /<nav class="staff-nav" aria-label="Staff">/);
    assert.match(page.body, /<a href="\/certificates" aria-current="page">Certificates<\/a>/);
    assert.doesNotMatch(page.body, /href="\/billing"/);
    const learner = await (await aStaffMember(app, 'learner')).signIn();
    assert.doesNotMatch((await learner.get('/help')).body, /aria-label="Staff"/);
    assert.doesNotMatch((await app.http.inject({ url: '/help' })).body, /aria-label="Staff"/);
  });

  test('the help pages are public and name the institution from its settings', async () => {
    for (const url of ['/help', '/help/learners', '/help/staff']) {
      const page = await app.http.inject({ url });
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /Editor Test University/, url);
    }
    assert.match((await app.http.inject({ url: '/catalog' })).body, /<a href="\/help">Help<\/a>/);
  });
});
