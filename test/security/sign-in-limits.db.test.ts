// Audit point 8: spaces or case in the e-mail bought a fresh rate-limit budget, any client's X-Forwarded-For was
// believed (30 spoofed sign-ins, no 429, the fake address in the audit log), one account could be guessed at from
// many addresses, and the forgot-password form could tell accounts from strangers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/platform/clock.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const PASSWORD = 'a long enough passphrase';
const ACCOUNT_WAITS = /Too many failed attempts for this account; try again in (\d+) minutes?/;
const ADDRESS_WAITS = /Too many failed sign-ins from your network; try again in (\d+) minutes?/;

/** A new active account with a unique address at a domain with capitals in it. */
async function anAccount(app: TestApp, roles: ('admin' | 'learner')[] = ['learner']) {
  const email = `person.${randomBytes(4).toString('hex')}@limits.example.edu`;
  await app.services.accounts.createUser(app.database.db, {
    email,
    name: 'Limit Tester',
    password: PASSWORD,
    roles,
  });
  return email;
}

/** Posts the sign-in form as a browser would (CSRF cookie and token), from a chosen socket and headers. */
async function postForm(
  app: TestApp,
  url: string,
  fields: Record<string, string>,
  from: { headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  const browser = new BrowserSession(app);
  const csrf = await browser.csrfToken();
  return app.http.inject({
    method: 'POST',
    url,
    remoteAddress: from.remoteAddress ?? '127.0.0.1',
    payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...from.headers,
    },
  });
}

const signIn = (app: TestApp, email: string, password: string, from?: Parameters<typeof postForm>[3]) =>
  postForm(app, '/login', { email, password }, from);

async function lastFailureIp(app: TestApp): Promise<string | null> {
  const [entry] = await app.services.audit.list({ action: 'account.login_failed', limit: 1, offset: 0 });
  assert.ok(entry, 'the failure is audited');
  return entry.ip;
}

describe(`sign-in limits without trusted proxies on ${testBackend}`, () => {
  let app: TestApp;
  // Production, as the audit found it: behind a proxy, with nothing configured about it.
  before(async () => {
    app = await startTestApp({ runJobs: false, env: { NODE_ENV: 'production' } });
  });
  after(() => app?.close());

  test('spaces and capitals in the e-mail share one budget', async () => {
    const email = await anAccount(app);
    const variants = [
      email,
      ` ${email}`,
      email.toUpperCase(),
      `${email}  `,
      `\t${email.replace('person', 'Person')}`,
    ];
    const answers = [];
    for (let i = 0; i < 11; i++)
      answers.push(await signIn(app, variants[i % variants.length]!, 'wrong password'));
    assert.deepEqual(
      answers.slice(0, 5).map((a) => a.statusCode),
      [401, 401, 401, 401, 401],
    );
    // The account now waits, whichever way its address is written, and is told for how long.
    for (const answer of answers.slice(5)) {
      assert.equal(answer.statusCode, 429);
      assert.equal(ACCOUNT_WAITS.exec(answer.body)?.[1], '1');
    }
  });

  test('successful sign-ins never count toward a limit', async () => {
    const email = await anAccount(app);
    for (let i = 0; i < 25; i++) {
      assert.equal((await signIn(app, email, PASSWORD)).statusCode, 303, `sign-in ${i + 1}`);
    }
    // And the failures that follow start from nothing: five are allowed before any wait.
    for (let i = 0; i < 4; i++) assert.equal((await signIn(app, email, 'wrong')).statusCode, 401);
  });

  test('one address guessing at many accounts waits, and is told the true wait', async () => {
    const from = { remoteAddress: '203.0.113.77' };
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await signIn(app, await anAccount(app), 'wrong', from));
    assert.deepEqual(
      answers.slice(0, 20).map((a) => a.statusCode),
      Array(20).fill(401),
    );
    // The 20th failure started the wait; even the right password for yet another account now waits, and the
    // refusal says how long.
    assert.equal(answers[20]!.statusCode, 429);
    assert.equal(ADDRESS_WAITS.exec(answers[20]!.body)?.[1], '1');
    const refused = await signIn(app, await anAccount(app), PASSWORD, from);
    assert.equal(refused.statusCode, 429);
    assert.equal(ADDRESS_WAITS.exec(refused.body)?.[1], '1');
    // Another address is not held up by this one.
    assert.equal(
      (await signIn(app, await anAccount(app), PASSWORD, { remoteAddress: '203.0.113.78' })).statusCode,
      303,
    );
  });

  test('a request limit tells the true wait, not "a minute"', async () => {
    const from = { remoteAddress: '203.0.113.90' };
    const answers = [];
    const windowOpened = Date.now();
    for (let i = 0; i < 6; i++)
      answers.push(await postForm(app, '/password/forgot', { email: 'x@y.example' }, from));
    const secondsGone = Math.ceil((Date.now() - windowOpened) / 1000);
    assert.equal(answers[5]!.statusCode, 429);
    assert.match(answers[5]!.body, /Try again in 15 minutes\./);
    // What is left of the 15-minute window that the first request opened (a slow machine may have spent a
    // second or two of it on the six requests), never the 60 seconds of "a minute".
    const retryAfter = Number(answers[5]!.headers['retry-after']);
    assert.ok(
      retryAfter <= 900 && retryAfter >= 900 - secondsGone,
      `Retry-After ${retryAfter} s, with ${secondsGone} s of the window gone`,
    );
  });

  test('a forged X-Forwarded-For neither escapes the limit nor reaches the audit log', async () => {
    const email = await anAccount(app);
    const answers = [];
    for (let i = 0; i < 11; i++) {
      answers.push(
        await signIn(app, email, 'wrong', { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }),
      );
    }
    assert.equal(answers[10]!.statusCode, 429);
    assert.match(answers[10]!.body, ACCOUNT_WAITS);
    const response = await signIn(app, `other.${email}`, 'wrong', {
      headers: { 'x-forwarded-for': '203.0.113.66' },
    });
    assert.equal(response.statusCode, 401);
    assert.equal(await lastFailureIp(app), '127.0.0.1');
  });
});

