import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { DEMO_PASSWORD, loadDemoUniversity } from '../demo/demo-data.ts';

const data = loadDemoUniversity();
const isOffered = (status: string) => status === 'pilot' || status === 'established';
const offeredIn = (slug: string) =>
  data.programs.filter((p) => isOffered(p.status) && p.stacksInto.includes(slug)).map((p) => p.slug);
const learnerEmail = 'learner@cascaderidge.example';

interface ApiPathway {
  microCredentials: { slug: string; title: string; status: string }[];
  courses: { code: string; credits: number; isRequired: boolean }[];
  creditPlan: { microCredentials: number; requiredCourses: number; electives: number; total: number };
  credits: number;
  isTranscripted: boolean;
}

describe(`certificate pathways on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
  });
  after(() => app.close());

  const get = async (url: string, status = 200) => {
    const response = await app.http.inject({ url });
    assert.equal(response.statusCode, status, url);
    return response;
  };
  const pathway = async (slug: string) => (await get(`/api/certificates/${slug}`)).json() as ApiPathway;

  test('lists every certificate with the number of offered micro-credentials that stack into it', async () => {
    const { certificates } = (await get('/api/certificates')).json();
    assert.deepEqual(
      certificates.map((c: { slug: string }) => c.slug).sort(),
      data.certificates.map((c) => c.slug).sort(),
    );
    for (const c of certificates) {
      assert.equal(c.microCredentials, offeredIn(c.slug).length, c.slug);
      assert.equal(c.url, `http://localhost:3999/catalog/certificates/${c.slug}`);
    }
  });

  test('each demo certificate adds up: badges, required courses and electives make its total', async () => {
    for (const demo of data.certificates) {
      const p = await pathway(demo.slug);
      assert.equal(p.credits, demo.credits, demo.slug);
      assert.deepEqual(
        p.courses.map((c) => [c.code, c.isRequired]),
        demo.courses.map((c) => [c.code, c.required]),
      );
      const plan = p.creditPlan;
      assert.ok(plan.electives > 0, `${demo.slug} asks for some electives`);
      assert.equal(plan.microCredentials + plan.requiredCourses + plan.electives, plan.total, demo.slug);
      const offeredElectives = p.courses.filter((c) => !c.isRequired).reduce((s, c) => s + c.credits, 0);
      assert.ok(plan.electives <= offeredElectives, `${demo.slug}: enough electives`);
    }
  });

  test('a draft that names the certificate is not part of its stack, until it is offered', async () => {
    const draft = data.programs.find((p) => p.status === 'draft' && p.stacksInto.length > 0);
    assert.ok(draft, 'the demo has a draft that stacks into a certificate');
    const slug = draft.stacksInto[0]!;

    const api = await pathway(slug);
    assert.deepEqual(api.microCredentials.map((b) => b.slug).sort(), offeredIn(slug).sort());
    const page = await get(`/catalog/certificates/${slug}`);
    assert.ok(!page.body.includes(draft.title), 'the draft title is not on the page');
    assert.ok(!page.body.includes(`/catalog/${draft.slug}"`), 'no link to the draft');
    const list = (await get('/catalog/certificates')).body;
    assert.ok(!list.includes(draft.title));

    // The same program, once approved for its pilot, joins the stack: the filter is on status, not on data.
    await app.database.db
      .updateTable('programs')
      .set({ status: 'pilot' })
      .where('slug', '=', draft.slug)
      .execute();
    try {
      const offered = await pathway(slug);
      assert.ok(offered.microCredentials.some((b) => b.slug === draft.slug && b.status === 'pilot'));
    } finally {
      await app.database.db
        .updateTable('programs')
        .set({ status: 'draft' })
        .where('slug', '=', draft.slug)
        .execute();
    }
  });

  test('the pathway page draws the stack in order, links each badge and shows how the credits add up', async () => {
    const slug = 'film-production';
    const api = await pathway(slug);
    const html = (await get(`/catalog/certificates/${slug}`)).body;
    const stack = /<ol class="pathway"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1];
    assert.ok(stack, 'an ordered list holds the stack');
    const linked = [...stack.matchAll(/href="\/catalog\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      linked,
      api.microCredentials.map((b) => b.slug),
    );
    assert.deepEqual(linked.slice().sort(), offeredIn(slug).sort());
    for (const c of api.courses) assert.ok(stack.includes(c.code), c.code);
    assert.match(html, /How the credits add up/);
    assert.match(html, /Transcripted: awarded by the registrar/);
    assert.match(html, />Total<\/th>\s*<td>44<\/td>/);
    assert.match(html, /How to start/);

    const jsonLd = JSON.parse(
      /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '',
    );
    assert.equal(jsonLd['@type'], 'EducationalOccupationalProgram');
    assert.equal(jsonLd.numberOfCredits, 44);
    assert.equal(jsonLd.educationalCredentialAwarded.hasPart.length, api.microCredentials.length);
    assert.deepEqual(
      jsonLd.hasCourse.map((c: { courseCode: string }) => c.courseCode),
      api.courses.map((c) => c.code),
    );
  });

  test('a badge that can be taken without credit is marked: it counts toward a transcripted certificate for credit', async () => {
    const hybrid = data.programs.find(
      (p) => p.creditType === 'hybrid' && isOffered(p.status) && p.stacksInto.length > 0,
    );
    assert.ok(hybrid);
    const html = (await get(`/catalog/certificates/${hybrid.stacksInto[0]}`)).body;
    assert.match(html, /Take it for credit for it to count toward this certificate/);
  });

  test('courses shared by two badges of a stack are pointed out', async () => {
    const html = (await get('/catalog/certificates/geospatial-technology')).body;
    assert.match(html, /GEOG 385 belongs to both/);
  });

  test('anonymous pathway pages are publicly cacheable and listed in the sitemap', async () => {
    for (const url of ['/catalog/certificates', '/catalog/certificates/sustainable-tourism']) {
      const response = await get(url);
      assert.equal(response.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600', url);
      assert.equal(response.headers['set-cookie'], undefined, url);
    }
    const sitemap = (await get('/sitemap.xml')).body;
    assert.ok(sitemap.includes('/catalog/certificates<'));
    for (const c of data.certificates)
      assert.ok(sitemap.includes(`/catalog/certificates/${c.slug}<`), c.slug);
  });

  test('the catalog links to the certificates, and program pages link what they count toward', async () => {
    assert.match((await get('/catalog')).body, /href="\/catalog\/certificates"/);
    const program = data.programs.find((p) => p.slug === 'foundations-of-sustainability-and-tourism')!;
    const html = (await get(`/catalog/${program.slug}`)).body;
    for (const slug of program.stacksInto)
      assert.ok(html.includes(`href="/catalog/certificates/${slug}"`), slug);
  });

  test('an unknown certificate is a 404 page and a problem document', async () => {
    const page = await get('/catalog/certificates/no-such-certificate', 404);
    assert.match(page.body, /could not be found/);
    const api = await get('/api/certificates/no-such-certificate', 404);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
  });

  test('a signed-in learner sees the pieces they hold, privately; anonymous visitors never do', async () => {
    const db = app.database.db;
    const user = await db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('email', '=', learnerEmail)
      .executeTakeFirstOrThrow();
    const learner = await db
      .selectFrom('learners')
      .select(['id', 'name'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    // The demo learner has passed CS 225 and MATH 243 (for their data visualization badge). Give them one badge
    // of the geospatial stack and an enrolment in another, through the services that really do this.
    await app.services.credentials.issueCredential(
      { system: 'pathway test' },
      {
        slug: 'geographic-information-systems-gis',
        learner: { email: learnerEmail, name: learner.name, learnerId: learner.id },
      },
    );
    await app.services.learners.enrolCurrent({ ...user, roles: ['learner'] }, 'community-planning');

    const browser = new BrowserSession(app);
    await browser.login(learnerEmail, DEMO_PASSWORD);
    const page = await browser.get('/catalog/certificates/geospatial-technology');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['cache-control']), /^private/);
    assert.match(page.body, /Your progress/);
    assert.match(page.body, /Micro-credentials: 1 of 2 done, 1 under way/);
    assert.match(page.body, /You hold this badge/);
    assert.match(page.body, /You are enrolled/);
    assert.match(page.body, /Required courses: 1 of 1 completed/);
    assert.match(page.body, /Electives: 4 of 4 credits completed/);
    assert.match(page.body, /<strong>Next:<\/strong> Work on <a href="\/catalog\/community-planning">/);

    const anonymous = await get('/catalog/certificates/geospatial-technology');
    assert.doesNotMatch(anonymous.body, /Your progress|You hold this badge|Your record/);
    assert.match(String(anonymous.headers['cache-control']), /^public/);

    // A revoked badge is no longer held.
    const credential = await db
      .selectFrom('credentials')
      .select('id')
      .where('learner_id', '=', learner.id)
      .executeTakeFirstOrThrow();
    await app.services.credentials.changeStatus(
      { system: 'pathway test' },
      credential.id,
      'revoke',
      'issued in error',
    );
    const after = await browser.get('/catalog/certificates/geospatial-technology');
    assert.match(after.body, /Micro-credentials: 0 of 2 done, 1 under way/);
  });

  test('staff without a learner record see the public pathway, still privately', async () => {
    const browser = new BrowserSession(app);
    await browser.login('registrar@cascaderidge.example', DEMO_PASSWORD);
    const page = await browser.get('/catalog/certificates/film-production');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Your progress/);
    assert.match(String(page.headers['cache-control']), /^private/);
  });
});
