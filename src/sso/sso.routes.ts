import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SESSION_IDLE_MS } from '../accounts/accounts.service.ts';
import { isSafeNext, safeNext } from '../accounts/safe-next.ts';
import { sendPage } from '../platform/http/render.ts';
import { type HttpServer, SESSION_COOKIE } from '../platform/http/server.ts';
import { Text } from './provider-schema.ts';
import type { SsoReturn } from './sso.service.ts';
import { registerSsoAdminRoutes } from './sso-admin.routes.ts';
import { registerSsoApi } from './sso-api.routes.ts';
import { EmailProofConfirmPage, EmailProofSentPage } from './sso-email-proof.views.tsx';
import { SsoFailure } from './sso-failures.ts';
import type { SsoRouteDeps } from './sso-route-deps.ts';
import { SsoFailurePage, SsoTestResultPage } from './sso-sign-in.views.tsx';

/** The cookie that binds a provider's answer to the browser that started the sign-in. */
export const ATTEMPT_COOKIE = 'stackable_sso';
/** The cookie that lets only the browser that asked for an address-proving link use it. */
export const EMAIL_PROOF_COOKIE = 'stackable_sso_link';

const Slug = Type.Object({ slug: Type.String({ maxLength: 40 }) });

/** Sign-in through the university's identity providers, and the administrators' screens and API for them. */
export function registerSsoRoutes(app: HttpServer, deps: SsoRouteDeps): void {
  const { sso, providers, pageContext, secureCookies } = deps;
  const attemptCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies };

  const failed = async (request: FastifyRequest, reply: FastifyReply, error: SsoFailure) => {
    const status =
      error.reason === 'logout_invalid'
        ? 400
        : error.reason === 'student_id_conflict' || error.reason.startsWith('email_')
          ? 409
          : 401;
    return sendPage(
      reply,
      SsoFailurePage,
      {
        ctx: await pageContext(request),
        message: error.message,
        ...(error.reason === 'logout_invalid' ? { heading: 'Sign-out message refused' } : {}),
      },
      status,
    );
  };

  /** A person back from a provider: the test's answer for the administrator, or a session and on to `next`. */
  const concluded = async (request: FastifyRequest, reply: FastifyReply, result: SsoReturn) => {
    if (result.kind === 'tested') {
      reply.header('cache-control', 'no-store');
      return sendPage(reply, SsoTestResultPage, { ctx: await pageContext(request), ...result });
    }
    if (result.kind === 'email_proof_sent') {
      reply.setCookie(EMAIL_PROOF_COOKIE, result.browserCookie, { ...attemptCookie, maxAge: 30 * 60 });
      return sendPage(reply, EmailProofSentPage, { ctx: await pageContext(request), email: result.email });
    }
    reply.setCookie(SESSION_COOKIE, result.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: Math.floor(SESSION_IDLE_MS / 1000),
    });
    return reply.redirect(safeNext(result.next ?? undefined), 303);
  };

  const startRound = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    purpose: 'sign_in' | 'test',
    next?: string,
  ) => {
    try {
      const { cookie, url } = await sso.begin(slug, {
        purpose,
        actor: request.actor,
        next: isSafeNext(next) ? next : null,
        ip: request.ip,
      });
      // A SAML provider posts its answer back from its own page: a provider on another site (not a sibling
      // subdomain) gets the cookie only when it is SameSite=None, which browsers accept only when Secure.
      const crossSite = secureCookies ? { sameSite: 'none' as const } : {};
      reply.setCookie(ATTEMPT_COOKIE, cookie, { ...attemptCookie, ...crossSite, maxAge: 600 });
      return reply.redirect(url, 303);
    } catch (error) {
      if (error instanceof SsoFailure) return failed(request, reply, error);
      throw error;
    }
  };

  // A link, not a form: the site's CSP allows forms to post only to this site, and Chromium applies that to the
  // redirect that follows, so a form could not lead on to the provider. Starting a sign-in changes nothing a
  // forged link could abuse: it only gives this browser an attempt that the person must complete at the provider
  // themselves (the answer is bound to this browser's cookie); the limit keeps strangers from filling the table.
  app.get(
    '/sso/:slug/start',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params: Slug,
        querystring: Type.Object({ next: Text(500) }),
      },
    },
    async (request, reply) => startRound(request, reply, request.params.slug, 'sign_in', request.query.next),
  );

  app.get(
    '/sso/oidc/callback',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: Type.Object(
          {
            code: Text(4000),
            state: Text(500),
            iss: Text(2000),
            error: Text(200),
            error_description: Text(2000),
          },
          { additionalProperties: true },
        ),
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[ATTEMPT_COOKIE];
      reply.clearCookie(ATTEMPT_COOKIE, { path: '/' });
      // The answer is read against the registered redirect address, exactly as the provider sent it.
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      try {
        const result = await sso.finishOidc({
          cookie,
          callbackUrl: new URL(`${sso.redirectUri}${search}`),
          actor: request.actor,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return await concluded(request, reply, result);
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  app.get(
    '/sso/saml/:slug/metadata',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Single sign-on'],
        summary:
          'This site’s SAML service provider metadata for one identity provider (give it to the provider)',
        params: Slug,
      },
    },
    async (request, reply) => {
      const xml = await sso.serviceProviderMetadata(request.params.slug);
      return reply.type('application/samlmetadata+xml; charset=utf-8').send(xml);
    },
  );

  // The provider's page posts the person's signed answer here, from the provider's site: see the CSRF exemption.
  app.post(
    '/sso/saml/:slug/acs',
    {
      config: {
        access: 'public',
        signedProviderAnswer: true,
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        hide: true,
        params: Slug,
        body: Type.Object(
          { SAMLResponse: Type.String({ minLength: 1, maxLength: 500_000 }), RelayState: Text(500) },
          { additionalProperties: true },
        ),
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[ATTEMPT_COOKIE];
      reply.clearCookie(ATTEMPT_COOKIE, { path: '/' });
      try {
        const result = await sso.finishSaml({
          slug: request.params.slug,
          cookie,
          samlResponse: request.body.SAMLResponse,
          actor: request.actor,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return await concluded(request, reply, result);
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  const Token = Type.String({ minLength: 10, maxLength: 200 });
  // Opening the mailed link only shows a button: mail scanners follow links, and must not link anything.
  app.get(
    '/sso/link',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { hide: true, querystring: Type.Object({ token: Token }) },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      try {
        const token = request.query.token;
        const shown = await sso.emailProofs.pending(token, request.cookies[EMAIL_PROOF_COOKIE]);
        return sendPage(reply, EmailProofConfirmPage, { ctx: await pageContext(request), token, ...shown });
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  app.post(
    '/sso/link',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { hide: true, body: Type.Object({ token: Token, _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      try {
        const { slug, next } = await sso.emailProofs.confirm(
          request.body.token,
          request.cookies[EMAIL_PROOF_COOKIE],
          request.ip,
        );
        reply.clearCookie(EMAIL_PROOF_COOKIE, { path: '/' });
        // Linked: one more round through the provider signs the person in as a returning identity, with the
        // provider's student ID and roles applied as at every sign-in.
        const query = next && isSafeNext(next) ? `?next=${encodeURIComponent(next)}` : '';
        return reply.redirect(`/sso/${encodeURIComponent(slug)}/start${query}`, 303);
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  // The provider's single-logout messages arrive by the person's browser (HTTP-Redirect binding), signed.
  app.get(
    '/sso/saml/:slug/logout',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        params: Slug,
        querystring: Type.Object(
          {
            SAMLRequest: Text(100_000),
            SAMLResponse: Text(100_000),
            RelayState: Text(500),
            SigAlg: Text(200),
            Signature: Text(2000),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (!query.SAMLRequest === !query.SAMLResponse) {
        return failed(request, reply, new SsoFailure('logout_invalid'));
      }
      // The signature covers the query exactly as sent, so the library is given the raw text too.
      const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const fields = Object.fromEntries(
        Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      try {
        const { redirect } = await sso.receiveSamlLogout(request.params.slug, fields, raw, request.ip);
        return reply.redirect(redirect, 303);
      } catch (error) {
        if (error instanceof SsoFailure) return failed(request, reply, error);
        throw error;
      }
    },
  );

  registerSsoAdminRoutes(app, deps, startRound);
  registerSsoApi(app, providers);
}
