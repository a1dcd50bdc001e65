// Issue 18: single sign-on through OpenID Connect must refuse every answer that does not belong to the sign-in
// this browser started, or that does not verify, and must never sign someone in to another person's account or
// learner record. Each refusal is shown in plain words and audited with its reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { learnerRows } from '../../src/learners/learners.queries.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { ATTEMPT_COOKIE } from '../../src/sso/sso.routes.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { aLearner, anAccount, TEST_PASSWORD } from '../support/builders.ts';
import { signInAtProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import {
  anOidcProvider,
  assertRefused,
  auditOf,
  guardedProviderFetch,
  lastRefusal,
  recordOfAccount,
  returnToApp,
  signInThroughProvider,
  ssoAppOptions,
  startSignIn,
} from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Changes the ID token's payload in transit, leaving its signature as the provider made it. */
async function tamperedTokenResponse(response: Response): Promise<Response> {
  const body = (await response.json()) as { id_token: string };
  const [header, payload, signature] = body.id_token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  claims.email = 'someone.else@campus.example.edu';
  const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
  body.id_token = [header, forged, signature].join('.');
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('OpenID Connect sign-in refuses what it cannot trust', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let slug: string;
  let tamper = false;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  before(async () => {
    const guarded = guardedProviderFetch();
    app = await startTestApp({
      ...ssoAppOptions(),
      clock,
      identityProviderFetch: async (url, init) => {
        const response = await guarded(url, init);
        const isToken = url.endsWith('/token');
        return tamper && isToken ? tamperedTokenResponse(response) : response;
      },
    });
    ({ idp, slug } = await anOidcProvider(app, { emailDomains: 'campus.example.edu' }));
    idp.accounts.set('eve', {
      password: 'eve-password',
      claims: { email: 'eve@campus.example.edu', email_verified: true, name: 'Eve' },
    });
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  const refusedWith = (response: Parameters<typeof assertRefused>[1], reason: string, message: RegExp) =>
    assertRefused(app, response, reason, message);

  test('an answer whose state is not the one this browser was given is refused', async () => {
    const browser = new BrowserSession(app);
    const callback = await signInAtProvider(await startSignIn(browser, slug), 'eve', 'eve-password');
    callback.searchParams.set('state', 'a-state-from-another-sign-in');
    await refusedWith(await returnToApp(browser, callback), 'wrong_state', /did not belong to the sign-in/);
  });

  test('an answer brought to a browser that started no sign-in is refused (unsolicited)', async () => {
    const callback = await signInAtProvider(
      await startSignIn(new BrowserSession(app), slug),
      'eve',
      'eve-password',
    );
    await refusedWith(
      await returnToApp(new BrowserSession(app), callback),
      'no_sign_in_in_progress',
      /No sign-in was started in this browser/,
    );
  });

  test('an answer used once cannot be used again', async () => {
    const browser = new BrowserSession(app);
    const callback = await signInAtProvider(await startSignIn(browser, slug), 'eve', 'eve-password');
    const cookie = browser.cookies.get(ATTEMPT_COOKIE)!;
    assert.equal((await returnToApp(browser, callback)).statusCode, 303);
    browser.cookies.set(ATTEMPT_COOKIE, cookie);
    await refusedWith(
      await returnToApp(browser, callback),
      'sign_in_expired_or_used',
      /expired or was already used/,
    );
  });

  test('an ID token carrying another nonce is refused', async () => {
    const browser = new BrowserSession(app);
    const authorization = new URL(await startSignIn(browser, slug));
    authorization.searchParams.set('nonce', 'a-nonce-the-app-never-made');
    const callback = await signInAtProvider(authorization.href, 'eve', 'eve-password');
    await refusedWith(await returnToApp(browser, callback), 'wrong_nonce', /could not be verified/);
  });

  test('an ID token altered in transit is refused', async () => {
    const browser = new BrowserSession(app);
    const callback = await signInAtProvider(await startSignIn(browser, slug), 'eve', 'eve-password');
    tamper = true;
    try {
      await refusedWith(
        await returnToApp(browser, callback),
        'id_token_signature_invalid',
        /could not be verified/,
      );
    } finally {
      tamper = false;
    }
  });

  test('an expired ID token is refused', async () => {
    const short = await anOidcProvider(app, {}, { idTokenTtlSeconds: 60 });
    short.idp.accounts.set('eve', { password: 'pw', claims: { email: 'eve.short@campus.example.edu' } });
    try {
      const browser = new BrowserSession(app);
      const callback = await signInAtProvider(await startSignIn(browser, short.slug), 'eve', 'pw');
      offsetMs = 5 * 60 * 1000;
      await refusedWith(await returnToApp(browser, callback), 'id_token_expired', /had already expired/);
    } finally {
      offsetMs = 0;
      await short.idp.close();
    }
  });

  test('an address the provider did not verify links no learner record', async () => {
    const learner = await aLearner(app, { account: false, email: 'unverified@campus.example.edu' });
    idp.accounts.set('unverified', {
      password: 'pw',
      claims: { email: 'unverified@campus.example.edu', email_verified: false },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'unverified', 'pw');
    assert.equal(back.statusCode, 303);
    const account = await app.services.accounts.findUserWithin(app.database.db, {
      email: 'unverified@campus.example.edu',
    });
    assert.equal(account?.emailVerifiedAt, null);
    assert.equal(await recordOfAccount(app, account!.id), undefined);
    const db = app.database.db;
    const record = await db
      .selectFrom(learnerRows(db).as('l'))
      .select('l.user_id')
      .where('l.id', '=', learner.id)
      .executeTakeFirst();
    assert.equal(record?.user_id, null, 'the record with that address stays unlinked');
  });

  test('an address the provider did not verify never opens the existing account with it', async () => {
    const existing = await anAccount(app, { email: 'owner@campus.example.edu', roles: ['admin'] });
    idp.accounts.set('pretender', {
      password: 'pw',
      claims: { email: 'owner@campus.example.edu', email_verified: false },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'pretender', 'pw');
    // The pretender is only told that a link went to the address, which they cannot read.
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /did not confirm that the address is yours/);
    assert.equal(
      back.cookies.find((c) => c.name === 'stackable_session'),
      undefined,
    );
    assert.equal(await lastRefusal(app), 'email_unverified_account_exists');
    // The owner still signs in with their password; nothing was linked to the pretender.
    const owner = new BrowserSession(app);
    assert.equal((await owner.login(existing.email, TEST_PASSWORD)).statusCode, 303);
  });

  test('an address outside the provider’s domains is not trusted to open an existing account', async () => {
    await anAccount(app, { email: 'visitor@elsewhere.example', roles: ['registrar'] });
    idp.accounts.set('outsider', {
      password: 'pw',
      claims: { email: 'visitor@elsewhere.example', email_verified: true },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'outsider', 'pw');
    assert.equal(back.statusCode, 200);
    assert.equal(
      back.cookies.find((c) => c.name === 'stackable_session'),
      undefined,
    );
    assert.equal(await lastRefusal(app), 'email_unverified_account_exists');
  });

  test('a student ID whose record belongs to someone else refuses the sign-in and creates nothing', async () => {
    const owner = await aLearner(app, { email: 'record.owner@campus.example.edu' });
    idp.accounts.set('claimant', {
      password: 'pw',
      claims: { email: 'claimant@campus.example.edu', email_verified: true, student_id: owner.studentId },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'claimant', 'pw');
    assert.equal(back.statusCode, 409);
    assert.match(back.body, /does not match the learner record/);
    assert.equal(await lastRefusal(app), 'student_id_conflict');
    const account = await app.services.accounts.findUserWithin(app.database.db, {
      email: 'claimant@campus.example.edu',
    });
    assert.equal(account, undefined, 'the refused sign-in rolled back the account it would have made');
    assert.equal((await recordOfAccount(app, owner.account!.id))?.id, owner.id);
  });

  test('a student ID that differs from the record found by address refuses the sign-in', async () => {
    await aLearner(app, { account: false, email: 'two.ids@campus.example.edu', studentId: 'S-ONE-111' });
    await aLearner(app, { account: false, email: 'other@campus.example.edu', studentId: 'S-TWO-222' });
    idp.accounts.set('two-ids', {
      password: 'pw',
      claims: { email: 'two.ids@campus.example.edu', email_verified: true, student_id: 'S-TWO-222' },
    });
    const back = await signInThroughProvider(new BrowserSession(app), slug, 'two-ids', 'pw');
    assert.equal(back.statusCode, 409);
    const [refusal] = await auditOf(app, 'sso.sign_in_failed');
    assert.deepEqual(
      [
        (refusal?.after as { reason?: string } | undefined)?.reason,
        (refusal?.after as { detail?: string } | undefined)?.detail,
      ],
      ['student_id_conflict', 'student_id_differs'],
    );
  });
});
