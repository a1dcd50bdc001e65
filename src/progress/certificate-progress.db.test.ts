import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aCertificate,
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
} from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`certificates in the learner's progress on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app?.close());

  test('each certificate the badges stack into shows which badges count, which are missing, with links', async () => {
    const certificate = await aCertificate(app, { title: 'Applied Field Certificate' });
    const other = await aCertificate(app, { title: 'Unrelated Certificate' });
    const held = await aProgram(app, { title: 'Held Badge', stacksInto: [certificate.slug] });
    const underWay = await aProgram(app, { title: 'Under Way Badge', stacksInto: [certificate.slug] });
    const missing = await aProgram(app, { title: 'Missing Badge', stacksInto: [certificate.slug] });
    await aProgram(app, { title: 'Elsewhere Badge', stacksInto: [other.slug] });
    const learner = await aLearner(app);
    await anIssuedBadge(app, { learner, program: held });
    await anEnrolment(app, learner, underWay);

    const html = (await (await learner.account!.signIn()).get('/progress')).body;
    const page = textOf(html);
    assert.match(page, /Certificates your badges count toward/);
    assert.match(page, /Applied Field Certificate/);
    assert.match(page, /Badges: 1 of 3 counted, 1 under way/);
    assert.match(page, /Held Badge : Counts: you hold this badge/);
    assert.match(page, /Under Way Badge : Under way: you are enrolled/);
    assert.match(page, /Missing Badge : Missing: not started/);
    assert.match(page, /Next: work on Missing Badge/);
    assert.match(html, new RegExp(`href="/catalog/${missing.slug}"`));
    assert.match(html, new RegExp(`href="/catalog/certificates/${certificate.slug}"`));
    assert.doesNotMatch(page, /Unrelated Certificate|Elsewhere Badge/);
  });

  test('a learner whose badges stack into no certificate sees no certificate section', async () => {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, await aProgram(app));
    const page = textOf((await (await learner.account!.signIn()).get('/progress')).body);
    assert.doesNotMatch(page, /Certificates your badges count toward/);
  });
});
