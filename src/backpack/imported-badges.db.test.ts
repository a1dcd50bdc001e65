import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anAccount, anInstitution, aProgram, type Person } from '../../test/support/builders.ts';
import { type Ob2Issuer, startOb2Issuer } from '../../test/support/ob2-issuer.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { multipartFile } from '../../test/support/uploads.ts';
import { AppError } from '../platform/errors.ts';

/**
 * Issue 19, point 4: a learner brings Open Badges 2.0 badges from another issuer (a real HTTPS site with a CA of its
 * own) into the backpack, by address and as a baked image; what does not hold up, is someone else's, or is ours
 * stays out, and nobody else sees what a learner brought.
 */
describe(`badges from other issuers in the backpack on ${testBackend}`, () => {
  let app: TestApp;
  let issuer: Ob2Issuer;
  let learner: Person;

  before(async () => {
    issuer = await startOb2Issuer();
    app = await startTestApp({
      runJobs: false,
      env: { STACKABLE_ALLOW_NETWORK: 'true' },
      fetcher: issuer.fetcher,
    });
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
    learner = await anAccount(app, { name: 'Sam Rivera', email: 'sam.rivera@example.net' });
  });
  after(async () => {
    await app.close();
    await issuer.close();
  });

  const aHostedBadge = (to = learner.email, changes: object = {}) => issuer.hostedBadge(to, changes);

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('expected a refusal'),
      (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        return error;
      },
    );

  test('a hosted 2.0 badge added by its address shows in the backpack as from another issuer', async () => {
    const address = aHostedBadge();
    const browser = await learner.signIn();
    const added = await browser.postForm('/backpack/import/link', { url: address });
    assert.equal(added.statusCode, 303, added.body);
    const detail = await browser.get(added.headers.location as string);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /<h1>Safe Welding<\/h1>/);
    assert.match(detail.body, /From another issuer/);
    // The badge's own name for its issuer is said as its claim; the trust message names who published it.
    assert.match(detail.body, /Says it is from Harbour Community College\. Published by/);
    assert.match(detail.body, /issued to one of your e-mail addresses/);
    const backpack = await browser.get('/backpack');
    assert.match(backpack.body, /<h2 id="imported-heading">From other issuers<\/h2>/);
    assert.match(backpack.body, /Safe Welding/);

    // The same badge twice is refused on the form, with the reason.
    const again = await browser.postForm('/backpack/import/link', { url: address });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already in your backpack/);
  });

  test('a baked 2.0 image is added through the upload form, and downloads as it came', async () => {
    const image = await issuer.signedBadgeImage(learner.email);
    const browser = await learner.signIn();
    const token = await browser.csrfToken();
    const { payload, contentType } = multipartFile('file', 'welding.png', 'image/png', image);
    const response = await app.http.inject({
      method: 'POST',
      url: `/backpack/import?_csrf=${encodeURIComponent(token)}`,
      payload,
      headers: {
        'content-type': contentType,
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    assert.equal(response.statusCode, 303, response.body);
    const location = response.headers.location as string;
    const download = await browser.get(`${location.replace(/\?.*$/, '')}/download`);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.deepEqual(download.rawPayload, image);
  });

  test("someone else's badge, one that does not hold up, and one of ours stay out, with the reason", async () => {
    const imported = app.services.importedBadges;
    const other = await refusal(imported.importLink(learner, aHostedBadge('someone.else@example.net')));
    assert.match(other.publicMessage, /issued to someone else/);
    const revoked = aHostedBadge(learner.email, { revoked: true, revocationReason: 'Awarded in error' });
    const gone = await refusal(imported.importLink(learner, revoked));
    assert.match(gone.publicMessage, /does not hold up.*Awarded in error/);

    const program = await aProgram(app, { title: 'Data Literacy', creditType: 'non_credit' });
    const ours = await app.services.credentials.issueCredential(
      { system: 'import test' },
      { slug: program.slug, learner: { email: learner.email, name: learner.name } },
    );
    const json = Buffer.from(JSON.stringify(ours.credential));
    const refused = await refusal(imported.importFile(learner, json));
    assert.match(refused.publicMessage, /issued here/);
    const notBadge = await refusal(imported.importFile(learner, Buffer.from('hello')));
    assert.equal(notBadge.code, 'UNPROCESSABLE');
  });

  test('checked again after its issuer revokes it, the badge says it no longer holds up', async () => {
    const address = aHostedBadge();
    const id = await app.services.importedBadges.importLink(learner, address);
    // The issuer marks it revoked where it hosts it.
    issuer.rehost(address, learner.email, { revoked: true });
    const browser = await learner.signIn();
    const checked = await browser.postForm(`/backpack/imported/${id}/check`, {});
    assert.equal(checked.statusCode, 303);
    const page = await browser.get(`/backpack/imported/${id}`);
    assert.match(page.body, /Did not hold up when last checked/);
    assert.match(page.body, /check-failed/);
  });

  test('a hosted badge its issuer answers 410 Gone for is refused as revoked, not as out of reach', async () => {
    const address = aHostedBadge();
    issuer.withdraw(address);
    const gone = await refusal(app.services.importedBadges.importLink(learner, address));
    assert.match(gone.publicMessage, /revoked/i);
    assert.doesNotMatch(gone.publicMessage, /could not be fetched/);
  });

  test("nobody else sees, downloads, checks or removes a learner's imported badge", async () => {
    const id = await app.services.importedBadges.importLink(learner, aHostedBadge());
    const stranger = await anAccount(app);
    const browser = await stranger.signIn();
    for (const path of [`/backpack/imported/${id}`, `/backpack/imported/${id}/download`]) {
      assert.equal((await browser.get(path)).statusCode, 404, path);
    }
    for (const path of [`/backpack/imported/${id}/check`, `/backpack/imported/${id}/remove`]) {
      assert.equal((await browser.postForm(path, {})).statusCode, 404, path);
    }
    assert.equal(
      (await app.services.importedBadges.list(learner)).some((badge) => badge.id === id),
      true,
    );
    // Its owner removes it, and the log says so in words.
    const own = await learner.signIn();
    assert.equal((await own.postForm(`/backpack/imported/${id}/remove`, {})).statusCode, 303);
    assert.equal(
      (await app.services.importedBadges.list(learner)).some((badge) => badge.id === id),
      false,
    );
  });
});
