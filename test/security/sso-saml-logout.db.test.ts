// Issue 18: SAML single logout. Signing out here asks the provider (with a signed LogoutRequest naming the
// session's NameID and SessionIndex) to end its session too; the provider's own signed LogoutRequest ends exactly the
// sessions it names here. A LogoutRequest that is unsigned, or whose signed text was changed, ends nothing: anyone
// could otherwise sign anybody out, or a chosen person's sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import type { TestSamlIdp } from '../support/saml-idp.ts';
import { answerFromSamlIdp, aSamlProvider, auditOf, postToApp } from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('SAML single logout', () => {
  let app: TestApp;
  let idp: TestSamlIdp;
  let slug: string;

  before(async () => {
    app = await startTestApp();
    ({ idp, slug } = await aSamlProvider(app, { emailDomains: 'campus.example.edu' }));
    for (const login of ['ada', 'bo']) {
      idp.accounts.set(login, {
        password: `${login}-pw`,
        attributes: { mail: `${login}@campus.example.edu`, displayName: login },
      });
    }
  });
  after(async () => {
    await idp.close();
    await app.close();
  });

  const signedIn = async (login: string) => {
    const browser = new BrowserSession(app);
    const back = await postToApp(browser, await answerFromSamlIdp(browser, slug, login, `${login}-pw`));
    assert.equal(back.statusCode, 303, back.body.slice(0, 300));
    return browser;
  };
  const isSignedIn = async (browser: BrowserSession) =>
    (await browser.get('/account/emails')).statusCode === 200;
  /** The app-relative address of a provider's redirect to the app. */
  const onApp = (address: string) => {
    const url = new URL(address);
    return `${url.pathname}${url.search}`;
  };

  test('signing out here sends the provider a signed LogoutRequest for this session, and its answer lands on the sign-in page', async () => {
    const browser = await signedIn('ada');
    assert.ok(await isSignedIn(browser));
    const out = await browser.postForm('/logout', {});
    assert.equal(out.statusCode, 200, out.body.slice(0, 300));
    assert.equal(await isSignedIn(browser), false, 'the session here ended at once');
    const toProvider = /http-equiv="refresh" content="0;url=([^"]+)"/
      .exec(out.body)?.[1]
      ?.replace(/&amp;/g, '&');
    assert.ok(toProvider?.startsWith(`${idp.url}/slo?SAMLRequest=`), toProvider);
    // The provider checks the request's signature before it answers (it refuses unsigned ones).
    const atProvider = await fetch(toProvider!, { redirect: 'manual' });
    assert.equal(atProvider.status, 302, await atProvider.text());
    assert.deepEqual(idp.logoutRequests.at(-1), {
      nameID: 'ada',
      sessionIndex: idp.sessionIndexes('ada').at(-1),
    });
    const back = await browser.get(onApp(atProvider.headers.get('location')!));
    assert.equal(back.statusCode, 303, back.body.slice(0, 300));
    assert.equal(back.headers.location, '/login?signed_out=1');
  });

  test('the provider’s LogoutRequest ends the sessions it names, and only those', async () => {
    const first = await signedIn('ada');
    const second = await signedIn('ada');
    const other = await signedIn('bo');
    const [firstIndex] = idp.sessionIndexes('ada').slice(-2);
    const answer = await new BrowserSession(app).get(onApp(await idp.logoutRequestUrl('ada', firstIndex)));
    assert.equal(answer.statusCode, 303, answer.body.slice(0, 300));
    assert.match(String(answer.headers.location), new RegExp(`^${idp.url}/slo\\?SAMLResponse=`));
    assert.deepEqual(
      [await isSignedIn(first), await isSignedIn(second), await isSignedIn(other)],
      [false, true, true],
    );
    // Without a SessionIndex, every session of that NameID ends.
    await new BrowserSession(app).get(onApp(await idp.logoutRequestUrl('ada')));
    assert.deepEqual([await isSignedIn(second), await isSignedIn(other)], [false, true]);
  });

  test('an unsigned LogoutRequest is refused and ends nothing', async () => {
    const victim = await signedIn('bo');
    const signed = new URL(await idp.logoutRequestUrl('bo'));
    signed.searchParams.delete('Signature');
    signed.searchParams.delete('SigAlg');
    const refused = await new BrowserSession(app).get(onApp(signed.href));
    assert.equal(refused.statusCode, 400);
    assert.match(
      refused.body,
      /Sign-out message refused[\s\S]*could not be verified, so nothing was signed out/,
    );
    assert.ok(await isSignedIn(victim));
    const [entry] = await auditOf(app, 'sso.logout_refused');
    assert.equal((entry?.after as { reason?: string } | undefined)?.reason, 'logout_invalid');
  });

  test('a LogoutRequest whose signed text was changed to name someone else is refused', async () => {
    const victim = await signedIn('bo');
    const signed = new URL(await idp.logoutRequestUrl('ada'));
    const { inflateRawSync, deflateRawSync } = await import('node:zlib');
    const xml = inflateRawSync(Buffer.from(signed.searchParams.get('SAMLRequest')!, 'base64')).toString(
      'utf8',
    );
    const forged = xml.replace('>ada<', '>bo<');
    assert.notEqual(forged, xml, 'the test must change the NameID');
    signed.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(forged)).toString('base64'));
    const refused = await new BrowserSession(app).get(onApp(signed.href));
    assert.equal(refused.statusCode, 400);
    assert.ok(await isSignedIn(victim));
  });
});