describe(`sign-in limits behind a trusted proxy on ${testBackend}`, () => {
  let app: TestApp;
  const clock = fixedClock(new Date());
  const fromClient = (n: number) => ({ headers: { 'x-forwarded-for': `192.0.2.${n}` } });
  before(async () => {
    app = await startTestApp({
      runJobs: false,
      clock,
      env: { STACKABLE_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' },
    });
  });
  after(() => app?.close());

  test("the proxy's X-Forwarded-For names the client, in the audit log too", async () => {
    const email = await anAccount(app);
    const response = await signIn(app, email, 'wrong', fromClient(23));
    assert.equal(response.statusCode, 401);
    assert.equal(await lastFailureIp(app), '192.0.2.23');
  });

  test('a client that is not a configured proxy cannot name another', async () => {
    const email = await anAccount(app);
    await signIn(app, email, 'wrong', {
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '192.0.2.99' },
    });
    assert.equal(await lastFailureIp(app), '203.0.113.9');
  });

  test('one account is limited across client addresses, with doubling waits, and success resets it', async () => {
    const email = await anAccount(app);
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await signIn(app, email, 'wrong', fromClient(100 + i)));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [401, 401, 401, 401, 401, 429, 429],
    );
    assert.equal(ACCOUNT_WAITS.exec(answers[5]!.body)?.[1], '1');
    // While it waits, even the right password is not checked.
    assert.equal((await signIn(app, email, PASSWORD, fromClient(120))).statusCode, 429);

    clock.set(new Date(clock.now().getTime() + 61_000));
    assert.equal((await signIn(app, email, 'wrong', fromClient(121))).statusCode, 401);
    const longer = await signIn(app, email, 'wrong', fromClient(122));
    assert.equal(ACCOUNT_WAITS.exec(longer.body)?.[1], '2', 'the second wait is twice the first');

    clock.set(new Date(clock.now().getTime() + 121_000));
    assert.equal((await signIn(app, email, PASSWORD, fromClient(123))).statusCode, 303);
    for (let i = 0; i < 5; i++) {
      assert.equal(
        (await signIn(app, email, 'wrong', fromClient(130 + i))).statusCode,
        401,
        `fresh failure ${i + 1}`,
      );
    }
  });

  test('an address with no account is answered exactly like one with an account', async () => {
    const stranger = `nobody.${randomBytes(4).toString('hex')}@limits.example.edu`;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await signIn(app, stranger, 'wrong', fromClient(200 + i)));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [401, 401, 401, 401, 401, 429],
    );
    assert.match(answers[5]!.body, ACCOUNT_WAITS);
  });

  test('forgot-password answers the same for an account and a stranger, before doing any work for either', async () => {
    const known = await anAccount(app);
    const stranger = `nobody.${randomBytes(4).toString('hex')}@limits.example.edu`;
    const answer = async (email: string, n: number) => {
      const started = process.hrtime.bigint();
      const response = await postForm(app, '/password/forgot', { email }, fromClient(n));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The form's CSRF token differs per browser; everything else must be identical.
      return { status: response.statusCode, body: response.body.replace(/value="[^"]*"/g, ''), ms };
    };
    const forKnown = await answer(known, 1);
    const forStranger = await answer(stranger, 2);
    assert.equal(forKnown.status, 200);
    assert.deepEqual({ ...forStranger, ms: 0 }, { ...forKnown, ms: 0 });
    // Nothing that depends on the account happened while the visitor waited: the answer came before the lookup.
    assert.equal((await app.services.notifications.list({ to: known })).length, 0);

    // A coarse timing check too (timings are noisy, so medians and a generous bound; the structural check above
    // is the real guarantee).
    const times = { known: [] as number[], stranger: [] as number[] };
    for (let i = 0; i < 9; i++) {
      times.known.push((await answer(` ${known.toUpperCase()}`, 10 + i)).ms);
      times.stranger.push((await answer(stranger, 30 + i)).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [k, s] = [median(times.known), median(times.stranger)];
    assert.ok(
      Math.abs(k - s) < 25 + 0.5 * Math.max(k, s),
      `medians ${k.toFixed(1)} ms and ${s.toFixed(1)} ms`,
    );
  });
});
