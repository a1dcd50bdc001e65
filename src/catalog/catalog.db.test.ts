import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { loadDemoUniversity } from '../demo/demo-data.ts';

const data = loadDemoUniversity();
const byStatus = (status: string) => data.programs.filter((p) => p.status === status);

describe(`public catalog on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
  });
  after(() => app.close());

  const getJson = async (url: string) => {
    const response = await app.http.inject({ url });
    assert.equal(response.statusCode, 200, url);
    return response.json();
  };

  test('lists exactly the programs in pilot or established, never drafts or retired ones', async () => {
    const { programs } = await getJson('/api/catalog');
    const listed = new Set(programs.map((p: { slug: string }) => p.slug));
    const offered = [...byStatus('pilot'), ...byStatus('established')].map((p) => p.slug);
    assert.deepEqual([...listed].sort(), offered.sort());
    for (const p of [...byStatus('draft'), ...byStatus('retired')]) assert.ok(!listed.has(p.slug), p.slug);
  });

  test('filters by level, credit type, department, skill and words', async () => {
    const graduate = (await getJson('/api/catalog?level=graduate')).programs;
    assert.ok(graduate.length > 0);
    assert.ok(graduate.every((p: { level: string }) => p.level === 'graduate'));

    const nonCredit = (await getJson('/api/catalog?creditType=non_credit')).programs;
    assert.ok(
      nonCredit.length > 0 && nonCredit.every((p: { creditType: string }) => p.creditType === 'non_credit'),
    );

    const spanish = (await getJson('/api/catalog?q=spanish')).programs.map((p: { title: string }) => p.title);
    assert.ok(spanish.length >= 2);
    const expected = [...byStatus('pilot'), ...byStatus('established')].filter((p) =>
      `${p.title} ${p.summary} ${p.description} ${JSON.stringify(p.skills)}`
        .toLowerCase()
        .includes('spanish'),
    );
    assert.ok(
      expected.every((p) => spanish.includes(p.title)),
      'every offered program mentioning Spanish is found',
    );

    const skill = [...byStatus('established')][0]!.skills[0]!.name;
    const withSkill = (await getJson(`/api/catalog?skill=${encodeURIComponent(skill)}`)).programs;
    assert.ok(withSkill.length >= 1);

    const none = (await getJson('/api/catalog?q=zzzzunmatchable')).programs;
    assert.equal(none.length, 0);
  });

  test('blank filter fields from the HTML form mean no filter', async () => {
    const response = await app.http.inject({
      url: '/catalog?q=&level=&creditType=&department=&skill=&maxCredits=',
    });
    assert.equal(response.statusCode, 200);
    const offered = byStatus('pilot').length + byStatus('established').length;
    assert.match(response.body, new RegExp(`${offered} micro-credentials`));
  });

  test('a program page shows requirements in plain words, fee, enrolment paths and schema.org data', async () => {
    const program = byStatus('established').find((p) => p.enrolmentPaths.length === 4)!;
    const response = await app.http.inject({ url: `/catalog/${program.slug}` });
    assert.equal(response.statusCode, 200);
    const html = response.body;
    assert.match(html, /Requirements/);
    assert.match(html, /Complete/);
    assert.match(html, /\$10\.00/);
    for (const label of [
      'New to the university',
      'Just want the badge',
      'Current student',
      'Returning student',
    ]) {
      assert.ok(html.includes(label), label);
    }
    const jsonLd = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.ok(jsonLd);
    const parsed = JSON.parse(jsonLd);
    assert.equal(parsed['@type'], 'EducationalOccupationalCredential');
    assert.equal(parsed.name, program.title);
    assert.equal(parsed.competencyRequired.length, program.skills.length);
  });

  test('drafts do not exist publicly, not even by guessing the address', async () => {
    for (const draft of byStatus('draft')) {
      const page = await app.http.inject({ url: `/catalog/${draft.slug}` });
      assert.equal(page.statusCode, 404);
      assert.doesNotMatch(page.body, new RegExp(draft.title));
      const api = await app.http.inject({ url: `/api/catalog/${draft.slug}` });
      assert.equal(api.statusCode, 404);
    }
  });

  test('a retired program says it is no longer offered and offers no enrolment', async () => {
    const retired = byStatus('retired')[0]!;
    const page = await app.http.inject({ url: `/catalog/${retired.slug}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No longer offered/);
    assert.doesNotMatch(page.body, /How to enrol/);
  });

  test('the sitemap lists offered and retired programs but no drafts', async () => {
    const response = await app.http.inject({ url: '/sitemap.xml' });
    assert.equal(response.statusCode, 200);
    for (const p of byStatus('established')) assert.ok(response.body.includes(`/catalog/${p.slug}<`), p.slug);
    for (const p of byStatus('draft')) assert.ok(!response.body.includes(`/catalog/${p.slug}<`), p.slug);
  });

  test('titles with markup are escaped on the page', async () => {
    const program = byStatus('established')[0]!;
    await app.database.db
      .updateTable('programs')
      .set({ summary: '<script>alert(1)</script> & more' })
      .where('slug', '=', program.slug)
      .execute();
    const page = await app.http.inject({ url: `/catalog/${program.slug}` });
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.ok(
      page.body.includes('&lt;script>alert(1)&lt;/script> &amp; more') ||
        page.body.includes('&lt;script&gt;'),
    );
  });

  test('anonymous catalog pages are publicly cacheable, carry an ETag and answer 304 when unchanged', async () => {
    const first = await app.http.inject({ url: '/catalog' });
    assert.equal(first.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
    assert.equal(first.headers['set-cookie'], undefined, 'no cookie on a page without forms');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const again = await app.http.inject({ url: '/catalog', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const login = await app.http.inject({ url: '/login' });
    assert.match(String(login.headers['cache-control']), /private/);
    assert.ok(login.headers['set-cookie'], 'the sign-in form issues its CSRF cookie');
  });
});

describe(`the catalog page of an institution's own programs on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  const page = async (url: string) => {
    const response = await app.http.inject({ url });
    assert.equal(response.statusCode, 200, url);
    return response.body;
  };

  test('an empty catalog says nothing is offered yet, not that the filters match nothing', async () => {
    const body = await page('/catalog?level=');
    assert.match(body, /No micro-credentials are offered yet/);
    assert.doesNotMatch(body, /Nothing matches all of these filters/);
    assert.doesNotMatch(body, /certificates and how badges stack/, 'no certificate is published');
  });

  test('the credits menu offers what the programs start at, and the chosen value even if none does', async () => {
    await aProgram(app, { credits: { min: 5, max: 5 } });
    await aProgram(app, { credits: { min: 9, max: 12 } });
    await aProgram(app, { credits: { min: 9, max: 9 }, status: 'draft' });
    const choices = (body: string) =>
      [...body.matchAll(/<option value="(\d+)"[^>]*>Up to \d+<\/option>/g)].map((m) => Number(m[1]));
    assert.deepEqual(choices(await page('/catalog')), [5, 9]);
    const filtered = await page('/catalog?maxCredits=7');
    assert.deepEqual(choices(filtered), [5, 7, 9]);
    assert.match(filtered, /<option value="7" selected[^>]*>Up to 7<\/option>/);
    assert.match(filtered, /1 micro-credential match/);
  });
});
