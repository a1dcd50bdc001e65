// Self sign-up (issue 14) opens three holes unless closed: an unproven address used to collect a learner's record,
// a `next` that sends people to another site after signing in or up, and a sign-up form that tells which
// addresses have accounts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { aLearner, anAccount, aProgram, TEST_PASSWORD } from '../support/builders.ts';
import {
  aClientAddress,
  aNewAddress,
  mailReceivedBy,
  SIGN_UP_PASSWORD,
  signUp,
  startSignUpApp,
  verificationPathIn,
} from '../support/sign-up.ts';
import type { TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const OFF_SITE = [
  'https://evil.example/',
  '//evil.example/',
  '/\\evil.example/',
  '/%0d%0aLocation: https://evil.example/',
  'javascript:alert(1)',
];

describe(`sign-up security on ${testBackend}`, () => {
  let env: Awaited<ReturnType<typeof startSignUpApp>>;
  let app: TestApp;
  let slug: string;

  before(async () => {
    env = await startSignUpApp();
    app = env.app;
    slug = (await aProgram(app)).slug;
  });
  after(() => env.close());

  /** The account a learner record is linked to, or null. */
  const holderOf = async (learnerId: string) =>
    (
      await app.database.db
        .selectFrom('learners')
        .select('user_id')
        .where('id', '=', learnerId)
        .executeTakeFirstOrThrow()
    ).user_id;

  test("an unverified sign-up with a learner's e-mail does not get their record", async () => {
    const victim = await aLearner(app, { account: false, name: 'Solveig Brandt' });
    const { browser } = await signUp(app, { email: victim.email, name: 'Solveig Brandt' });
    const impostor = await app.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', victim.email)
      .executeTakeFirstOrThrow();
    await browser.login(victim.email, SIGN_UP_PASSWORD);

    const attempts = [
      browser.postForm(`/enrol/${slug}`, { path: 'current' }),
      browser.postForm(`/enrol/${slug}`, {
        path: 'non_degree',
        name: victim.name,
        email: victim.email,
        studentId: victim.studentId,
        noAid: 'yes',
      }),
      browser.postForm(`/enrol/${slug}`, {
        path: 'returning',
        name: victim.name,
        studentId: victim.studentId,
        lastTerm: '2020 Fall',
        reason: 'I would like to finish what I started.',
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers.location), /^\/signup\/pending/);
    }
    // The services refuse too, whatever route reaches them.
    const actor = { id: impostor.id, name: victim.name, email: victim.email, roles: ['learner' as const] };
    await assert.rejects(
      app.services.learners.enrolCurrent(actor, slug),
      /Confirm your e-mail address first/,
    );
    const linked = await app.database.db
      .transaction()
      .execute((trx) => app.services.learners.linkRecordToAccount(trx, impostor.id, victim.email));
    assert.equal(linked, undefined);

    assert.equal(await holderOf(victim.id), null, 'the record is not linked');
    const requests = await app.database.db
      .selectFrom('reactivation_requests')
      .select('id')
      .where('user_id', '=', impostor.id)
      .execute();
    assert.equal(requests.length, 0);

    // The mailbox's owner takes the account over with a password reset, which proves the address: the impostor's
    // session ends, and only now does the record join the account (whose password the owner alone knows).
    await app.services.accounts.sendPasswordReset(victim.email, null);
    const mail = await mailReceivedBy(app, env.smtp, victim.email);
    const token = /\/password\/reset\?token=([A-Za-z0-9_.-]+)/.exec(mail)?.[1];
    assert.ok(token, 'a reset link was mailed');
    const owner = new BrowserSession(app, aClientAddress());
    const password = 'only the real owner knows this';
    const reset = await owner.postForm('/password/reset', { token, password, confirm: password });
    assert.equal(reset.statusCode, 303);
    assert.equal((await browser.get('/home')).statusCode, 303, "the impostor's session has ended");
    assert.equal(await holderOf(victim.id), impostor.id);
  });

  test("the owner pressing the link of a stranger's sign-up does not hand the stranger a proven account", async () => {
    const victim = await aLearner(app, { account: false, name: 'Ingrid Falk' });
    const { browser: stranger } = await signUp(app, {
      email: victim.email,
      name: 'Ingrid Falk',
      password: 'the stranger chose this one',
    });
    const link = verificationPathIn(await mailReceivedBy(app, env.smtp, victim.email));
    const token = new URL(link, 'http://app.test').searchParams.get('token')!;
    const accountOf = () =>
      app.database.db
        .selectFrom('users')
        .select(['id', 'email_verified_at'])
        .where('email', '=', victim.email)
        .executeTakeFirstOrThrow();

    // The owner opens the mail on their own device and presses the button, without the stranger's password.
    const owner = new BrowserSession(app, aClientAddress());
    const page = await owner.get(link);
    assert.match(page.body, /Enter the password you chose/);
    assert.match(page.body, /href="\/password\/forgot"/);
    for (const password of [undefined, '', SIGN_UP_PASSWORD]) {
      const pressed = await owner.postForm('/signup/verify', {
        token,
        ...(password === undefined ? {} : { password }),
      });
      assert.equal(pressed.statusCode, 400, pressed.body);
      assert.match(pressed.body, /The password is not the one chosen when this account was created/);
    }
    assert.equal((await accountOf()).email_verified_at, null, 'the address is not proven');
    assert.equal((await owner.get('/home')).statusCode, 303, 'nobody was signed in');
    assert.equal(await holderOf(victim.id), null, 'the record is not linked to the stranger');

    // Signed in as that account (the stranger is, but has no link); with the link and the password, it is proven.
    await stranger.login(victim.email, 'the stranger chose this one');
    const proven = await stranger.postForm('/signup/verify', { token });
    assert.equal(proven.statusCode, 303, 'the link still works: a wrong password spent nothing');
    assert.notEqual((await accountOf()).email_verified_at, null);
  });

  test('no next sends anyone to another site: sign-in, sign-up, verification, resend and sign-out', async () => {
    const person = await anAccount(app);
    for (const next of OFF_SITE) {
      const encoded = encodeURIComponent(next);
      const visitor = new BrowserSession(app, aClientAddress());
      for (const url of [`/signup?next=${encoded}`, `/login?next=${encoded}`]) {
        const page = await visitor.get(url);
        assert.doesNotMatch(page.body, /evil\.example|javascript:/, url);
      }
      const email = aNewAddress();
      await signUp(app, { email, next });
      const link = verificationPathIn(await mailReceivedBy(app, env.smtp, email));
      assert.doesNotMatch(link, /next=/, next);
      const token = new URL(link, 'http://app.test').searchParams.get('token')!;
      const verified = await visitor.postForm('/signup/verify', { token, password: SIGN_UP_PASSWORD, next });
      assert.equal(verified.headers.location, '/home', next);

      const signedIn = new BrowserSession(app, aClientAddress());
      const login = await signedIn.postForm('/login', { email: person.email, password: TEST_PASSWORD, next });
      assert.equal(login.headers.location, '/home', next);
      assert.equal((await signedIn.get(`/signup?next=${encoded}`)).headers.location, '/home', next);
      assert.equal((await signedIn.get(`/signup/pending?next=${encoded}`)).headers.location, '/home', next);
      assert.equal((await signedIn.postForm('/signup/resend', { next })).headers.location, '/home', next);
      assert.equal((await signedIn.postForm('/logout', { next })).headers.location, '/home', next);
    }
  });

  test('the sign-up form does not tell which addresses have accounts', async () => {
    const owner = await anAccount(app);
    const known = await signUp(app, { email: owner.email });
    const unknown = await signUp(app, { email: aNewAddress() });
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
    assert.equal(known.response.statusCode, unknown.response.statusCode);
    assert.deepEqual(
      Object.keys(known.response.headers).sort(),
      Object.keys(unknown.response.headers).sort(),
    );
    assert.equal(strip(known.response.body), strip(unknown.response.body));
    // Neither answer signs anyone in.
    assert.equal(known.browser.cookies.has('stackable_session'), false);
    assert.equal(unknown.browser.cookies.has('stackable_session'), false);
    // The one message queued for the known address is the owner's notice, with no link that signs anyone in.
    const [notice] = await app.services.notifications.list({ to: owner.email, limit: 5 });
    assert.ok(notice);
    assert.doesNotMatch(notice.text_body ?? '', /token=/);
  });
});
