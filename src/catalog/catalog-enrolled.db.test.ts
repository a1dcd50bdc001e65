import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  type BuiltProgram,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`the catalog tells a learner which programs they joined, on ${testBackend}`, () => {
  let app: TestApp;
  let joined: BuiltProgram;
  let finished: BuiltProgram;
  let other: BuiltProgram;

  const enrolButtons = (html: string, slug: string) => html.includes(`href="/enrol/${slug}?path=`);
  const progressLink = (slug: string) => `href="/progress#program-${slug}"`;
  /** The catalog card of one program: from its title link to the end of its list item. */
  const cardOf = (html: string, slug: string) => {
    const start = html.indexOf(`href="/catalog/${slug}"`);
    assert.ok(start >= 0, `the catalog lists ${slug}`);
    return html.slice(start, html.indexOf('</li>', start));
  };

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    joined = await aProgram(app, { title: 'Estuary Ecology' });
    finished = await aProgram(app, { title: 'Tidal Surveying' });
    other = await aProgram(app, { title: 'Harbour Logistics' });
  });
  after(() => app.close());

  test('an enrolled learner sees that they are enrolled, with their progress, instead of the Enrol buttons', async () => {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, joined, { enrolledOn: '2026-01-12' });
    const browser = await learner.account!.signIn();

    const page = await browser.get(`/catalog/${joined.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /You are enrolled in Estuary Ecology, since January 12, 2026/);
    assert.ok(page.body.includes(progressLink(joined.slug)));
    assert.ok(!enrolButtons(page.body, joined.slug), 'no Enrol button for a program already joined');

    const card = cardOf((await browser.get('/catalog')).body, joined.slug);
    assert.match(card, /You are enrolled/);
    assert.ok(card.includes(progressLink(joined.slug)));
  });

  test('a learner who completed a program is told so, not offered to enrol again', async () => {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, finished, { status: 'completed' });
    const browser = await learner.account!.signIn();

    const page = await browser.get(`/catalog/${finished.slug}`);
    assert.match(page.body, /You completed Tidal Surveying/);
    assert.ok(page.body.includes(progressLink(finished.slug)));
    assert.ok(!enrolButtons(page.body, finished.slug));
    assert.match(cardOf((await browser.get('/catalog')).body, finished.slug), /You completed this/);
  });

  test('the programs a learner has not joined, or withdrew from, still offer the Enrol buttons', async () => {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, joined);
    await anEnrolment(app, learner, finished, { status: 'withdrawn' });
    const browser = await learner.account!.signIn();

    for (const program of [other, finished]) {
      const page = await browser.get(`/catalog/${program.slug}`);
      assert.ok(enrolButtons(page.body, program.slug), program.slug);
      assert.doesNotMatch(page.body, /You are enrolled|You completed/);
    }
    const list = (await browser.get('/catalog')).body;
    assert.doesNotMatch(cardOf(list, other.slug), /You are enrolled/);
    assert.doesNotMatch(cardOf(list, finished.slug), /You are enrolled|You completed/);
  });

  test('a visitor who is not signed in sees the Enrol buttons and nobody’s enrolment', async () => {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, joined);

    const page = await app.http.inject({ url: `/catalog/${joined.slug}` });
    assert.equal(page.statusCode, 200);
    assert.ok(enrolButtons(page.body, joined.slug));
    assert.doesNotMatch(page.body, /You are enrolled/);
    assert.doesNotMatch((await app.http.inject({ url: '/catalog' })).body, /You are enrolled/);
  });
});
