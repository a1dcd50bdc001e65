import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import {
  aLearner,
  anIssuedBadge,
  aProgram,
  aStaffMember,
  type BuiltLearner,
} from '../../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { testBackend } from '../../../test/support/test-database.ts';
import { PublicPageCache } from './public-page-cache.ts';

describe('PublicPageCache', () => {
  const page = (body: string) => ({ body, headers: { 'content-type': 'text/html' } });

  test('keeps a page until the write generation moves or it grows too old', () => {
    let generation = 1;
    let now = 0;
    const cache = new PublicPageCache({ generation: () => generation, ttlMs: 1000, now: () => now });
    cache.set('/catalog', page('one'), 1);
    assert.equal(cache.get('/catalog')?.body, 'one');
    now = 999;
    assert.equal(cache.get('/catalog')?.body, 'one');
    now = 1000;
    assert.equal(cache.get('/catalog'), undefined, 'too old');
    cache.set('/catalog', page('two'), 1);
    generation = 2;
    assert.equal(cache.get('/catalog'), undefined, 'the data changed');
  });

  test('keeps a page thirty seconds unless told otherwise, the freshness other processes can count on', () => {
    let now = 0;
    const cache = new PublicPageCache({ generation: () => 0, now: () => now });
    cache.set('/badges/x', page('kept'), 0);
    now = 29_999;
    assert.equal(cache.get('/badges/x')?.body, 'kept');
    now = 30_000;
    assert.equal(cache.get('/badges/x'), undefined);
  });

  test('does not keep a page whose data changed while it was being rendered', () => {
    let generation = 5;
    const cache = new PublicPageCache({ generation: () => generation });
    const startedAt = cache.generation();
    generation = 6;
    cache.set('/badges/x', page('stale'), startedAt);
    assert.equal(cache.get('/badges/x'), undefined);
  });

  test('lets the least recently used pages go first when full', () => {
    const cache = new PublicPageCache({ generation: () => 0, maxPages: 2 });
    cache.set('/a', page('a'), 0);
    cache.set('/b', page('b'), 0);
    cache.get('/a');
    cache.set('/c', page('c'), 0);
    assert.deepEqual(
      ['/a', '/b', '/c'].map((url) => cache.get(url)?.body ?? null),
      ['a', null, 'c'],
    );
  });
});

describe(`public pages served again to anonymous visitors on ${testBackend}`, () => {
  let app: TestApp;
  const titleOf = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** A listed program's public page. */
  const aProgramPage = async () => {
    const { slug } = await aProgram(app, { title: 'Project Management' });
    return { slug, url: `/catalog/${slug}` };
  };

  /** A change the app's own writes cannot see, as if another process had made it. */
  const changeElsewhere = (slug: string, title: string) =>
    app.database.db.executeQuery(
      CompiledQuery.raw(`update programs set title = '${title}' where slug = '${slug}'`),
    );

  test('a kept page is served until this process writes; signed-in visitors always get a fresh one', async () => {
    const { slug, url } = await aProgramPage();
    const first = await app.http.inject({ url });
    assert.equal(titleOf(first.body), 'Project Management');
    await changeElsewhere(slug, 'Project Management (renamed elsewhere)');

    const kept = await app.http.inject({ url });
    assert.equal(titleOf(kept.body), 'Project Management', 'served from the page cache');
    assert.equal(kept.headers.etag, first.headers.etag);
    assert.match(String(kept.headers['cache-control']), /^public, max-age=60/);
    const revalidated = await app.http.inject({
      url,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    assert.equal(revalidated.statusCode, 304);
    assert.equal(revalidated.body, '');

    const staff = await (await aStaffMember(app, 'credentials_office')).signIn();
    const fresh = await staff.get(url);
    assert.equal(titleOf(fresh.body), 'Project Management (renamed elsewhere)');
    assert.match(String(fresh.headers['cache-control']), /^private/);

    // Any write through the app (here one that changes nothing a page shows) lets every kept page go.
    await sql`update programs set updated_at = updated_at where slug = ${slug}`.execute(app.database.db);
    const after = await app.http.inject({ url });
    assert.equal(titleOf(after.body), 'Project Management (renamed elsewhere)');
    assert.notEqual(after.headers.etag, first.headers.etag);
  });

  test('a kept badge page shows a revocation made through this process on the next request', async () => {
    const learner = (await aLearner(app)) as BuiltLearner & { account: NonNullable<BuiltLearner['account']> };
    const { credentialId } = await anIssuedBadge(app, { learner });
    await app.services.backpack.accept(learner.account, credentialId);
    const url = `/badges/${credentialId}`;
    const first = await app.http.inject({ url });
    assert.equal(first.statusCode, 200);
    assert.doesNotMatch(first.body, /This badge has been revoked/);
    assert.equal((await app.http.inject({ url })).headers.etag, first.headers.etag, 'kept');

    const office = await aStaffMember(app, 'admin');
    await app.services.credentials.changeStatus(office, credentialId, 'revoke', 'Issued in error');
    const after = await app.http.inject({ url });
    assert.match(after.body, /This badge has been revoked/);
  });

  test('a visitor sending cookies is never served a kept page', async () => {
    const { slug, url } = await aProgramPage();
    assert.equal(titleOf((await app.http.inject({ url })).body), 'Project Management');
    await changeElsewhere(slug, 'Project Management (renamed elsewhere)');
    const withCookie = await app.http.inject({ url, headers: { cookie: 'stackable_csrf=abc' } });
    assert.equal(titleOf(withCookie.body), 'Project Management (renamed elsewhere)');
  });
});
