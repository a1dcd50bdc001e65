// Issue 14: certificates are edited by staff. A draft (a new certificate, or the next version of a published one)
// is unfinished university business: nobody outside the offices that look after certificates may read it, and
// only the credentials office and administrators may change or publish it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, anInstitution, aProgram, aStaffMember } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`certificate drafts stay with staff on ${testBackend}`, () => {
  let app: TestApp;
  let slug: string;
  let programSlug: string;
  const secretTitle = 'Certificate Nobody Has Announced';

  before(async () => {
    app = await startTestApp({ seed: false, runJobs: false });
    await anInstitution(app);
    const office = await aStaffMember(app, 'credentials_office');
    const course = await aCourse(app);
    const program = await aProgram(app);
    programSlug = program.slug;
    slug = await app.services.certificateEditor.create(office, {
      title: secretTitle,
      description: 'Planned, not yet approved for the public.',
      level: 'graduate',
      creditsRequired: '9',
      isTranscripted: 'no',
      requiredCourses: course.code,
      programIds: [program.id],
    });
  });
  after(() => app.close());

  test('an unpublished certificate appears on no public page, API or sitemap', async () => {
    for (const url of [
      `/catalog/certificates/${slug}`,
      '/catalog/certificates',
      '/api/certificates',
      `/api/certificates/${slug}`,
      '/sitemap.xml',
      `/catalog/${programSlug}`,
    ]) {
      const response = await app.http.inject({ url });
      assert.doesNotMatch(response.body, new RegExp(secretTitle), url);
      // Links and sitemap entries; the not-found answer for the slug itself may echo its own address.
      if (!url.endsWith(slug)) assert.doesNotMatch(response.body, new RegExp(`certificates/${slug}`), url);
      else assert.equal(response.statusCode, 404, url);
    }
  });

  test('every editor route refuses visitors, learners, program leads and the bursar', async () => {
    const routes = [
      { method: 'GET', url: '/certificates' },
      { method: 'GET', url: '/certificates/new' },
      { method: 'GET', url: `/certificates/${slug}` },
      { method: 'POST', url: '/certificates' },
      { method: 'POST', url: `/certificates/${slug}` },
      { method: 'POST', url: `/certificates/${slug}/publish` },
    ] as const;
    for (const route of routes) {
      const anonymous = await app.http.inject({ method: route.method, url: route.url });
      assert.ok([303, 401, 403].includes(anonymous.statusCode), `${route.method} ${route.url}`);
    }
    for (const role of ['learner', 'program_lead', 'bursar', 'approver'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      for (const route of routes) {
        const response =
          route.method === 'GET'
            ? await browser.get(route.url)
            : await browser.postForm(route.url, { title: 'Taken over' });
        assert.equal(response.statusCode, 403, `${role}: ${route.method} ${route.url}`);
        assert.doesNotMatch(response.body, new RegExp(secretTitle));
      }
    }
    const row = await app.database.db
      .selectFrom('certificates')
      .select(['title', 'published_version'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { title: secretTitle, published_version: null });
  });

  test('the registrar reads drafts but the service refuses its changes too, not only the route', async () => {
    const registrar = await aStaffMember(app, 'registrar');
    assert.equal((await app.services.certificateEditor.view(registrar, slug)).canEdit, false);
    await assert.rejects(app.services.certificateEditor.publish(registrar, slug), { code: 'FORBIDDEN' });
    await assert.rejects(app.services.certificateEditor.saveDraft(registrar, slug, { title: 'Changed' }), {
      code: 'FORBIDDEN',
    });
  });
});
