// Issue 18: a provider that does not vouch for an address (Entra ID sends no `email_verified`) cannot open the
// existing account with that address; the person may prove the address instead, by a one-time link mailed to it.
// The link reaches only the address's owner, works once, expires, and works only in the browser that asked for it:
// someone who signs in at their provider with another person's address cannot have that person link the stranger's
// identity to their account by clicking a mail they did not expect.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/platform/clock.ts';
import { EMAIL_PROOF_COOKIE } from '../../src/sso/sso.routes.ts';
import { startSmtp } from '../support/backpack.ts';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount, TEST_PASSWORD } from '../support/builders.ts';
import { readMessage, waitForMessage } from '../support/mail.ts';
import { signInAtProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import {
  anOidcProvider,
  auditOf,
  returnToApp,
  signInThroughProvider,
  ssoAppOptions,
  startSignIn,
} from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('proving an address the provider did not vouch for', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let slug: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  before(async () => {
    smtp = await startSmtp();
    const sso = ssoAppOptions();
    app = await startTestApp({ ...sso, clock, env: { ...sso.env, SMTP_URL: smtp.url } });
    ({ idp, slug } = await anOidcProvider(app, { emailDomains: 'campus.example.edu' }));
  });
  after(async () => {
    await idp.close();
    await app.close();
    await smtp.close();
  });

  /** An account here and a person at the provider with its address, sent as Entra ID sends it (no email_verified). */
  async function ownerAndEntraPerson(login: string) {
    const email = `${login}@campus.example.edu`;
    const owner = await anAccount(app, { email, roles: ['learner'] });
    idp.accounts.set(login, { password: 'pw', claims: { email, name: login } });
    return { owner, email };
  }

  /** Signs in at the provider in `browser` and returns the link mailed to the address. */
  async function linkMailedFor(browser: BrowserSession, login: string, email: string) {
    const back = await signInThroughProvider(browser, slug, login, 'pw');
    assert.equal(back.statusCode, 200, back.body.slice(0, 300));
    assert.match(back.body, /We have sent a link/);
    assert.equal(
      back.cookies.find((c) => c.name === 'stackable_session'),
      undefined,
    );
    const mail = readMessage((await waitForMessage(smtp.received, email)).raw);
    const link = /https?:\/\/\S+\/sso\/link\?token=[A-Za-z0-9_-]+/.exec(
      mail.parts.get('text/plain') ?? '',
    )?.[0];
    assert.ok(link, 'the message carries the link');
    assert.equal(
      back.body.includes(new URL(link).searchParams.get('token')!),
      false,
      'never shown on the page',
    );
    return new URL(link);
  }

  const confirm = async (browser: BrowserSession, link: URL) => {
    const page = await browser.get(`${link.pathname}${link.search}`);
    if (page.statusCode !== 200) return page;
    return browser.postForm('/sso/link', { token: link.searchParams.get('token')! });
  };

  test('the owner of the address proves it and their university sign-in opens their account from then on', async () => {
    const { owner, email } = await ownerAndEntraPerson('ines');
    const browser = new BrowserSession(app);
    const link = await linkMailedFor(browser, 'ines', email);
    const linked = await confirm(browser, link);
    assert.equal(linked.statusCode, 303, linked.body.slice(0, 300));
    assert.equal(linked.headers.location, `/sso/${slug}/start`);
    const callback = await signInAtProvider(await startSignIn(browser, slug), 'ines', 'pw');
    const back = await returnToApp(browser, callback);
    assert.equal(back.statusCode, 303, back.body.slice(0, 300));
    const [signedIn] = await auditOf(app, 'sso.signed_in');
    assert.equal(signedIn?.actor_id, owner.id);
    assert.equal((signedIn?.after as { account?: string } | undefined)?.account, 'returning');
    const token = link.searchParams.get('token')!;
    const audit = JSON.stringify(await app.services.audit.list({ limit: 100, offset: 0 }));
    assert.equal(audit.includes(token), false, 'the link is never written to the audit log');
    // Used once: the same link does nothing more.
    const again = await confirm(browser, link);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /expired or was already used/);
  });

  test('the link does nothing in another browser, such as the address owner’s when a stranger asked', async () => {
    const { email } = await ownerAndEntraPerson('jon');
    const stranger = new BrowserSession(app);
    const link = await linkMailedFor(stranger, 'jon', email);
    const owner = new BrowserSession(app);
    const refused = await confirm(owner, link);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /works only in the browser where you signed in/);
    const identities = await app.database.db
      .selectFrom('sso_identities')
      .select('subject')
      .where('subject', '=', 'jon')
      .execute();
    assert.deepEqual(identities, [], 'nothing was linked');
    assert.equal((await owner.login(email, TEST_PASSWORD)).statusCode, 303, 'the owner keeps their password');
    assert.ok(stranger.cookies.get(EMAIL_PROOF_COOKIE));
  });

  test('the link expires', async () => {
    const { email } = await ownerAndEntraPerson('kit');
    const browser = new BrowserSession(app);
    const link = await linkMailedFor(browser, 'kit', email);
    offsetMs = 31 * 60 * 1000;
    try {
      const refused = await confirm(browser, link);
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /expired or was already used/);
    } finally {
      offsetMs = 0;
    }
  });
});
