// Second review, account enumeration: adding another account's address to one's own answered like any address,
// but the list of addresses shown next left it off (and it did not count towards the limit of extra addresses), so
// anyone who signs up could learn, ten addresses a quarter hour, who has an account here. Sign-in and
// forgot-password were found to answer alike already; they are held to it here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount, anInstitution } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`answers that do not tell who has an account, on ${testBackend}`, () => {
  let app: TestApp;
  let n = 0;
  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app.close());

  const unknownAddress = () => `nobody.${++n}@enumeration.example`;
  const withoutToken = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');

  /** The address list page with the one address named on it blanked, so two lists can be compared. */
  const listNaming = async (browser: BrowserSession, email: string) =>
    withoutToken((await browser.get('/account/emails?done=sent')).body)
      .replaceAll(email, '<address>')
      .replace(/\/account\/emails\/[\w-]+\//g, '/account/emails/<id>/');

  test('adding an address shows the same list whether or not another account holds it', async () => {
    const holder = await anAccount(app, { roles: ['learner'] });
    const asker = await anAccount(app, { roles: ['learner'] });
    const other = await anAccount(app, { roles: ['learner'] });
    const unknown = unknownAddress();

    const askerBrowser = await asker.signIn();
    const otherBrowser = await other.signIn();
    const taken = await askerBrowser.postForm('/account/emails', { email: holder.email });
    const free = await otherBrowser.postForm('/account/emails', { email: unknown });
    assert.equal(taken.statusCode, free.statusCode);
    assert.equal(taken.headers.location, free.headers.location);

    const takenList = (await listNaming(askerBrowser, holder.email)).replaceAll(asker.email, '<me>');
    const freeList = (await listNaming(otherBrowser, unknown)).replaceAll(other.email, '<me>');
    assert.match(freeList, /&lt;address&gt;|<address>/, 'the free address is listed as waiting');
    assert.equal(
      takenList.replaceAll(asker.name, '<name>'),
      freeList.replaceAll(other.name, '<name>'),
      'the held address is listed as any address waiting for its link',
    );
  });

  test('a wrong password and an unknown address get the same sign-in answer', async () => {
    const person = await anAccount(app, { roles: ['learner'] });
    const stranger = unknownAddress();
    const signIn = (email: string) =>
      new BrowserSession(app).postForm('/login', { email, password: 'not the password at all' });
    const wrong = await signIn(person.email);
    const unknown = await signIn(stranger);
    assert.equal(wrong.statusCode, unknown.statusCode);
    assert.equal(
      withoutToken(wrong.body).replaceAll(person.email, '<address>'),
      withoutToken(unknown.body).replaceAll(stranger, '<address>'),
    );
  });

  test('forgot-password answers an account and a stranger alike', async () => {
    const person = await anAccount(app, { roles: ['learner'] });
    const known = await new BrowserSession(app).postForm('/password/forgot', { email: person.email });
    const stranger = await new BrowserSession(app).postForm('/password/forgot', { email: unknownAddress() });
    assert.equal(known.statusCode, stranger.statusCode);
    assert.equal(withoutToken(known.body), withoutToken(stranger.body));
  });
});
