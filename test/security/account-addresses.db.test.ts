import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashToken } from '../../src/platform/ids.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { confirmPathIn, decodeQuotedPrintable, latestMailTo, startSmtp } from '../support/backpack.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount, anInstitution, type Person, TEST_PASSWORD } from '../support/builders.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

// Issue 19, point 2: an address joins an account only through a link mailed to that address and opened by that
// account, and no account takes an address another account holds.
describe(`adding addresses to an account on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let n = 0;

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    });
    await anInstitution(app);
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  const address = (who: string) => `${who}.${++n}@addresses.example`;
  const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;
  const signInStatus = async (email: string) =>
    (await new BrowserSession(app).postForm('/login', { email, password: TEST_PASSWORD })).statusCode;

  /** The confirmation link mailed to an address, read from what the SMTP server received. */
  async function linkMailedTo(to: string) {
    const mail = await latestMailTo(app, to);
    await app.services.notifications.deliver(mail.id);
    const received = smtp.received.filter((m) => m.to.includes(to)).at(-1);
    assert.ok(received, `mail reached ${to}`);
    return confirmPathIn(decodeQuotedPrintable(received.raw));
  }

  async function twoPeople(): Promise<[Person, BrowserSession, Person, BrowserSession]> {
    const a = await anAccount(app, { email: address('alice'), roles: ['learner'] });
    const b = await anAccount(app, { email: address('bruno'), roles: ['learner'] });
    return [a, await a.signIn(), b, await b.signIn()];
  }

  test('another account cannot confirm an address with a link it did not ask for', async () => {
    const [alice, aliceBrowser, bruno, brunoBrowser] = await twoPeople();
    const personal = address('alice-home');
    await aliceBrowser.postForm('/account/emails', { email: personal });
    const path = await linkMailedTo(personal);

    // Bruno got hold of the link (forwarded, or on a shared computer): it is not his to use.
    assert.equal((await brunoBrowser.get(path)).statusCode, 410);
    assert.equal(
      (await brunoBrowser.postForm('/account/emails/confirm', { token: tokenOf(path) })).statusCode,
      410,
    );
    assert.equal((await app.services.emails.list(bruno)).length, 1);
    // Nor did his try spend it: Alice still confirms her address.
    assert.equal(
      (await aliceBrowser.postForm('/account/emails/confirm', { token: tokenOf(path) })).statusCode,
      303,
    );
    assert.ok((await app.services.emails.list(alice)).some((a) => a.email === personal && a.isVerified));
  });

  test('nobody adds an address another account holds: no link is sent and the answer is the same', async () => {
    const [alice, aliceBrowser, bruno] = await twoPeople();
    const before = smtp.received.length;
    const tried = await aliceBrowser.postForm('/account/emails', { email: bruno.email.toUpperCase() });
    assert.equal(tried.statusCode, 303);
    assert.equal(tried.headers.location, '/account/emails?done=sent');
    assert.equal((await app.services.notifications.list({ to: bruno.email, limit: 10 })).length, 0);
    assert.equal(smtp.received.length, before);
    // It waits on Alice's list as any address would (account-enumeration.db.test.ts), under a link nobody has.
    const listed = (await app.services.emails.list(alice)).find((a) => a.email === bruno.email);
    assert.equal(listed?.isVerified, false);
    // And Bruno's address still signs in to Bruno's account alone.
    assert.equal(await signInStatus(bruno.email), 303);
  });

  test('an address one account confirmed cannot be confirmed by another that asked for it first', async () => {
    const [alice, aliceBrowser, bruno, brunoBrowser] = await twoPeople();
    const shared = address('shared');
    // Bruno asks first (he does not own the mailbox), then the mailbox's owner, Alice, asks and confirms.
    await brunoBrowser.postForm('/account/emails', { email: shared });
    const brunosLink = await linkMailedTo(shared);
    await aliceBrowser.postForm('/account/emails', { email: shared });
    const alicesLink = await linkMailedTo(shared);
    assert.equal(
      (await aliceBrowser.postForm('/account/emails/confirm', { token: tokenOf(alicesLink) })).statusCode,
      303,
    );
    // Bruno's pending claim is gone, so even the genuine link he asked for now confirms nothing.
    assert.equal(
      (await brunoBrowser.postForm('/account/emails/confirm', { token: tokenOf(brunosLink) })).statusCode,
      410,
    );
    assert.ok(!(await app.services.emails.list(bruno)).some((a) => a.email === shared));
    assert.ok((await app.services.emails.list(alice)).some((a) => a.email === shared && a.isVerified));
  });

  test('a link works once and expires; only its hash is stored', async () => {
    const [, aliceBrowser] = await twoPeople();
    const personal = address('once');
    await aliceBrowser.postForm('/account/emails', { email: personal });
    const path = await linkMailedTo(personal);
    const token = tokenOf(path);
    const stored = await app.database.db
      .selectFrom('account_emails')
      .select('token_hash')
      .where('email', '=', personal)
      .executeTakeFirstOrThrow();
    assert.equal(stored.token_hash, hashToken(token));
    assert.notEqual(stored.token_hash, token);
    // The page that lists the addresses never shows the link.
    assert.ok(!(await aliceBrowser.get('/account/emails')).body.includes(token));
    assert.equal((await aliceBrowser.postForm('/account/emails/confirm', { token })).statusCode, 303);
    assert.equal((await aliceBrowser.postForm('/account/emails/confirm', { token })).statusCode, 410);

    const late = address('late');
    await aliceBrowser.postForm('/account/emails', { email: late });
    const lateToken = tokenOf(await linkMailedTo(late));
    await app.database.db
      .updateTable('account_emails')
      .set({ token_expires_at: new Date(Date.now() - 1000) })
      .where('email', '=', late)
      .execute();
    assert.equal(
      (await aliceBrowser.postForm('/account/emails/confirm', { token: lateToken })).statusCode,
      410,
    );
    assert.notEqual(await signInStatus(late), 303);
  });

  test('nobody signs up a second account with an address another account has confirmed', async () => {
    const [alice, aliceBrowser] = await twoPeople();
    const personal = address('taken-by-sign-up');
    await aliceBrowser.postForm('/account/emails', { email: personal });
    await aliceBrowser.postForm('/account/emails/confirm', { token: tokenOf(await linkMailedTo(personal)) });
    await app.services.signUp.signUp(
      {
        name: 'Someone Else',
        email: personal,
        password: 'a-long-enough-passphrase',
        confirm: 'a-long-enough-passphrase',
      },
      null,
    );
    const accounts = await app.services.accounts.listUsers(personal);
    assert.equal(accounts.length, 0, 'no account has it as its primary address');
    // The mailbox's owner is told at that address that they already have an account.
    assert.equal((await latestMailTo(app, personal)).kind, 'sign_up_existing');
    assert.equal(await signInStatus(personal), 303);
    assert.ok((await app.services.emails.list(alice)).some((a) => a.email === personal));
  });

  test('adding and confirming need the CSRF token', async () => {
    const [, aliceBrowser] = await twoPeople();
    const response = await aliceBrowser.postForm(
      '/account/emails',
      { email: address('csrf') },
      { csrf: false },
    );
    assert.equal(response.statusCode, 403);
  });
});
