// Issue 18: an OpenID provider's discovery address is typed by an administrator, and the document it returns
// names further addresses (keys, token endpoint). They are reached through the same SSRF guard as every other
// outside document, so a provider address cannot be used to make the site reach into the university's network:
// private and loopback addresses are refused, directly or by a redirect, unless an operator allows the host in
// STACKABLE_FETCH_ALLOW_HOSTS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserSession } from '../support/browser-session.ts';
import { anAccount } from '../support/builders.ts';
import {
  identityProviderAuthority,
  startOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider.ts';
import { lastRefusal } from '../support/sso.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { startHttpsServer } from '../support/tls-authority.ts';

describe('OpenID provider addresses go through the SSRF guard', () => {
  let app: TestApp;
  let idp: TestOidcProvider;
  let campus: Awaited<ReturnType<typeof startHttpsServer>>;

  before(async () => {
    idp = await startOidcProvider({ redirectUri: 'http://127.0.0.1/sso/oidc/callback' });
    // An allowed campus host whose discovery answer redirects to a private address nobody allowed.
    campus = await startHttpsServer(identityProviderAuthority(), (_request, response) => {
      response.writeHead(302, { location: `${idp.issuer}/.well-known/openid-configuration` });
      response.end();
    });
    // The provider's CA is trusted, so only the guard stands between the app and the provider: without it the
    // sign-ins below would reach the provider and succeed.
    app = await startTestApp({
      identityProviderCa: identityProviderAuthority().ca,
      env: { STACKABLE_FETCH_ALLOW_HOSTS: `localhost:${campus.port}` },
    });
  });
  after(async () => {
    await app.close();
    await campus.close();
    await idp.close();
  });

  async function providerAt(slug: string, discoveryUrl: string) {
    const admin = await anAccount(app, { roles: ['admin'] });
    await app.services.ssoProviders.saveProvider(admin, null, {
      slug,
      buttonLabel: `Provider ${slug}`,
      protocol: 'oidc',
      discoveryUrl,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    });
  }

  const startRefused = async (slug: string) => {
    const response = await new BrowserSession(app).get(`/sso/${slug}/start`);
    assert.equal(response.statusCode, 401, response.body.slice(0, 300));
    assert.equal(response.headers.location, undefined);
    assert.match(response.body, /at an address this site may not reach/);
    assert.equal(await lastRefusal(app), 'provider_address_refused');
  };

  test('a discovery address on a loopback address is refused and never reached', async () => {
    await providerAt('loopback', idp.issuer);
    await startRefused('loopback');
    assert.deepEqual(idp.requested, []);
  });

  test('a discovery answer that redirects to a private address is refused there', async () => {
    await providerAt('redirected', `https://localhost:${campus.port}`);
    await startRefused('redirected');
    assert.ok(campus.requests.length > 0, 'the allowed host was asked');
    assert.deepEqual(idp.requested, [], 'the private address it pointed at was not');
  });
});
