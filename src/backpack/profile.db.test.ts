import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anIssuedBadge, aProgram, type BuiltLearner } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

// Issue 19, point 3: an opt-in public profile of accepted badges at a chosen short address.
describe(`public profiles on ${testBackend}`, () => {
  let app: TestApp;
  let n = 0;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  /** A learner with two badges of two programs, the first accepted, the second left pending. */
  async function aLearnerWithBadges() {
    const learner = (await aLearner(app)) as BuiltLearner & { account: NonNullable<BuiltLearner['account']> };
    const first = await anIssuedBadge(app, {
      learner,
      program: await aProgram(app, { title: `Soil Science ${++n}` }),
    });
    const second = await anIssuedBadge(app, {
      learner,
      program: await aProgram(app, { title: `Hydrology ${n}` }),
    });
    await app.services.backpack.accept(learner.account, first.credentialId);
    return {
      learner,
      accepted: first.credentialId,
      pending: second.credentialId,
      browser: await learner.account.signIn(),
    };
  }

  test('a profile is off until published, shows accepted badges only, and answers 404 again once taken down', async () => {
    const { learner, accepted, pending, browser } = await aLearnerWithBadges();
    const handle = `soil-${n}`;
    const anonymous = new BrowserSession(app);
    assert.equal(
      (await browser.postForm('/backpack/profile', { handle, bio: 'Field technician.' })).statusCode,
      303,
    );
    assert.equal((await anonymous.get(`/p/${handle}`)).statusCode, 404, 'off by default');

    assert.equal(
      (await browser.postForm('/backpack/profile/publish', { published: 'true' })).statusCode,
      303,
    );
    const page = await anonymous.get(`/p/${handle}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(learner.name));
    assert.ok(page.body.includes('Field technician.'));
    assert.ok(page.body.includes(`/badges/${accepted}`));
    assert.ok(!page.body.includes(`/badges/${pending}`), 'a badge not accepted is never on the profile');
    assert.doesNotMatch(page.body, /<script/, 'no script of anyone’s');

    await browser.postForm('/backpack/profile/publish', { published: 'false' });
    assert.equal((await anonymous.get(`/p/${handle}`)).statusCode, 404);
  });

  test('collections are named and ordered by the learner and hold only their accepted badges', async () => {
    const { accepted, pending, browser, learner } = await aLearnerWithBadges();
    const handle = `collect-${n}`;
    await browser.postForm('/backpack/profile', { handle, bio: '' });
    await browser.postForm('/backpack/profile/publish', { published: 'true' });
    await browser.postForm('/backpack/profile/collections', { name: 'Earth skills' });
    await browser.postForm('/backpack/profile/collections', { name: 'Water skills' });
    const [earth, water] = (await app.services.profiles.editor(learner.account)).collections;
    assert.equal(
      (
        await browser.postForm(`/backpack/profile/collections/${earth!.id}`, {
          name: 'Earth skills',
          badges: accepted,
        })
      ).statusCode,
      303,
    );
    await browser.postForm(`/backpack/profile/collections/${water!.id}`, {
      name: 'Water and rivers',
      badges: accepted,
    });
    await browser.postForm(`/backpack/profile/collections/${water!.id}/move`, { direction: 'up' });

    const page = (await new BrowserSession(app).get(`/p/${handle}`)).body;
    assert.ok(page.indexOf('Water and rivers') < page.indexOf('Earth skills'), 'the learner’s order');

    const refused = await browser.postForm(`/backpack/profile/collections/${earth!.id}`, {
      name: 'Earth skills',
      badges: [accepted, pending],
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /only badges you have accepted/);
    const stranger = await (await aLearner(app)).account!.signIn();
    const theirs = await stranger.postForm(`/backpack/profile/collections/${earth!.id}`, {
      name: 'Mine now',
    });
    assert.equal(theirs.statusCode, 404);
  });

  test('handles are checked and unique', async () => {
    const first = await aLearnerWithBadges();
    const second = await aLearnerWithBadges();
    const handle = `unique-${n}`;
    await first.browser.postForm('/backpack/profile', { handle, bio: '' });
    const taken = await second.browser.postForm('/backpack/profile', {
      handle: handle.toUpperCase(),
      bio: '',
    });
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /already taken/);
    const bad = await second.browser.postForm('/backpack/profile', { handle: '../admin', bio: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /letters, digits and hyphens/);
  });

  test('the embed code is plain HTML with the values escaped, and share links are plain links', async () => {
    const { browser, accepted } = await aLearnerWithBadges();
    await browser.postForm('/backpack/profile', { handle: `embed-${n}`, bio: '' });
    await browser.postForm('/backpack/profile/publish', { published: 'true' });
    const editor = (await browser.get('/backpack/profile')).body;
    assert.ok(editor.includes(`/catalog/`), 'an image link');
    assert.match(editor, new RegExp(`&lt;a href=&quot;http[^&]+/badges/${accepted}&quot;>&lt;img src=`));
    const page = (await new BrowserSession(app).get(`/p/embed-${n}`)).body;
    assert.match(page, /href="https:\/\/bsky\.app\/intent\/compose\?text=/);
    assert.match(page, /href="mailto:\?subject=/);
  });
});
