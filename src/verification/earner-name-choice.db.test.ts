import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueBadge } from '../../test/support/backpack.ts';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { aLearner, anInstitution, aProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

const NAME = 'Marisol Ventura';

/** Every way the public can have one of our badges verified, and what each one says. */
async function everyVerificationOf(app: TestApp, id: string, file: Buffer) {
  const anonymous = new BrowserSession(app);
  const byLink = await anonymous.get(`/verify?credential=${id}`);
  const byPaste = await anonymous.postForm('/verify', { text: file.toString('utf8') });
  const api = await app.http.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential: JSON.parse(file.toString('utf8')) },
  });
  for (const [how, response] of [
    ['link', byLink],
    ['paste', byPaste],
    ['API', api],
  ] as const) {
    assert.equal(response.statusCode, 200, `${how}: ${response.body.slice(0, 300)}`);
  }
  assert.match(byLink.body, /<h2 id="result-heading">Verified<\/h2>/);
  assert.match(byPaste.body, /<h2 id="result-heading">Verified<\/h2>/);
  const report = api.json() as { verified: boolean; ours: { id: string; recipientName: string | null } };
  assert.equal(report.verified, true);
  assert.equal(report.ours.id, id, 'the API still recognises the badge as ours');
  return { link: byLink.body, paste: byPaste.body, api: api.body, apiName: report.ours.recipientName };
}

describe(`the earner's choice to leave their name off, in verification, on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app.close());

  /** A badge of a program of its own, issued to a learner of its own, who is signed in. */
  const aBadgeHeld = async () => {
    const { slug } = await aProgram(app, { creditType: 'non_credit' });
    const built = await aLearner(app, { name: NAME });
    const id = await issueBadge(app, { email: built.email, name: built.name }, slug);
    // Accepted, so it is shared (issue 19); before that nobody's name is shown at all.
    await app.services.backpack.accept(built.account!, id);
    return { id, learner: await built.account!.signIn() };
  };

  test('verifying a badge names its earner until they leave their name off, then no longer', async () => {
    const { id, learner } = await aBadgeHeld();
    const json = await learner.get(`/backpack/${id}/credential.json`);
    assert.equal(json.statusCode, 200);
    const credential = json.rawPayload;

    const shown = await everyVerificationOf(app, id, credential);
    assert.match(shown.link, new RegExp(`Awarded to</dt><dd>${NAME}`));
    assert.match(shown.paste, new RegExp(`Awarded to</dt><dd>${NAME}`));
    assert.equal(shown.apiName, NAME);

    const saved = await learner.postForm(`/backpack/${id}/name`, { show: 'false' });
    assert.equal(saved.statusCode, 303);
    const withheld = await everyVerificationOf(app, id, credential);
    for (const [how, body] of Object.entries(withheld)) {
      assert.ok(!String(body).includes(NAME), `the ${how} verification does not name the earner`);
    }
    assert.doesNotMatch(withheld.link, /Awarded to/);
    assert.equal(withheld.apiName, null);
    // The public badge page agrees: the choice is one choice everywhere.
    assert.doesNotMatch((await new BrowserSession(app).get(`/badges/${id}`)).body, new RegExp(NAME));

    await learner.postForm(`/backpack/${id}/name`, { show: 'true' });
    assert.equal((await everyVerificationOf(app, id, credential)).apiName, NAME);
  });

  test('a badge whose page the learner hid still verifies from its file, naming no one', async () => {
    const { id, learner } = await aBadgeHeld();
    const credential = (await learner.get(`/backpack/${id}/credential.json`)).body;
    await learner.postForm(`/backpack/${id}/visibility`, { public: 'false' });

    const anonymous = new BrowserSession(app);
    const byLink = await anonymous.get(`/verify?credential=${id}`);
    assert.equal(byLink.statusCode, 422);
    assert.match(byLink.body, /may have been hidden by its holder/);
    const byPaste = await anonymous.postForm('/verify', { text: credential });
    assert.match(byPaste.body, /<h2 id="result-heading">Verified<\/h2>/);
    assert.ok(!byPaste.body.includes(NAME));
    assert.ok(!byPaste.body.includes(`/credentials/${id}/baked.png`), 'no link to the hidden downloads');
    const api = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: JSON.parse(credential) },
    });
    assert.equal(api.json().verified, true);
    assert.equal(api.json().ours, null);
  });
});
