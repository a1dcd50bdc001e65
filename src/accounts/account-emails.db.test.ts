import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  confirmPathIn,
  decodeQuotedPrintable,
  issueBadge,
  latestMailTo,
  startSmtp,
} from '../../test/support/backpack.ts';
import { BrowserSession } from '../../test/support/browser-session.ts';
import {
  anAccount,
  anInstitution,
  aProgram,
  type Person,
  TEST_PASSWORD,
} from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { hashEmail } from '../credentials/build-credential.ts';
import { createMailer } from '../platform/mail/mailer.ts';

describe(`several addresses on one account on ${testBackend}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let slug: string;

  before(async () => {
    smtp = await startSmtp();
    app = await startTestApp({
      runJobs: false,
      mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    });
    await anInstitution(app, { name: 'Lakeshore College' });
    slug = (await aProgram(app, { title: 'Field Ecology' })).slug;
  });
  after(async () => {
    await app.close();
    await smtp.close();
  });

  /** Delivers the newest mail to an address through the real SMTP server; returns its decoded text. */
  const deliveredTo = async (address: string) => {
    const mail = await latestMailTo(app, address);
    await app.services.notifications.deliver(mail.id);
    const received = smtp.received.filter((m) => m.to.includes(address)).at(-1);
    assert.ok(received, `the SMTP server received mail for ${address}`);
    return decodeQuotedPrintable(received.raw);
  };

  /** Adds an address through the page and confirms it through the link mailed to it. */
  async function addAndConfirm(browser: BrowserSession, address: string) {
    const added = await browser.postForm('/account/emails', { email: address });
    assert.equal(added.statusCode, 303);
    const path = confirmPathIn(await deliveredTo(address));
    const page = await browser.get(path);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(address));
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const confirmed = await browser.postForm('/account/emails/confirm', { token });
    assert.equal(confirmed.statusCode, 303);
  }

  const signInStatus = async (email: string) =>
    (await new BrowserSession(app).postForm('/login', { email, password: TEST_PASSWORD })).statusCode;

  async function aLearnerAccount(): Promise<{ person: Person; browser: BrowserSession }> {
    const person = await anAccount(app, { roles: ['learner'] });
    return { person, browser: await person.signIn() };
  }

  test('a confirmed address signs in and takes password resets, which are mailed to it', async () => {
    const { browser } = await aLearnerAccount();
    const personal = `personal.${Date.now()}@mail.example`;
    await addAndConfirm(browser, personal);
    const list = await browser.get('/account/emails');
    assert.match(list.body, new RegExp(`${personal.replace('.', '\\.')}</td><td>Confirmed`));

    assert.equal(await signInStatus(personal), 303);

    await app.services.accounts.sendPasswordReset(personal, null);
    assert.match(await deliveredTo(personal), /\/password\/reset\?token=/);
  });

  test('an address waiting for its link opens nothing', async () => {
    const { browser } = await aLearnerAccount();
    const waiting = `waiting.${Date.now()}@mail.example`;
    await browser.postForm('/account/emails', { email: waiting });
    assert.notEqual(await signInStatus(waiting), 303);
  });

  test('badges issued to any confirmed address are in the one backpack, and keep the address they went to', async () => {
    const { person, browser } = await aLearnerAccount();
    const work = `work.${Date.now()}@employer.example`;
    const id = await issueBadge(app, { email: work, name: person.name }, slug);
    assert.ok(
      !(await browser.get('/backpack')).body.includes(id),
      'not the account’s before it holds the address',
    );
    await addAndConfirm(browser, work);
    assert.ok((await browser.get('/backpack')).body.includes(`/backpack/${id}/accept`));
    assert.equal((await browser.postForm(`/backpack/${id}/accept`, {})).statusCode, 303);
    // The credential still names (as a salted hash) the address it was issued to, so it keeps matching it.
    const json = (await app.services.credentials.find(id))!.json as {
      credentialSubject: { identifier: { identityHash: string; salt: string }[] };
    };
    const [identity] = json.credentialSubject.identifier;
    assert.equal(identity!.identityHash, hashEmail(work, identity!.salt));
    const item = (await app.services.backpack.list(person)).find((b) => b.id === id);
    assert.equal(item?.acceptance, 'accepted');
    assert.equal(item?.isClaimed, true);
  });

  test('a learner leaving the university makes a personal address primary, then removes the university one', async () => {
    const { person, browser } = await aLearnerAccount();
    const personal = `after.${Date.now()}@mail.example`;
    await addAndConfirm(browser, personal);
    // The primary cannot go while it is primary.
    let addresses = await app.services.emails.list(person);
    assert.equal(addresses.find((a) => a.isPrimary)?.canRemove, false);
    const id = addresses.find((a) => a.email === personal)!.id!;
    assert.equal((await browser.postForm(`/account/emails/${id}/primary`, {})).statusCode, 303);
    addresses = await app.services.emails.list(person);
    assert.equal(addresses.find((a) => a.isPrimary)?.email, personal);
    const university = addresses.find((a) => a.email === person.email)!;
    assert.equal(university.isVerified, true);
    assert.equal((await browser.postForm(`/account/emails/${university.id}/remove`, {})).statusCode, 303);
    assert.deepEqual(
      (await app.services.emails.list(person)).map((a) => a.email),
      [personal],
    );
    assert.notEqual(await signInStatus(person.email), 303);
    assert.equal(await signInStatus(personal), 303);
  });

  test('the page as first opened shows no problem box', async () => {
    const { browser } = await aLearnerAccount();
    const page = await browser.get('/account/emails');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /There is a problem/);
  });

  test('bad input is answered beside the field, never with a half-made address', async () => {
    const { person, browser } = await aLearnerAccount();
    const page = await browser.postForm('/account/emails', { email: 'not an address' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /E-mail address must be an e-mail address/);
    const own = await browser.postForm('/account/emails', { email: person.email.toUpperCase() });
    assert.equal(own.statusCode, 400);
    assert.match(own.body, /already your primary address/);
    assert.equal((await app.services.emails.list(person)).length, 1);
  });
});
