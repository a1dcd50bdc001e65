import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../../test/support/browser-session.ts';
import { anAccount, aProgram, TEST_PASSWORD } from '../../test/support/builders.ts';
import {
  aClientAddress,
  aNewAddress,
  mailReceivedBy,
  openVerificationLink,
  SIGN_UP_PASSWORD,
  signUp,
  startSignUpApp,
  verificationPathIn,
} from '../../test/support/sign-up.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { SIGN_UP_LIMITS } from './sign-up.service.ts';

const HOUR_MS = 60 * 60 * 1000;
/** The answer to the form without the parts that differ per request (the CSRF token). */
const withoutTokens = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');

describe(`learner sign-up on ${testBackend}`, () => {
  const clock = fixedClock(new Date());
  let env: Awaited<ReturnType<typeof startSignUpApp>>;
  let app: TestApp;
  let slug: string;
  const userByEmail = (email: string) =>
    app.database.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

  before(async () => {
    env = await startSignUpApp({ clock });
    app = env.app;
    slug = (await aProgram(app, { title: 'Field Ecology' })).slug;
  });
  after(() => env.close());

  test('signing up makes an unverified learner account and mails a link that signs in and continues the enrolment', async () => {
    const email = aNewAddress();
    const next = `/enrol/${slug}?path=non_degree`;
    const form = await new BrowserSession(app).get(`/signup?next=${encodeURIComponent(next)}`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes(`name="next" value="/enrol/${slug}?path=non_degree"`));

    const { browser, response } = await signUp(app, { name: 'Imke Vandersloot', email, next });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Check your e-mail/);
    const user = await userByEmail(email);
    assert.ok(user, 'the account exists');
    assert.equal(user.email_verified_at, null);
    assert.equal(user.status, 'active');
    const roles = await app.database.db
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['learner'],
    );

    // Signed in before verifying: enrolling waits for the address, with a way to ask for a new link.
    await browser.login(email, SIGN_UP_PASSWORD);
    const blocked = await browser.get(next);
    assert.equal(blocked.statusCode, 302);
    assert.match(String(blocked.headers.location), /^\/signup\/pending\?next=/);
    const pending = await browser.get(String(blocked.headers.location));
    assert.match(pending.body, /Confirm your e-mail address first/);
    assert.match(pending.body, /Send me a new link/);
    const refused = await browser.postForm(`/enrol/${slug}`, { path: 'non_degree', noAid: 'yes' });
    assert.equal(refused.statusCode, 303);
    assert.match(String(refused.headers.location), /^\/signup\/pending/);

    const text = await mailReceivedBy(app, env.smtp, email);
    assert.match(text, /Confirm your e-mail address/);
    const link = verificationPathIn(text);
    // Opening the page does not spend the link (mail scanners open links too); the button does.
    const visitor = new BrowserSession(app, aClientAddress());
    assert.equal((await visitor.get(link)).statusCode, 200);
    const { response: verified } = await openVerificationLink(visitor, link);
    assert.equal(verified.statusCode, 303);
    assert.equal(verified.headers.location, next);
    assert.ok(visitor.cookies.has('stackable_session'), 'verifying signs the person in');
    assert.notEqual((await userByEmail(email))?.email_verified_at, null);

    const page = await visitor.get(next);
    assert.equal(page.statusCode, 200);
    const enrolled = await visitor.postForm(`/enrol/${slug}`, {
      path: 'non_degree',
      name: 'Imke Vandersloot',
      email,
      studentId: '',
      noAid: 'yes',
    });
    assert.equal(enrolled.statusCode, 303);
    assert.match(String(enrolled.headers.location), /done=enrolled/);

    // The link worked once.
    const again = await openVerificationLink(new BrowserSession(app, aClientAddress()), link);
    assert.equal(again.page.statusCode, 410);
    assert.equal(again.response.statusCode, 410);
  });

  test('bad input re-renders the form naming each field, and creates nothing', async () => {
    const email = 'not-an-address';
    const { response } = await signUp(app, { name: 'X', email, password: 'short', confirm: 'short' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#name"/);
    assert.match(response.body, /href="#email"/);
    assert.match(response.body, /href="#password"/);
    const mismatch = await signUp(app, { email: aNewAddress(), confirm: 'something else entirely' });
    assert.equal(mismatch.response.statusCode, 400);
    // Said in words, in the summary and beside the field: the field's label is an instruction, not a name.
    const said =
      mismatch.response.body.match(/The password typed again does not match the password\./g) ?? [];
    assert.equal(said.length, 2, 'in the summary and beside the field');
    assert.doesNotMatch(mismatch.response.body, /Type it again does not match/);
    assert.equal(await userByEmail(email), undefined);
  });

  test('the answer is the same for a known and an unknown address; the owner is told instead', async () => {
    const owner = await anAccount(app, { name: 'Odalys Ferreira' });
    const stranger = aNewAddress();
    const known = await signUp(app, { email: owner.email, name: 'Someone Else' });
    const unknown = await signUp(app, { email: stranger, name: 'Someone Else' });
    assert.equal(known.response.statusCode, unknown.response.statusCode);
    assert.equal(withoutTokens(known.response.body), withoutTokens(unknown.response.body));

    const text = await mailReceivedBy(app, env.smtp, owner.email);
    assert.match(text, /already has one/);
    assert.doesNotMatch(text, /signup\/verify/);
    // The owner's account is untouched: their password still works, and no second account was made.
    await new BrowserSession(app, aClientAddress()).login(owner.email, TEST_PASSWORD);
    const accounts = await app.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', owner.email)
      .execute();
    assert.equal(accounts.length, 1);
  });

  test('asking again sends a new link and the earlier one stops working', async () => {
    const email = aNewAddress();
    const { browser } = await signUp(app, { email });
    const first = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
    await browser.login(email, SIGN_UP_PASSWORD);
    const resent = await browser.postForm('/signup/resend', { next: `/enrol/${slug}?path=returning` });
    assert.equal(resent.statusCode, 303);
    assert.match(String(resent.headers.location), /^\/signup\/pending\?sent=1/);
    assert.match((await browser.get(String(resent.headers.location))).body, /A new link is on its way/);
    const second = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
    assert.notEqual(first, second);
    assert.ok(second.includes(encodeURIComponent(`/enrol/${slug}?path=returning`)));

    assert.equal((await openVerificationLink(browser, first)).response.statusCode, 410);
    const { response } = await openVerificationLink(browser, second);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/enrol/${slug}?path=returning`);
    // Once verified, there is nothing to resend and the pending page sends the person on.
    const done = await browser.postForm('/signup/resend', {});
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/home');
  });

  test('a link older than a day has expired and proves nothing', async () => {
    const email = aNewAddress();
    await signUp(app, { email });
    const link = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
    const now = clock.now();
    clock.set(new Date(now.getTime() + 25 * HOUR_MS));
    try {
      const { page, response } = await openVerificationLink(new BrowserSession(app, aClientAddress()), link);
      assert.equal(page.statusCode, 410);
      assert.match(page.body, /expired or was already used/);
      assert.equal(response.statusCode, 410);
      assert.equal((await userByEmail(email))?.email_verified_at, null);
    } finally {
      clock.set(now);
    }
  });

  test('one address gets a few mails an hour, whether or not it has an account; then the count starts again', async () => {
    const owner = await anAccount(app);
    for (const email of [owner.email, aNewAddress()]) {
      for (let i = 0; i < SIGN_UP_LIMITS.mailsPerAddress; i++) {
        assert.equal((await signUp(app, { email })).response.statusCode, 200, `mail ${i + 1} to ${email}`);
      }
      const refused = await signUp(app, { email });
      assert.equal(refused.response.statusCode, 429);
      assert.match(refused.response.body, /Several e-mails have already gone to this address/);
    }
    const now = clock.now();
    clock.set(new Date(now.getTime() + HOUR_MS + 1000));
    try {
      assert.equal((await signUp(app, { email: owner.email })).response.statusCode, 200);
    } finally {
      clock.set(now);
    }
  });

  test('one client address may post the form only so often', async () => {
    const browser = new BrowserSession(app, aClientAddress());
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await signUp(app, { email: 'not-an-address' }, browser)).response.statusCode);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(400));
    assert.equal(statuses[10], 429);
  });

  test('a next that is not a path on this site is dropped and never followed', async () => {
    for (const next of ['https://evil.example/x', '//evil.example/x', '/\\evil.example']) {
      const form = await new BrowserSession(app).get(`/signup?next=${encodeURIComponent(next)}`);
      assert.doesNotMatch(form.body, /evil\.example/);
      const email = aNewAddress();
      await signUp(app, { email, next });
      const link = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
      assert.doesNotMatch(link, /next=/);
      const browser = new BrowserSession(app, aClientAddress());
      const token = new URL(link, 'http://app.test').searchParams.get('token')!;
      const response = await browser.postForm('/signup/verify', {
        token,
        password: SIGN_UP_PASSWORD,
        next,
      });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/home');
    }
  });

  test('a visitor on the enrolment page is offered sign-up and sign-in that lead back to the chosen path', async () => {
    const page = await new BrowserSession(app).get(`/enrol/${slug}`);
    assert.equal(page.statusCode, 200);
    const back = encodeURIComponent(`/enrol/${slug}?path=non_degree`);
    assert.ok(page.body.includes(`/signup?next=${back}`));
    assert.ok(page.body.includes(`/signup?next=${encodeURIComponent(`/enrol/${slug}?path=returning`)}`));
    const login = await new BrowserSession(app).get(`/login?next=${back}`);
    assert.ok(login.body.includes(`/signup?next=${back}`), 'the sign-in page links to sign-up, keeping next');
  });
});
