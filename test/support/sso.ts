/**
 * Single sign-on in tests: a local OpenID provider registered with the app as an administrator would register it,
 * and the round trip a person's browser makes between the two.
 */
import assert from 'node:assert/strict';
import type { AppOptions } from '../../src/app-services.ts';
import { learnerRows } from '../../src/learners/learners.queries.ts';
import type { ProviderInput } from '../../src/sso/provider-input.ts';
import { createGuardedFetcher } from '../../src/verification/guarded-fetch.ts';
import type { BrowserSession } from './browser-session.ts';
import { anAccount } from './builders.ts';
import {
  identityProviderAuthority,
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from './oidc-provider.ts';
import { signInAtSamlIdp, startSamlIdp, type TestSamlIdp } from './saml-idp.ts';
import type { TestApp } from './test-app.ts';

let sequence = 0;

/**
 * What an app needs to reach the tests' OpenID providers, as an operator would set it up for a campus provider:
 * the loopback host allowed past the SSRF guard (STACKABLE_FETCH_ALLOW_HOSTS) and the providers' CA trusted.
 */
export function ssoAppOptions(): Pick<AppOptions, 'identityProviderCa'> & { env: Record<string, string> } {
  return {
    env: { STACKABLE_FETCH_ALLOW_HOSTS: '127.0.0.1' },
    identityProviderCa: identityProviderAuthority().ca,
  };
}

/** The guarded fetch the app uses for providers, as `ssoAppOptions` sets it up: for tests that wrap it. */
export function guardedProviderFetch() {
  return createGuardedFetcher({ allowedHosts: ['127.0.0.1'], ca: identityProviderAuthority().ca });
}

/** The reason of the newest refused sign-in in the audit log. */
export async function lastRefusal(app: TestApp): Promise<string | undefined> {
  const [entry] = await auditOf(app, 'sso.sign_in_failed');
  return (entry?.after as { reason?: string } | undefined)?.reason;
}

/** A refused sign-in: 401, no session cookie, the person's message, and the reason audited. */
export async function assertRefused(
  app: TestApp,
  response: { statusCode: number; body: string; cookies: { name: string }[] },
  reason: string,
  message: RegExp,
): Promise<void> {
  assert.equal(response.statusCode, 401, response.body.slice(0, 300));
  assert.equal(
    response.cookies.find((c) => c.name === 'stackable_session'),
    undefined,
  );
  assert.match(response.body, message);
  assert.equal(await lastRefusal(app), reason);
}

/** Starts a provider and registers it with the app; `settings` overrides the registered fields. */
export async function anOidcProvider(
  app: TestApp,
  settings: Partial<ProviderInput> = {},
  options: { idTokenTtlSeconds?: number } = {},
): Promise<{ idp: TestOidcProvider; slug: string; id: string }> {
  sequence += 1;
  const idp = await startOidcProvider({
    redirectUri: `${app.config.publicUrl}/sso/oidc/callback`,
    ...options,
  });
  const admin = await anAccount(app, { roles: ['admin'] });
  const saved = await app.services.ssoProviders.saveProvider(admin, null, {
    slug: `campus-${sequence}`,
    buttonLabel: `Campus account ${sequence}`,
    protocol: 'oidc',
    discoveryUrl: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    studentIdClaim: 'student_id',
    ...settings,
  });
  return { idp, slug: saved.slug, id: saved.id };
}

/** Starts a sign-in with the provider from the app's sign-in page; returns where the app sends the browser. */
export async function startSignIn(browser: BrowserSession, slug: string): Promise<string> {
  const response = await browser.get(`/sso/${slug}/start`);
  const location = response.headers.location;
  if (response.statusCode !== 303 || typeof location !== 'string') {
    throw new Error(`the sign-in did not start: ${response.statusCode} ${response.body.slice(0, 300)}`);
  }
  return location;
}

/** The person's return to the app's callback, through the same browser. */
export function returnToApp(browser: BrowserSession, callback: URL) {
  return browser.get(`${callback.pathname}${callback.search}`);
}

/** The whole round trip: start, sign in at the provider with its form, come back. */
export async function signInThroughProvider(
  browser: BrowserSession,
  slug: string,
  login: string,
  password: string,
) {
  const authorization = await startSignIn(browser, slug);
  return returnToApp(browser, await signInAtProvider(authorization, login, password));
}

/** The audit entries of one action, newest first. */
export async function auditOf(app: TestApp, action: string) {
  return app.services.audit.list({ action, limit: 100, offset: 0 });
}

/** The learner record linked to an account, if any. */
export function recordOfAccount(app: TestApp, userId: string) {
  const db = app.database.db;
  return db
    .selectFrom(learnerRows(db).as('l'))
    .selectAll()
    .where('l.user_id', '=', userId)
    .executeTakeFirst();
}

/** Starts a SAML provider and registers it with the app by its metadata, as an administrator pastes it. */
export async function aSamlProvider(
  app: TestApp,
  settings: Partial<ProviderInput> = {},
  options: { encrypt?: boolean; rollover?: boolean } = {},
): Promise<{ idp: TestSamlIdp; slug: string; id: string }> {
  sequence += 1;
  const slug = settings.slug ?? `shib-${sequence}`;
  const idp = await startSamlIdp({
    spMetadata: () => app.services.sso.serviceProviderMetadata(slug),
    ...options,
  });
  const admin = await anAccount(app, { roles: ['admin'] });
  const saved = await app.services.ssoProviders.saveProvider(admin, null, {
    slug,
    buttonLabel: `Campus SAML ${sequence}`,
    protocol: 'saml',
    idpMetadataXml: idp.metadata,
    studentIdClaim: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.99',
    ...settings,
  });
  return { idp, slug: saved.slug, id: saved.id };
}

/** The SAML round trip up to the provider's page posting back: the form it would post, without posting it. */
export async function answerFromSamlIdp(
  browser: BrowserSession,
  slug: string,
  login: string,
  password: string,
) {
  return signInAtSamlIdp(await startSignIn(browser, slug), login, password);
}

/** The provider's page posting its answer to the app, from the provider's site (no CSRF token, as a browser). */
export function postToApp(browser: BrowserSession, answer: { acs: URL; fields: Record<string, string> }) {
  return browser.postForm(answer.acs.pathname, answer.fields, { csrf: false });
}
